/*
 * assets.c — site.css and site.js of the inhabitants' pages, embedded in
 * the program so that `cabine site` writes them wherever it is installed.
 *
 * Why embedded rather than kept as C strings: they stay real CSS and
 * JavaScript files (reports/site/site.css, site.js) that an editor, a
 * linter and a person read as such; the assembler's .incbin puts their
 * bytes (and a NUL) into the object at build time, from the repository's
 * root where make runs (the Makefile rebuilds this object when they
 * change).
 */
#include "reports/site/site.h"

__asm__(".section .rodata\n"
	".balign 16\n"
	"cab_site_css_bytes:\n"
	".incbin \"reports/site/site.css\"\n"
	".byte 0\n"
	".balign 16\n"
	"cab_site_js_bytes:\n"
	".incbin \"reports/site/site.js\"\n"
	".byte 0\n"
	".previous\n");

extern const char cab_site_css_bytes[];
extern const char cab_site_js_bytes[];

const char *cab_site_css(void)
{
	return cab_site_css_bytes;
}

const char *cab_site_js(void)
{
	return cab_site_js_bytes;
}
