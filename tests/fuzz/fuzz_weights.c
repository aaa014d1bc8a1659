/*
 * fuzz_weights.c — fuzz target for the weights CSV of SPEC §12
 * (engine/scenario/weights_csv.c): blocks `from,participant,weight`.
 *
 * Each input is parsed against a fixed scenario (participants a, b in
 * cabin c1, d in cabin c2; 2024-03-05, one day), with the community
 * perimeter and with the cabin perimeter. Success must mean no message
 * and blocks that are consistent: block 0 starts at interval 0, the
 * starts increase and stay inside the period, every weight is in [0, 1]
 * and each pool's weights sum to at most 1; failure must mean at least
 * one message, each a single line starting with the file's name, and
 * nothing kept. A violation aborts.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cabine/time.h"
#include "engine/scenario/sections.h"

static void check(const struct cab_scenario *sc, const struct cab_sharing *sh,
		  size_t problems, const struct cab_err *err)
{
	if (problems == 0) {
		if (err->text || sh->n_weight_blocks == 0 ||
		    sh->block_first[0] != 0)
			abort();
		for (size_t b = 0; b < sh->n_weight_blocks; b++) {
			if (b && sh->block_first[b] <= sh->block_first[b - 1])
				abort();
			if (sh->block_first[b] >= sc->n_intervals)
				abort();
			double sum[3] = {0, 0, 0};
			for (size_t i = 0; i < sc->n_participants; i++) {
				double w = sh->block_weight[b * 3 + i];
				if (!(w >= 0 && w <= 1))
					abort();
				sum[sh->perimeter == CAB_PERIMETER_CABIN
					? sc->participants[i].cabin
					: 0] += w;
			}
			for (int k = 0; k < 3; k++)
				if (sum[k] > 1 + 1e-9)
					abort();
		}
		return;
	}
	if (!err->text || sh->n_weight_blocks || sh->block_first ||
	    sh->block_weight)
		abort();
	for (const char *l = err->text; *l;) {
		if (strncmp(l, "w.csv:", 6) != 0)
			abort();
		const char *nl = strchr(l, '\n');
		if (!nl)
			abort();
		l = nl + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cab_cabin cabins[2] = {{"c1", NULL, 'B'}, {"c2", NULL, 'B'}};
	struct cab_participant p[3] = {{0}};
	const char *ids[3] = {"a", "b", "d"};
	for (int i = 0; i < 3; i++) {
		p[i].id = (char *)ids[i];
		p[i].cabin = i < 2 ? 0 : 1;
	}
	struct cab_scenario sc = {0};
	sc.path = "s.json";
	sc.t0_s = cab_time_local_midnight(2024, 3, 5);
	sc.n_intervals = 96;
	sc.n_participants = 3;
	sc.participants = p;
	sc.n_cabins = 2;
	sc.cabins = cabins;
	for (int per = 0; per < 2; per++) {
		struct cab_sharing sh = {0};
		sh.perimeter =
		    per ? CAB_PERIMETER_CABIN : CAB_PERIMETER_COMMUNITY;
		struct cab_err err;
		cab_err_init(&err);
		size_t k = cab_sc_weights_parse(
		    &sc, "w.csv", (const char *)data, size, &sh, &err);
		check(&sc, &sh, k, &err);
		cab_sc_sharing_release(&sh);
		cab_err_release(&err);
	}
	return 0;
}
