/*
 * site.h — the inhabitants' pages (SPEC §14, docs/site.md): what the
 * site writer needs besides the run, and the tokens that name the pages.
 *
 * Why: each household gets a private page in site/<token>/, where the
 * token is the first 16 hex digits of HMAC-SHA256(secret, id), so that a
 * link cannot be guessed from an id; the secret is a file the
 * facilitator keeps beside the scenario (created on first use with 64
 * random hex characters). The pages open from a USB stick or file://
 * with no network: the charting library (Debian's libjs-dygraphs) is
 * copied into site/ from where the package installs it.
 *
 * Ownership: struct cab_site_input borrows everything it points to for
 * the writer's call. cab_site_secret() returns a heap key the caller
 * frees.
 */
#ifndef CABINE_SITE_H
#define CABINE_SITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cabine/err.h"
#include "cabine/samples.h"
#include "cabine/signal_csv.h"

/* Where Debian's libjs-dygraphs installs the library. */
#define CAB_SITE_DYGRAPHS_DIR "/usr/share/javascript/dygraphs"
/* Hex digits of a page's token. */
#define CAB_SITE_TOKEN_HEX 16
/* The smallest set of participants whose added-up figures a page may
 * show (SPEC §14: groups of at least 3 members). */
#define CAB_SITE_MIN_AGGREGATE 3

struct cab_site_input {
	const unsigned char *key; /* the secret's bytes: the HMAC key */
	size_t key_len;
	/* Per participant (run->n entries; NULL when none has samples): its
	 * consumption meter's power samples over one day, or entries with
	 * n = 0. */
	const struct cab_power_day *power_days;
	bool is_power_source; /* the readings are power samples: a page
				 without a day says why differently */
	/* The windows of expected solar surplus of a signal.csv (`cabine
	 * site --signal`, SPEC §15), in time order: every page opens with a
	 * box that says, day by day, when the sun should cover the
	 * community's consumption. has_tomorrow false (no --signal): no box;
	 * true with n_tomorrow = 0: the box says that no surplus is
	 * expected. */
	bool has_tomorrow;
	size_t n_tomorrow;
	const struct cab_signal_window *tomorrow;
	const char *dygraphs_dir; /* NULL: CAB_SITE_DYGRAPHS_DIR */
};

/* The token of id: the first CAB_SITE_TOKEN_HEX hex digits (lower case)
 * of HMAC-SHA256(key, id) into out. Cannot fail. */
void cab_site_token(const unsigned char *key, size_t key_len, const char *id,
		    char out[CAB_SITE_TOKEN_HEX + 1]);

/* The secret at path: the file's bytes, trailing whitespace stripped.
 * When the file does not exist it is created (mode 0600, never
 * replacing a file that appeared meanwhile) holding 64 random hex
 * characters and a newline from the system's random source, and
 * *is_created is set. Fails with CAB_EINPUT (an empty secret, a path
 * that is a folder), CAB_EIO or CAB_ENOMEM. *key is the caller's. */
enum cab_status cab_site_secret(const char *path, unsigned char **key,
				size_t *key_len, bool *is_created,
				struct cab_err *err);

#endif
