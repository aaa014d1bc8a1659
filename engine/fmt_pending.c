/*
 * fmt_pending.c — TEMPORARY: parsers whose branches have not landed yet.
 * Each answers "not available" so that the import builds; removed when
 * engine/integ.c, fmt_power.c, fmt_tmpo.c and fmt_dso.c land.
 */
#include "engine/ingest.h"

#include <stdlib.h>

static enum cab_status pending(const char *name, struct cab_err *err)
{
	return cab_err_add(err, CAB_EINPUT,
			   "%s: this format is not available in this build",
			   name);
}

void cab_ingest_init(struct cab_ingest *ing, struct cab_qhset *qh,
		     const struct cab_import_opts *opts)
{
	*ing = (struct cab_ingest){.qh = qh, .opts = opts};
}
enum cab_status cab_ingest_finish(struct cab_ingest *ing, struct cab_err *err)
{
	(void)ing;
	(void)err;
	return CAB_OK;
}
void cab_ingest_release(struct cab_ingest *ing)
{
	(void)ing;
}
enum cab_status cab_parse_power_csv(struct cab_ingest *ing, const char *name,
				    const char *buf, size_t len,
				    struct cab_err *err)
{
	return pending(name, err);
}
enum cab_status cab_parse_flukso_csv(struct cab_ingest *ing, const char *name,
				     const char *buf, size_t len,
				     struct cab_err *err)
{
	return pending(name, err);
}
enum cab_status cab_parse_flukso_json(struct cab_ingest *ing, const char *name,
				      const char *buf, size_t len,
				      struct cab_err *err)
{
	return pending(name, err);
}
enum cab_status cab_parse_tmpo_block(struct cab_ingest *ing, const char *name,
				     const unsigned char *gz, size_t len,
				     struct cab_err *err)
{
	return pending(name, err);
}
enum cab_status cab_tmpo_list(const char *dir, char ***paths, size_t *n,
			      struct cab_err *err)
{
	*paths = NULL;
	*n = 0;
	return pending(dir, err);
}
