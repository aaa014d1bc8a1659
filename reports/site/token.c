/*
 * token.c — the names of the inhabitants' pages (SPEC §14): tokens made
 * with HMAC-SHA256 (nettle) from a secret file kept beside the scenario.
 *
 * Why: a page's address must not be guessable from a participant's id,
 * yet stay the same from one year's run to the next, so that a household
 * keeps its link. The secret is created once, with 64 hex characters
 * from the system's random source (getrandom), in a file only its owner
 * reads (mode 0600), and never replaced: O_EXCL refuses a file that
 * appeared between the check and the creation. Trailing whitespace is
 * stripped (an editor may add a newline); the rest are the key's bytes.
 *
 * Workload: one key, one HMAC per participant.
 */
#include <errno.h>
#include <fcntl.h>
#include <nettle/hmac.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cabine/site.h"
#include "engine/base/slurp.h"

void cab_site_token(const unsigned char *key, size_t key_len, const char *id,
		    char out[CAB_SITE_TOKEN_HEX + 1])
{
	struct hmac_sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];
	hmac_sha256_set_key(&ctx, key_len, key);
	hmac_sha256_update(&ctx, strlen(id), (const uint8_t *)id);
	hmac_sha256_digest(&ctx, sizeof(digest), digest);
	static const char hex[] = "0123456789abcdef";
	for (size_t k = 0; k < CAB_SITE_TOKEN_HEX / 2; k++) {
		out[2 * k] = hex[digest[k] >> 4];
		out[2 * k + 1] = hex[digest[k] & 15];
	}
	out[CAB_SITE_TOKEN_HEX] = 0;
}

/* Fill buf with n random bytes from the system (getrandom, blocking
 * until the pool is ready). */
static bool random_bytes(unsigned char *buf, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = getrandom(buf + got, n - got, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		got += (size_t)r;
	}
	return true;
}

/* Create the secret file at path: 32 random bytes as 64 hex digits. */
static enum cab_status create_secret(const char *path, struct cab_err *err)
{
	unsigned char raw[32];
	char text[66];
	static const char hex[] = "0123456789abcdef";
	if (!random_bytes(raw, sizeof(raw)))
		return cab_err_add(err, CAB_EIO,
				   "%s: no random source to create the site's "
				   "secret (%s)",
				   path, strerror(errno));
	for (size_t k = 0; k < sizeof(raw); k++) {
		text[2 * k] = hex[raw[k] >> 4];
		text[2 * k + 1] = hex[raw[k] & 15];
	}
	text[64] = '\n';
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno == EEXIST
			   ? CAB_OK /* made meanwhile: read that one */
			   : cab_err_add(err, CAB_EIO,
					 "%s: cannot create the site's secret "
					 "(%s)",
					 path, strerror(errno));
	bool is_ok = write(fd, text, 65) == 65;
	is_ok &= fsync(fd) == 0;
	is_ok &= close(fd) == 0;
	if (!is_ok) {
		unlink(path);
		return cab_err_add(err, CAB_EIO,
				   "%s: cannot write the site's secret (%s)",
				   path, strerror(errno));
	}
	return CAB_OK;
}

enum cab_status cab_site_secret(const char *path, unsigned char **key,
				size_t *key_len, bool *is_created,
				struct cab_err *err)
{
	*key = NULL;
	*key_len = 0;
	*is_created = false;
	struct stat sb;
	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
		return cab_err_add(err, CAB_EINPUT,
				   "%s: $.site.secret_file is a folder "
				   "(expected a file holding the secret)",
				   path);
	if (stat(path, &sb) != 0) {
		if (errno != ENOENT)
			return cab_err_add(err, CAB_EIO, "%s: %s", path,
					   strerror(errno));
		enum cab_status st = create_secret(path, err);
		if (st != CAB_OK)
			return st;
		*is_created = true;
	}
	char *data = NULL;
	size_t len = 0;
	enum cab_status st = cab_slurp(path, &data, &len, err);
	if (st != CAB_OK)
		return st;
	while (len > 0 && strchr(" \t\r\n\f\v", data[len - 1]))
		len--;
	if (len == 0) {
		free(data);
		return cab_err_add(err, CAB_EINPUT,
				   "%s: the site's secret is empty (expected "
				   "the secret text; delete the file to have "
				   "a new one made, which changes every "
				   "link)",
				   path);
	}
	*key = (unsigned char *)data;
	*key_len = len;
	return CAB_OK;
}
