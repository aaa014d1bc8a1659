/*
 * slurp.c — a whole file into one buffer (see slurp.h).
 */
#include "engine/base/slurp.h"
#include "engine/base/i18n.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum cab_status cab_slurp(const char *path, char **out, size_t *len,
			  struct cab_err *err)
{
	enum cab_status st = CAB_OK;
	char *data = NULL;
	size_t n = 0, cap = 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return cab_err_add(err, CAB_EINPUT, _("%s: cannot open (%s)"),
				   path, strerror(errno));
	/* A folder opens on Linux, then fails to read (EISDIR): say what the
	 * user gave instead, as bad input. */
	struct stat sb;
	if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
		fclose(f);
		return cab_err_add(err, CAB_EINPUT,
				   "%s: is a folder (expected a file)", path);
	}
	for (;;) {
		if (n + 1 >= cap) {
			cap = cap ? cap * 2 : 16384;
			char *d = realloc(data, cap);
			if (!d) {
				st = cab_err_add(err, CAB_ENOMEM,
						 _("%s: out of memory"), path);
				break;
			}
			data = d;
		}
		size_t got = fread(data + n, 1, cap - 1 - n, f);
		n += got;
		if (got == 0) {
			if (ferror(f))
				st = cab_err_add(err, CAB_EIO,
						 _("%s: cannot read (%s)"),
						 path, strerror(errno));
			break;
		}
	}
	fclose(f);
	if (st != CAB_OK) {
		free(data);
		return st;
	}
	data[n] = '\0';
	*out = data;
	*len = n;
	return CAB_OK;
}
