/*
 * forecast.h — the surplus-hours signal (SPEC §15): tomorrow's PV of the
 * community from a weather file, its expected consumption from its own
 * history, the surplus, and the windows worth telling the households.
 *
 * Why: the communities asked for the positive twin of their alerts: an
 * SMS the evening before that says when the neighbourhood's panels will
 * give more than it uses, so that washing, dishwashers and charging move
 * into those hours and collective self-consumption rises. The physics is
 * pv.h and solar.h; this module adds the consumption, the surplus, the
 * windows and, for `--backtest`, the comparison with what was measured.
 *
 *   - PV: per installation (a participant's "pv") and quarter-hour from
 *     an Open-Meteo file, or the forecast.solar file's energy for the
 *     whole community, over every local day the file covers whole.
 *   - Expected consumption: per participant, the median of its
 *     consumption (or offtake) at the same local weekday and clock
 *     quarter-hour over the 4 weeks before the forecast; where none of
 *     those four has a value, the median at that clock time on any day of
 *     the 4 weeks; then the median of all its values there. A participant
 *     without a consumption meter (PV only, or meterless) counts 0.
 *   - Surplus = PV − consumption, negative when short; windows: runs of
 *     at least 2 quarter-hours (30 min) of positive surplus.
 *
 * Ownership: cab_forecast_new() and cab_backtest_new() return results
 * freed with cab_forecast_free() / cab_backtest_free(); a forecast
 * borrows its scenario (which must outlive it) and nothing else.
 */
#ifndef CABINE_FORECAST_H
#define CABINE_FORECAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cabine/err.h"
#include "cabine/readings.h"
#include "cabine/scenario.h"
#include "cabine/weather.h"

#define CAB_FORECAST_HISTORY_DAYS 28 /* the 4 weeks of history */
#define CAB_FORECAST_MIN_WINDOW 2    /* quarter-hours: 30 min */
#define CAB_FORECAST_MAX_DAYS 800    /* longest weather file, days */
#define CAB_FORECAST_MAX_DISTANCE                                              \
	0.5 /* degrees between the weather                                     \
	     * file's place and the location */

/* One window of expected surplus. */
struct cab_forecast_window {
	int64_t start_s;    /* UTC, first quarter-hour's start */
	int64_t end_s;	    /* UTC, exclusive */
	double surplus_kwh; /* Σ expected surplus over the window */
};

struct cab_forecast {
	const struct cab_scenario *sc; /* borrowed */
	enum cab_weather_source source;
	bool is_rolling;	 /* backtest: each day's own 4 weeks */
	int64_t weather_start_s; /* UTC start of the weather file's first
				  * period: stands for "issued" (signal.ics'
				  * DTSTAMP), so outputs never read a clock */
	int64_t t0_s;		 /* local midnight of the first day */
	size_t n_days;		 /* local days covered whole */
	size_t n;		 /* their quarter-hours */
	double *pv_kwh;		 /* n: the community's PV */
	double *consumption_kwh; /* n: its expected consumption, NaN where
				  * unknown (a backtest day without history) */
	double *surplus_kwh;	 /* n: pv − consumption */
	size_t n_arrays;	 /* installations (Open-Meteo), else 0 */
	size_t *array_of;	 /* n_arrays participant indices */
	double *array_kwh;	 /* n_arrays × n: each installation's PV */
	double *expected_kwh;	 /* n_participants × n: each participant's
				  * expected consumption (0 without meter) */
	size_t n_windows;
	struct cab_forecast_window *windows; /* in time order */
};

/* UTC instant of the local midnight starting the local day `days` days
 * after the one holding instant t (days may be negative). */
int64_t cab_forecast_midnight(int64_t t, int days);

/* The local days a weather file covers whole, from the first to the last
 * (a day between them that it does not cover has NaN PV): Open-Meteo,
 * every quarter-hour of the day has its radiation and temperature, or the
 * sun below the horizon at its middle at sc's location (its PV is 0
 * anyway); forecast.solar, the local dates its periods end on. Into *t0_s
 * (local midnight) and *n_days. Fails with CAB_EINPUT when it covers none
 * ("<weather_path>: …"). */
enum cab_status cab_forecast_days(const struct cab_scenario *sc,
				  const struct cab_weather *w,
				  const char *weather_path, int64_t *t0_s,
				  size_t *n_days, struct cab_err *err);

/* What the forecast needs of the scenario, each missing piece one
 * message "<scenario>: $.path: …": "location"; at least one participant
 * with "pv"; with Open-Meteo, a "pv" for every participant with a
 * production or injection meter; and the weather file within
 * CAB_FORECAST_MAX_DISTANCE of the location when it says where it is.
 * Fails with CAB_EINPUT. */
enum cab_status cab_forecast_check(const struct cab_scenario *sc,
				   const struct cab_weather *w,
				   const char *weather_path,
				   struct cab_err *err);

/* The forecast over the covered days, from history rd (borrowed: series
 * from CAB_FORECAST_HISTORY_DAYS before the first day, through the last
 * day for a backtest). is_rolling: each day takes the 4 weeks before
 * itself (a backtest); else all take the 4 weeks before the first day,
 * and a participant with a consumption meter but no value in them is an
 * error naming it (CAB_EINPUT). Also CAB_ENOMEM. */
enum cab_status cab_forecast_new(const struct cab_scenario *sc,
				 const struct cab_weather *w,
				 const struct cab_readings *rd, bool is_rolling,
				 struct cab_forecast **out,
				 struct cab_err *err);
void cab_forecast_free(struct cab_forecast *f);

/* Expected consumption of one series (n_hist values from hist_t0_s, NaN
 * missing) over the n quarter-hours from t0_s, as said at the top, into
 * out (n values; NaN where the series has no value in the 4 weeks).
 * is_rolling as for cab_forecast_new. Returns the number of values the
 * series has in the 4 weeks before t0_s. Fails only with CAB_ENOMEM. */
enum cab_status cab_forecast_expected(const double *hist, int64_t hist_t0_s,
				      size_t n_hist, int64_t t0_s, size_t n,
				      bool is_rolling, double *out,
				      size_t *n_known, struct cab_err *err);

/* The windows of a surplus series of n quarter-hours from t0_s: maximal
 * runs of at least CAB_FORECAST_MIN_WINDOW values > 0 (NaN breaks a
 * run), into out (room for n / 2 windows). Returns their count. */
size_t cab_forecast_windows(int64_t t0_s, const double *surplus_kwh, size_t n,
			    struct cab_forecast_window *out);

/* ---- the backtest (`cabine forecast --backtest`) ---------------------- */

enum cab_backtest_quantity {
	CAB_BACKTEST_PV = 0,
	CAB_BACKTEST_CONSUMPTION,
	CAB_BACKTEST_SURPLUS
};

/* The forecast of one subject against what was measured, summed over
 * the quarter-hours where both are known. */
struct cab_backtest_row {
	long participant; /* index, or -1 for the community */
	enum cab_backtest_quantity quantity;
	size_t intervals;	 /* quarter-hours compared */
	double forecast_kwh;	 /* Σ forecast */
	double measured_kwh;	 /* Σ measured */
	double abs_error_kwh;	 /* Σ |forecast − measured| */
	double measured_abs_kwh; /* Σ |measured|: the normaliser */
};

/* A signalled window and what the community really did in it. */
struct cab_backtest_window {
	struct cab_forecast_window w;
	bool is_judged;		     /* every metered participant measured
				      * in every quarter-hour of it */
	double measured_surplus_kwh; /* Σ measured surplus, NaN if not judged */
	size_t positive_intervals; /* quarter-hours with measured surplus > 0 */
};

struct cab_backtest {
	size_t n_rows;
	struct cab_backtest_row *rows; /* installations by participant id,
					* then the community's pv,
					* consumption, surplus */
	size_t n_windows;
	struct cab_backtest_window *windows; /* the forecast's, in order */
	size_t n_judged;		     /* windows judged */
	size_t n_hits;		     /* … whose measured surplus > 0 */
	size_t n_days;		     /* the forecast's days */
	double *day_forecast_pv_kwh; /* n_days: community PV per day */
	double *day_measured_pv_kwh; /* n_days, NaN if not measured */
};

/* bias = forecast − measured; its share and the normalised mean absolute
 * error Σ|f − m| / Σ|m| in %, NaN when nothing was measured. */
double cab_backtest_bias_kwh(const struct cab_backtest_row *r);
double cab_backtest_bias_pct(const struct cab_backtest_row *r);
double cab_backtest_nmae_pct(const struct cab_backtest_row *r);

/* Compare a rolling forecast f with what rd measured over its days (rd
 * as for cab_forecast_new). Fails with CAB_ENOMEM, or CAB_EINPUT when no
 * installation's production was measured ("<scenario>: …"). */
enum cab_status cab_backtest_new(const struct cab_forecast *f,
				 const struct cab_readings *rd,
				 struct cab_backtest **out,
				 struct cab_err *err);
void cab_backtest_free(struct cab_backtest *b);

#endif
