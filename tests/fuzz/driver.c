/*
 * driver.c — deterministic replay-and-mutate driver for fuzz targets.
 *
 * Why: `make test` must exercise every parser's fuzz target without
 * libFuzzer and give the same result on every run. It runs each file of
 * the corpus directory argv[1] (if it exists), then a fixed number of
 * mutations drawn from a xorshift generator with a fixed seed: byte flips,
 * insertions, deletions, splices of two corpus entries and random
 * printable CSV/JSON-ish text. A crash or abort() in the target simply
 * ends the process, which tests/run.sh reports. `make fuzz` links the same
 * targets with libFuzzer instead for long runs.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MUTATIONS 20000
#define FUZZ_MAX_INPUT 4096

/* One corpus entry. */
struct entry {
	uint8_t *data; /* owned bytes */
	size_t size;   /* bytes in data */
};

static uint64_t rng_state = 0x2545F4914F6CDD1Dull;

static uint64_t next_rand(void)
{
	uint64_t x = rng_state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	rng_state = x;
	return x;
}

static size_t below(size_t n)
{
	return n ? (size_t)(next_rand() % n) : 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Read every regular file of dir, in name order (for determinism). */
static size_t load_corpus(const char *dir, struct entry **out)
{
	*out = NULL;
	DIR *d = dir ? opendir(dir) : NULL;
	if (!d)
		return 0;
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			char **t = realloc(names, cap * sizeof(*t));
			if (!t)
				abort();
			names = t;
		}
		names[n] = strdup(de->d_name);
		if (!names[n])
			abort();
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_names);
	struct entry *e = calloc(n ? n : 1, sizeof(*e));
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		FILE *f = fopen(path, "rb");
		free(names[i]);
		if (!f)
			continue;
		uint8_t *buf = malloc(FUZZ_MAX_INPUT);
		size_t got = buf ? fread(buf, 1, FUZZ_MAX_INPUT, f) : 0;
		fclose(f);
		if (!buf)
			abort();
		e[m].data = buf;
		e[m].size = got;
		m++;
	}
	free(names);
	*out = e;
	return m;
}

static const char *const tokens[] = {"timestamp,meter,kwh\n",
				     "2024-03-05T00:00:00Z",
				     "2024-03-05T00:15:00Z",
				     "+01:00",
				     "+02:00",
				     "Z",
				     ",",
				     "\n",
				     "\r\n",
				     "0.125",
				     "-0.5",
				     "1e308",
				     "1e-320",
				     "nan",
				     "inf",
				     "\xEF\xBB\xBF",
				     "2024-02-30",
				     "24:00",
				     "h01-c",
				     "a",
				     "{",
				     "}",
				     "[",
				     "]",
				     "\"",
				     ":",
				     "null",
				     "true",
				     "0",
				     ".",
				     "e",
				     "12345678901234567890",
				     "2024-03-31T02:30",
				     "2024-10-27T02:30"};

/* Random printable CSV/JSON-ish text into buf; returns its length. */
static size_t random_text(uint8_t *buf, size_t cap)
{
	size_t len = 0, n = 1 + below(40);
	for (size_t i = 0; i < n && len < cap; i++) {
		if (next_rand() % 3) {
			const char *t =
			    tokens[below(sizeof(tokens) / sizeof(*tokens))];
			size_t tl = strlen(t);
			if (len + tl > cap)
				break;
			memcpy(buf + len, t, tl);
			len += tl;
		} else {
			buf[len++] = (uint8_t)(32 + below(95));
		}
	}
	return len;
}

/* Apply 1..4 random edits to buf (size *len, capacity cap). */
static void mutate(uint8_t *buf, size_t *len, size_t cap,
		   const struct entry *corpus, size_t n_corpus)
{
	size_t edits = 1 + below(4);
	for (size_t k = 0; k < edits; k++) {
		switch (below(5)) {
		case 0: /* flip a byte */
			if (*len)
				buf[below(*len)] ^= (uint8_t)(1u << below(8));
			break;
		case 1: /* insert a byte (often a separator) */
			if (*len < cap) {
				static const char seps[] = ",\n.-:0Z \r";
				size_t at = below(*len + 1);
				memmove(buf + at + 1, buf + at, *len - at);
				buf[at] =
				    next_rand() % 2
					? (uint8_t)seps[below(sizeof(seps) - 1)]
					: (uint8_t)below(256);
				(*len)++;
			}
			break;
		case 2: /* delete a run */
			if (*len) {
				size_t at = below(*len);
				size_t n =
				    1 + below(*len - at < 8 ? *len - at : 8);
				memmove(buf + at, buf + at + n, *len - at - n);
				*len -= n;
			}
			break;
		case 3: /* splice another corpus entry's tail */
			if (n_corpus) {
				const struct entry *o =
				    &corpus[below(n_corpus)];
				size_t at = below(*len + 1);
				size_t from = below(o->size + 1);
				size_t n = o->size - from;
				if (at + n > cap)
					n = cap - at;
				memcpy(buf + at, o->data + from, n);
				*len = at + n;
			}
			break;
		default: /* insert random tokens */
			if (*len < cap) {
				uint8_t tmp[256];
				size_t tl = random_text(tmp, sizeof(tmp));
				size_t at = below(*len + 1);
				if (*len + tl > cap)
					tl = cap - *len;
				memmove(buf + at + tl, buf + at, *len - at);
				memcpy(buf + at, tmp, tl);
				*len += tl;
			}
			break;
		}
	}
}

int main(int argc, char **argv)
{
	const char *name = argc > 0 ? strrchr(argv[0], '/') : NULL;
	name = name ? name + 1 : (argc > 0 ? argv[0] : "fuzz");
	struct entry *corpus;
	size_t n_corpus = load_corpus(argc > 1 ? argv[1] : NULL, &corpus);
	size_t runs = 0;
	for (size_t i = 0; i < n_corpus; i++) {
		LLVMFuzzerTestOneInput(corpus[i].data, corpus[i].size);
		runs++;
	}
	uint8_t *buf = malloc(FUZZ_MAX_INPUT);
	if (!buf)
		abort();
	for (size_t i = 0; i < MUTATIONS; i++) {
		size_t len;
		if (n_corpus && next_rand() % 8) {
			const struct entry *e = &corpus[below(n_corpus)];
			memcpy(buf, e->data, e->size);
			len = e->size;
			mutate(buf, &len, FUZZ_MAX_INPUT, corpus, n_corpus);
		} else {
			len = random_text(buf, FUZZ_MAX_INPUT);
		}
		/* an exact-size copy lets ASan catch reads past the end */
		uint8_t *in = malloc(len ? len : 1);
		if (!in)
			abort();
		memcpy(in, buf, len);
		LLVMFuzzerTestOneInput(in, len);
		free(in);
		runs++;
	}
	free(buf);
	for (size_t i = 0; i < n_corpus; i++)
		free(corpus[i].data);
	free(corpus);
	/* One test: every input went through without a crash (a crash or a
	 * sanitizer report ends the process before this line). */
	printf("%s: %zu inputs without a crash: 1 passed, 0 failed\n", name,
	       runs);
	printf("#RESULT 1 0\n");
	return 0;
}
