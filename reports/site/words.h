/*
 * words.h — internal to reports/site/: the name of every text of the
 * inhabitants' pages; words.c holds them in French, Dutch and English,
 * one row per text, so that a translator reads the three side by side.
 *
 * Texts ending in _FMT are printf formats: their arguments are given in
 * the comment, in order, and every language takes them in that order.
 */
#ifndef CABINE_REPORTS_SITE_WORDS_H
#define CABINE_REPORTS_SITE_WORDS_H

enum cab_site_word {
	W_SKIP = 0,
	W_PAGE_TITLE,	   /* a household's page */
	W_COMMUNITY_TITLE, /* the community's page */
	W_PERIOD_FMT,	   /* from %s to %s */
	W_PRIVATE,	   /* what the page holds and who sees it */
	W_TO_COMMUNITY,	   /* link to the community page */
	W_LANGUAGES,	   /* label of the language links */
	W_SEE_TABLE,	   /* summary of a chart's table */
	W_MISSING_FMT,	   /* %s quarter-hours without data */
	W_HIDDEN_SMALL,	   /* aggregates of fewer than 3 are hidden */
	/* the bill */
	W_SEC_BILL,
	W_BILL,
	W_BASELINE,
	W_SAVING,
	W_EXTRA_COST,
	W_GAIN_FMT,	  /* bill, baseline, saving */
	W_LOSS_FMT,	  /* bill, baseline, extra */
	W_SAME_FMT,	  /* bill */
	W_WHY_SHARED_FMT, /* shared kWh, sharing price */
	W_WHY_GIVEN_FMT,  /* given kWh */
	W_WHY_POT,	  /* pot mode */
	W_WHY_ALONE,	  /* individual mode */
	W_NO_BASELINE,	  /* a meterless member of a pot */
	/* the year */
	W_SEC_YEAR,
	W_YEAR_HELP,
	W_DATE,
	W_BTN_DAY,
	W_BTN_WEEK,
	W_BTN_YEAR,
	W_BTN_PREV,
	W_BTN_NEXT,
	W_CONSUMPTION,
	W_PRODUCTION,
	W_SHARED,
	W_COMPLEMENTARY,
	W_SELF,
	W_GIVEN,
	W_INJECTED,
	W_KWH_QH,	 /* axis: kWh per quarter-hour */
	W_YEAR_FMT,	 /* consumption, own panels, shared, supplier */
	W_YEAR_NOPV_FMT, /* consumption, shared, supplier */
	W_PEAK_FMT,	 /* kWh, date, clock */
	W_MONTH,
	W_MONTHS_CAPTION,
	W_JAN,
	W_DEC = W_JAN + 11,
	/* the average day */
	W_SEC_DAYS,
	W_SEASON,
	W_WINTER,
	W_SPRING,
	W_SUMMER,
	W_AUTUMN,
	W_IN_WINTER, /* "En hiver", "Au printemps": a sentence's start */
	W_IN_SPRING,
	W_IN_SUMMER,
	W_IN_AUTUMN,
	W_HOUR,
	W_OWN_DAY,	  /* series: your average day */
	W_COMMUNITY_PROD, /* series: the community's production */
	W_COMMUNITY_CONS, /* series: the community's consumption */
	W_DAYS_FMT,	  /* season, clock, kWh */
	W_DAYS_PROD_FMT,  /* clock */
	W_PROD_HIDDEN,	  /* the community's production is not shown */
	/* alerts */
	W_SEC_ALERTS,
	W_ALERTS_HELP,
	W_ALERT,
	W_WINDOW,
	W_DURING,
	W_AFTER,
	W_BEFORE,
	W_YOU_DELTA,
	W_YOU_PCT,
	W_COMMUNITY_DELTA,
	W_COMMUNITY_PCT,
	W_NO_ALERT,
	W_NOT_KNOWN, /* a value that cannot be computed */
	/* groups */
	W_SEC_GROUPS,
	W_CABIN_FMT,	       /* cabin id */
	W_GROUP_FMT,	       /* group name */
	W_GROUP_FMT_SENTENCE,  /* label, members, coincidence % */
	W_GROUP_PER_HOUSEHOLD, /* series: the group per member */
	W_NO_GROUP,
	W_SMOOTH_FMT, /* members, coincidence % */
	W_SEC_SMOOTH,
	W_MEMBERS,
	W_COINCIDENCE,
	/* power against energy */
	W_SEC_POWER,
	W_POWER_FMT, /* date, peak W, qh mean W, qh kWh */
	W_POWER_W,
	W_QH_POWER_W,
	W_POWER_NONE_STORE,
	W_POWER_NONE_DAY,
	W_WATTS,
	W_TIME,
	/* appliances */
	W_SEC_APPLIANCES,
	W_APPLIANCE,
	W_CLASS,
	W_INDISPENSABLE,
	W_USEFUL,
	W_COMFORT,
	W_ESTIMATED_DAY,
	W_MEASURED_DAY,
	W_SHIFTABLE,
	W_ALTERNATIVE,
	W_YES,
	W_NO,
	W_INVENTORY_FMT, /* inventory kWh/day, share, meter kWh/day */
	W_ESTIMATE_FMT,	 /* estimate of measured, measured */
	W_COULD_SHED,
	W_DID_SHED,
	W_SHED_HELP,
	W_TOTAL,
	W_HOUSEHOLDS,
	/* the sun hours of a signal.csv (issue 16, tomorrow.c) */
	W_SEC_TOMORROW,
	W_MONDAY,
	W_SUNDAY = W_MONDAY + 6,
	W_SUN_DAY_FMT,	     /* day, the windows, kWh */
	W_SUN_DAY_NOKWH_FMT, /* day, the windows (community sums hidden) */
	W_SUN_SPAN_FMT,	     /* from, to */
	W_AND,		     /* between the last two windows of a day */
	W_SUN_ADVICE,
	W_SUN_HELP,
	W_SUN_NONE,
	/* the community */
	W_SEC_TOTALS,
	W_PARTICIPANTS,
	W_SELF_CONSUMPTION_RATE,
	W_SELF_SUFFICIENCY_RATE,
	W_BALANCE,
	W_TOTAL_BILLS,
	W_TOTAL_BASELINES,
	W_TOTAL_SAVING,
	W_COMMUNITY_YEAR,
	W_COMMUNITY_DAYS,
	W_COMMUNITY_HIDDEN,
	W_COMMUNITY_YEAR_FMT, /* consumption, production, shared, rate */
	W_COMMUNITY_GROUPS,
	W_COMMUNITY_ALERTS,
	W_COMMUNITY_APPLIANCES,
	W_UNIT_KWH_DAY,
	W_KWH_HOUR, /* caption of the hourly tables */
	W_COUNT
};

#endif
