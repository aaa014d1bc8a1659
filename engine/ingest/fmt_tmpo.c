/*
 * fmt_tmpo.c — Flukso tmpo blocks (`--format flukso-tmpo`): a sensor's
 * cumulative counter as stored by the Flukso meter and the tmpo tools.
 *
 * Why: tmpo is how a Flukso keeps its full history (one point per Wh),
 * so it is the most complete source a community member can download. A
 * block is gzip-compressed JSON
 *   {"h":{"cfg":{…},"head":[t0,v0],"tail":[tN,vN],"vsn":1},
 *    "t":[0,Δt1,…],"v":[0,Δv1,…]}
 * where point i = head + Σ_{j≤i} (t[j], v[j]): the first deltas are 0
 * (point 0 is head itself) and the last point must equal tail. Blocks are
 * stored as <sensor>/<rid>/<level>/<start>, a block of level L spanning
 * [start, start + 2^L) seconds. Real downloads hold merged blocks whose
 * lists disagree (t and v of different lengths, sums that miss tail) or
 * are not even JSON; we reject every such block with a message naming
 * what differs, rather than import a silently shifted series.
 *
 * Only electricity counters are read (cfg.type "electricity", or no type):
 * a gas sensor's counter counts litres, and importing it as Wh would
 * give a plausible-looking but wrong load curve.
 *
 * Workload: a block holds at most a few ten thousand points; a sensor's
 * year is a few hundred blocks. cJSON is fine here and stays in this file.
 */
#include "engine/ingest/formats.h"

#include <cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#define MAX_BLOCK_BYTES ((size_t)256 << 20) /* decompressed size limit */
#define MAX_LEVEL 40			    /* 2^40 s: far beyond tmpo's 20 */

/* Gunzip gz into *out (heap, NUL-terminated, owned by the caller). */
static enum cab_status gunzip(const char *name, const unsigned char *gz,
			      size_t len, char **out, size_t *out_len,
			      struct cab_err *err)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return cab_err_add(err, CAB_ENOMEM, "out of memory");
	size_t cap = len * 8 + 256, n = 0;
	char *buf = malloc(cap + 1);
	enum cab_status st = CAB_OK;
	if (!buf) {
		st = cab_err_add(err, CAB_ENOMEM, "out of memory");
		goto done;
	}
	/* zlib counts in uInt: feed and drain in chunks that fit. */
	const unsigned char *in = gz;
	size_t in_left = len;
	int rc;
	for (;;) {
		if (z.avail_in == 0 && in_left) {
			z.next_in = (unsigned char *)in;
			z.avail_in =
			    in_left > (1u << 30) ? (1u << 30) : (uInt)in_left;
			in += z.avail_in;
			in_left -= z.avail_in;
		}
		if (n == cap) {
			if (cap >= MAX_BLOCK_BYTES) {
				st = cab_err_add(
				    err, CAB_EINPUT,
				    "%s: block larger than %zu MB once "
				    "decompressed (expected a tmpo block)",
				    name, MAX_BLOCK_BYTES >> 20);
				goto done;
			}
			cap *= 2;
			char *b = realloc(buf, cap + 1);
			if (!b) {
				st = cab_err_add(err, CAB_ENOMEM,
						 "out of memory");
				goto done;
			}
			buf = b;
		}
		size_t room = cap - n;
		z.next_out = (unsigned char *)buf + n;
		z.avail_out = room > (1u << 30) ? (1u << 30) : (uInt)room;
		uInt before = z.avail_out;
		rc = inflate(&z, Z_NO_FLUSH);
		n += before - z.avail_out;
		if (rc == Z_MEM_ERROR) {
			st = cab_err_add(err, CAB_ENOMEM, "out of memory");
			goto done;
		}
		if (rc == Z_OK)
			continue;
		/* No progress possible: more room helps, more input
		 * does not exist (the stream was cut short). */
		if (rc == Z_BUF_ERROR && (z.avail_in || in_left))
			continue;
		break;
	}
	/* Trailing bytes after the gzip member are not a tmpo block either. */
	if (rc != Z_STREAM_END || z.avail_in != 0 || in_left != 0) {
		st = cab_err_add(err, CAB_EINPUT,
				 "%s: truncated or corrupt gzip data (expected "
				 "a tmpo block)",
				 name);
		goto done;
	}
	buf[n] = '\0';
	*out = buf;
	*out_len = n;
	buf = NULL;
done:
	inflateEnd(&z);
	free(buf);
	return st;
}

/* Level and start of a block from its path ".../<level>/<start>";
 * false if the path does not end that way. */
static bool level_from_path(const char *name, int *level, long long *start)
{
	const char *slash = strrchr(name, '/');
	if (!slash || slash == name)
		return false;
	char *end;
	errno = 0;
	long long s = strtoll(slash + 1, &end, 10);
	if (errno || end == slash + 1 || *end || s < 0)
		return false;
	const char *p = slash - 1;
	while (p > name && p[-1] != '/')
		p--;
	if (p == slash || (size_t)(slash - p) > 2)
		return false;
	int l = 0;
	for (const char *q = p; q < slash; q++) {
		if (*q < '0' || *q > '9')
			return false;
		l = l * 10 + (*q - '0');
	}
	if (l > MAX_LEVEL)
		return false;
	*level = l;
	*start = s;
	return true;
}

/* Line and column of byte `at` in text. */
static void line_col(const char *text, const char *at, long *line, long *col)
{
	*line = 1;
	const char *bol = text;
	for (const char *p = text; p < at; p++)
		if (*p == '\n') {
			(*line)++;
			bol = p + 1;
		}
	*col = (long)(at - bol) + 1;
}

/* A two-number array [t, v] (head, tail). */
static bool point_of(const cJSON *a, double *t, double *v)
{
	if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) != 2)
		return false;
	const cJSON *x = a->child, *y = x->next;
	if (!cJSON_IsNumber(x) || !cJSON_IsNumber(y) ||
	    !isfinite(x->valuedouble) || !isfinite(y->valuedouble))
		return false;
	*t = x->valuedouble;
	*v = y->valuedouble;
	return true;
}

static bool same(double a, double b)
{
	return fabs(a - b) <= 1e-9 * fmax(1.0, fabs(b));
}

enum cab_status cab_parse_tmpo_block(struct cab_ingest *ing, const char *name,
				     const unsigned char *gz, size_t len,
				     struct cab_err *err)
{
	if (!ing->file_meter)
		return cab_err_add(err, CAB_EINPUT,
				   "%s: a tmpo block does not name its meter "
				   "(expected --meter ID)",
				   name);
	char *text = NULL;
	size_t n_text = 0;
	cJSON *root = NULL;
	double *pts = NULL;
	enum cab_status st = gunzip(name, gz, len, &text, &n_text, err);
	if (st != CAB_OK)
		return st;
	const char *end = NULL;
	root = cJSON_ParseWithLengthOpts(text, n_text, &end, false);
	if (!root) {
		long line, col;
		line_col(text,
			 end && end >= text && end <= text + n_text
			     ? end
			     : text + n_text,
			 &line, &col);
		st = cab_err_add(err, CAB_EINPUT,
				 "%s:%ld:%ld: invalid JSON (expected a tmpo "
				 "block)",
				 name, line, col);
		goto done;
	}
	for (const char *p = end; p && p < text + n_text; p++)
		if (*p != ' ' && *p != '\n' && *p != '\r' && *p != '\t') {
			long line, col;
			line_col(text, p, &line, &col);
			st = cab_err_add(err, CAB_EINPUT,
					 "%s:%ld:%ld: text after the block's "
					 "JSON (expected one object)",
					 name, line, col);
			goto done;
		}
	const cJSON *h = cJSON_GetObjectItemCaseSensitive(root, "h");
	const cJSON *jt = cJSON_GetObjectItemCaseSensitive(root, "t");
	const cJSON *jv = cJSON_GetObjectItemCaseSensitive(root, "v");
	if (!cJSON_IsObject(root) || !cJSON_IsObject(h) || !cJSON_IsArray(jt) ||
	    !cJSON_IsArray(jv)) {
		st = cab_err_add(err, CAB_EINPUT,
				 "%s: not a tmpo block (expected an object "
				 "with \"h\", \"t\" and \"v\")",
				 name);
		goto done;
	}
	const cJSON *vsn = cJSON_GetObjectItemCaseSensitive(h, "vsn");
	if (vsn && !(cJSON_IsNumber(vsn) && vsn->valuedouble == 1)) {
		st = cab_err_add(err, CAB_EINPUT,
				 "%s: $.h.vsn: unknown tmpo version (expected "
				 "1)",
				 name);
		goto done;
	}
	double t0, v0, tn, vn;
	if (!point_of(cJSON_GetObjectItemCaseSensitive(h, "head"), &t0, &v0) ||
	    !point_of(cJSON_GetObjectItemCaseSensitive(h, "tail"), &tn, &vn)) {
		st = cab_err_add(err, CAB_EINPUT,
				 "%s: $.h: head or tail missing or not "
				 "[time, value] (expected two numbers each)",
				 name);
		goto done;
	}
	int nt = cJSON_GetArraySize(jt), nv = cJSON_GetArraySize(jv);
	if (nt != nv) {
		st =
		    cab_err_add(err, CAB_EINPUT,
				"%s: block is inconsistent: t has %d values, v "
				"has %d (expected equal lengths)",
				name, nt, nv);
		goto done;
	}
	if (nt == 0) {
		st = cab_err_add(err, CAB_EINPUT,
				 "%s: block is inconsistent: no points but a "
				 "head (expected at least the head point)",
				 name);
		goto done;
	}
	pts = malloc(2 * (size_t)nt * sizeof *pts);
	if (!pts) {
		st = cab_err_add(err, CAB_ENOMEM, "out of memory");
		goto done;
	}
	double t = t0, v = v0;
	const cJSON *a = jt->child, *b = jv->child;
	for (int i = 0; i < nt; i++, a = a->next, b = b->next) {
		if (!cJSON_IsNumber(a) || !cJSON_IsNumber(b) ||
		    !isfinite(a->valuedouble) || !isfinite(b->valuedouble)) {
			st =
			    cab_err_add(err, CAB_EINPUT,
					"%s: $.%c[%d]: not a number (expected "
					"numbers in t and v)",
					name, cJSON_IsNumber(a) ? 'v' : 't', i);
			goto done;
		}
		double dt = a->valuedouble, dv = b->valuedouble;
		if (i == 0 && (dt != 0 || dv != 0)) {
			st = cab_err_add(
			    err, CAB_EINPUT,
			    "%s: block is inconsistent: the first point is "
			    "head + [%.15g, %.15g] (expected t and v to start "
			    "at 0: the first point is head)",
			    name, dt, dv);
			goto done;
		}
		if (i > 0 && !(dt > 0)) {
			st =
			    cab_err_add(err, CAB_EINPUT,
					"%s: block is inconsistent: time does "
					"not increase at point %d (Δt = %.15g; "
					"expected Δt > 0)",
					name, i, dt);
			goto done;
		}
		if (dv < 0) {
			st =
			    cab_err_add(err, CAB_EINPUT,
					"%s: block is inconsistent: the "
					"counter goes down at point %d (Δv = "
					"%.15g; expected a cumulative counter)",
					name, i, dv);
			goto done;
		}
		t += dt;
		v += dv;
		pts[2 * i] = t;
		pts[2 * i + 1] = v;
	}
	if (!same(t, tn) || !same(v, vn)) {
		st = cab_err_add(err, CAB_EINPUT,
				 "%s: block is inconsistent: the points end at "
				 "[%.15g, %.15g], tail is [%.15g, %.15g] "
				 "(expected the sums of t and v to reach tail)",
				 name, t, v, tn, vn);
		goto done;
	}
	int level;
	long long start;
	if (level_from_path(name, &level, &start)) {
		double lo = (double)start, hi = lo + ldexp(1.0, level);
		if (t0 < lo || tn >= hi) {
			st = cab_err_add(
			    err, CAB_EINPUT,
			    "%s: block is inconsistent: its points span "
			    "%.15g..%.15g, outside the block [%lld, %.15g) of "
			    "level %d (expected times within 2^%d s of the "
			    "block's start)",
			    name, t0, tn, start, hi, level, level);
			goto done;
		}
	}
	const cJSON *cfg = cJSON_GetObjectItemCaseSensitive(h, "cfg");
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(cfg, "type");
	if (cJSON_IsString(type) && strcmp(type->valuestring, "electricity")) {
		st = cab_err_add(err, CAB_EINPUT,
				 "%s: $.h.cfg.type: a '%.40s' sensor (expected "
				 "an electricity sensor counting Wh)",
				 name, type->valuestring);
		goto done;
	}
	for (int i = 0; i < nt && st == CAB_OK; i++)
		st = cab_ingest_counter(ing, ing->file_meter, pts[2 * i],
					pts[2 * i + 1], name, i + 1, err);
done:
	free(pts);
	cJSON_Delete(root);
	free(text);
	return st;
}

/* ---- a sensor's folder ---- */

/* One block file found under the folder. */
struct block {
	char *path;	 /* owned */
	long long start; /* seconds, from the file name */
	int level;	 /* from the parent folder's name */
};

static int cmp_block(const void *pa, const void *pb)
{
	const struct block *a = pa, *b = pb;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->level != b->level)
		return a->level > b->level ? -1 : 1; /* widest first */
	return strcmp(a->path, b->path);
}

static bool is_number(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* Append the numeric entries of dir to *names (heap strings). */
static enum cab_status list_numeric(const char *dir, char ***names, size_t *n,
				    struct cab_err *err)
{
	*names = NULL;
	*n = 0;
	DIR *d = opendir(dir);
	if (!d)
		return cab_err_add(err, CAB_EIO, "%s: %s", dir,
				   strerror(errno));
	size_t cap = 0;
	enum cab_status st = CAB_OK;
	struct dirent *de;
	while ((de = readdir(d))) {
		/* Only tmpo's numeric names: a README or .DS_Store beside
		 * the blocks is not data. */
		if (!is_number(de->d_name))
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 16;
			char **t = realloc(*names, cap * sizeof *t);
			if (!t) {
				st = cab_err_add(err, CAB_ENOMEM,
						 "out of memory");
				break;
			}
			*names = t;
		}
		if (!((*names)[*n] = strdup(de->d_name))) {
			st = cab_err_add(err, CAB_ENOMEM, "out of memory");
			break;
		}
		(*n)++;
	}
	closedir(d);
	return st;
}

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static char *join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	bool slash = la && a[la - 1] == '/';
	char *s = malloc(la + lb + 2);
	if (s)
		snprintf(s, la + lb + 2, "%s%s%s", a, slash ? "" : "/", b);
	return s;
}

/*
 * Which blocks to read. tmpo names each block by its start (a multiple of
 * 2^level) and keeps it under its level, so two blocks either cover
 * disjoint spans or one span contains the other. A containing block is a
 * later merge of the blocks it contains (the meter compacts sixteen
 * level-8 blocks into one level-12, and so on; lower-level blocks are the
 * newest data, not merged yet), and a download may still hold the merged
 * parts. So: sort by start, widest first at equal start; read a block
 * unless an already chosen one contains it. A block that starts inside a
 * chosen one but ends after it can only come from a bad name: error.
 */
enum cab_status cab_tmpo_list(const char *dir, char ***paths, size_t *n,
			      struct cab_err *err)
{
	*paths = NULL;
	*n = 0;
	struct block *bl = NULL;
	size_t nb = 0, cap = 0;
	char **rids = NULL, **levels = NULL, **files = NULL;
	size_t n_rids = 0, n_levels = 0, n_files = 0;
	char *rid_dir = NULL, *level_dir = NULL;
	enum cab_status st = list_numeric(dir, &rids, &n_rids, err);
	for (size_t r = 0; r < n_rids && st == CAB_OK; r++) {
		free(rid_dir);
		rid_dir = join(dir, rids[r]);
		if (!rid_dir) {
			st = cab_err_add(err, CAB_ENOMEM, "out of memory");
			break;
		}
		struct stat sb;
		if (stat(rid_dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
			continue;
		free_names(levels, n_levels);
		st = list_numeric(rid_dir, &levels, &n_levels, err);
		for (size_t l = 0; l < n_levels && st == CAB_OK; l++) {
			int level = atoi(levels[l]);
			free(level_dir);
			level_dir = join(rid_dir, levels[l]);
			if (!level_dir) {
				st = cab_err_add(err, CAB_ENOMEM,
						 "out of memory");
				break;
			}
			if (stat(level_dir, &sb) != 0 || !S_ISDIR(sb.st_mode) ||
			    strlen(levels[l]) > 2 || level > MAX_LEVEL)
				continue;
			free_names(files, n_files);
			st = list_numeric(level_dir, &files, &n_files, err);
			for (size_t f = 0; f < n_files && st == CAB_OK; f++) {
				if (nb == cap) {
					cap = cap ? 2 * cap : 64;
					struct block *t =
					    realloc(bl, cap * sizeof *t);
					if (!t) {
						st = cab_err_add(
						    err, CAB_ENOMEM,
						    "out of memory");
						break;
					}
					bl = t;
				}
				char *p = join(level_dir, files[f]);
				if (!p) {
					st = cab_err_add(err, CAB_ENOMEM,
							 "out of memory");
					break;
				}
				bl[nb++] = (struct block){
				    p, strtoll(files[f], NULL, 10), level};
			}
		}
	}
	if (st == CAB_OK && nb == 0)
		st = cab_err_add(err, CAB_EINPUT,
				 "%s: no tmpo blocks (expected files "
				 "<rid>/<level>/<start> in a sensor's folder)",
				 dir);
	if (st != CAB_OK)
		goto done;
	qsort(bl, nb, sizeof *bl, cmp_block);
	*paths = malloc(nb * sizeof **paths);
	if (!*paths) {
		st = cab_err_add(err, CAB_ENOMEM, "out of memory");
		goto done;
	}
	long double covered_until = -1; /* end of the chosen blocks */
	const char *chosen = NULL;
	for (size_t i = 0; i < nb; i++) {
		long double s = (long double)bl[i].start;
		long double e = s + ldexpl(1.0L, bl[i].level);
		if (s < covered_until) {
			if (e <= covered_until)
				continue; /* merged into the chosen one */
			st = cab_err_add(err, CAB_EINPUT,
					 "%s: overlaps %s only in part "
					 "(expected tmpo blocks aligned on "
					 "their level)",
					 bl[i].path, chosen);
			break;
		}
		(*paths)[(*n)++] = bl[i].path;
		bl[i].path = NULL;
		chosen = (*paths)[*n - 1];
		covered_until = e;
	}
	if (st != CAB_OK) {
		for (size_t i = 0; i < *n; i++)
			free((*paths)[i]);
		free(*paths);
		*paths = NULL;
		*n = 0;
	}
done:
	for (size_t i = 0; i < nb; i++)
		free(bl[i].path);
	free(bl);
	free_names(rids, n_rids);
	free_names(levels, n_levels);
	free_names(files, n_files);
	free(rid_dir);
	free(level_dir);
	return st;
}

/* ---- the format's table ---- */

static enum cab_status parse_tmpo(struct cab_ingest *ing, const char *name,
				  const char *buf, size_t len,
				  struct cab_err *err)
{
	return cab_parse_tmpo_block(ing, name, (const unsigned char *)buf, len,
				    err);
}

/* gzip's magic bytes. */
static enum cab_sniff sniff_tmpo(const unsigned char *raw, size_t len,
				 const char *head)
{
	return len >= 2 && raw[0] == 0x1f && raw[1] == 0x8b
		   ? CAB_SNIFF_SIGNATURE
		   : CAB_SNIFF_NO;
}

/* A sensor's folder: its blocks, at least one. */
static enum cab_status list_folder(const char *dir, char ***paths, size_t *n,
				   struct cab_err *err)
{
	enum cab_status st = cab_tmpo_list(dir, paths, n, err);
	if (st == CAB_OK && *n == 0)
		st = cab_err_add(err, CAB_EINPUT,
				 "%s: no tmpo block in this folder "
				 "(expected <rid>/<level>/<block> files)",
				 dir);
	return st;
}

const struct cab_format_ops cab_format_flukso_tmpo = {
    .name = "flukso-tmpo",
    .summary = "a Flukso sensor's tmpo blocks (a block, or the sensor's "
	       "folder)",
    .parse = parse_tmpo,
    .sniff = sniff_tmpo,
    .list_folder = list_folder,
    .needs_meter = true,
    .is_one_sensor = true,
};
