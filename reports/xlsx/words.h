/*
 * words.h — internal to reports/xlsx/: every text of the workbooks in
 * French, Dutch and English, one struct per workbook (words.c holds the
 * tables), so that a translation is made in one file and a writer never
 * spells a word itself.
 *
 * Why one place: the same labels (months, bill lines, "Total") appear in
 * several workbooks, and a language added or corrected must reach all of
 * them. The operator's headers of sibelga.xlsx are its own (French)
 * whatever the language; they live here too.
 *
 * Ownership: every accessor returns a pointer into static, read-only
 * tables; nothing is allocated. A language outside enum cab_lang gives
 * French. Cannot fail.
 */
#ifndef CABINE_REPORTS_XLSX_WORDS_H
#define CABINE_REPORTS_XLSX_WORDS_H

#include "cabine/curves.h"
#include "cabine/scenario.h"

#define CAB_BOOK_SEASONS 4 /* winter, spring, summer, autumn */

/* Every text of an invoice (invoice.c), in one language. */
struct cab_invoice_words {
	const char *sheet; /* name of the invoice sheet */
	const char *title;
	const char *community;
	const char *participant;
	const char *period;
	const char *period_fmt; /* printf: d1 m1 y1 d2 m2 y2 */
	const char *variant;
	const char *col_line;
	const char *col_quantity;
	const char *col_unit_price;
	const char *col_amount;
	const char *total;
	const char *alone;
	const char *gain;      /* bill < baseline */
	const char *pay_more;  /* bill > baseline */
	const char *same;      /* bill = baseline */
	const char *missing;   /* printf: %s missing, %s intervals (grouped) */
	const char *filled;    /* printf: %s filled intervals */
	const char *thousands; /* digit group separator in counts */
	const char *monthly;
	const char *col_month;
	const char *col_consumption;
	const char *col_self;
	const char *col_shared;
	const char *col_complementary;
	const char *col_injected;
	const char *col_production;
	const char *col_time;
	const char *chart_months;
	const char *chart_day;
	const char *axis_kwh;
	const char *months[12];
	/* Added for households reading their own bill (issue 12): */
	const char *name;	       /* "Nom" */
	const char *address;	       /* "Adresse" */
	const char *days_fmt;	       /* printf: %d days billed / %d in year */
	const char *years_fmt;	       /* printf: %s years (periods spanning
					  calendar years) */
	const char *vat_fmt;	       /* printf: %s the base in EUR */
	char decimal;		       /* decimal separator in texts */
	const char *producer;	       /* the producer's block title */
	const char *produced;	       /* production over the period */
	const char *given;	       /* shared with the community */
	const char *injected_unshared; /* injected, not shared */
	const char *col_given;	       /* monthly column: given */
	const char *pot_total;	       /* the pot's total */
	const char *pot_alpha;	       /* printf: %s criterion, %s % of key */
	const char *cap_price;	       /* printf: %s cap EUR, %s EUR/kWh */
	const char *cap;	       /* printf: %s cap EUR */
	const char *floor;	       /* printf: %s floor EUR */
	const char *others_caps;       /* share above weight × pot */
	const char *others_floors;     /* share below weight × pot */
};

/* Texts of compare.xlsx (compare.c), in one language. */
struct cab_compare_words {
	const char *sheet; /* first sheet's name */
	const char *title;
	const char *community;
	const char *participant;
	const char *alone;    /* column: billed alone */
	const char *spread;   /* column: max − min over the scenarios */
	const char *vs_alone; /* printf: "%s" a run name; bill − alone */
	const char *total;
	const char *chart;
	const char *axis_eur;
	const char *variant;
	const char *key;
	const char *billing;
	const char *modes[3]; /* enum cab_billing_mode */
	const char *col_consumption;
	const char *col_shared;
	const char *col_complementary;
	const char *col_injected;
	const char *col_bill;
	const char *col_delta;
	const char *self_consumption;
	const char *self_sufficiency;
	const char *legend; /* how to read the colours */
};

/* Texts of community.xlsx (community.c), in one language. */
struct cab_community_words {
	const char *sheet, *charts, *title, *community, *period, *legend;
	const char *cols[12];
	const char *total, *indicators;
	const char *ind[6]; /* self-consumption, self-sufficiency, balance,
			     * coincidence, cabin residual, pot */
	const char *seasons[CAB_BOOK_SEASONS];
	const char *consumption, *production, *time;
	const char *chart_day_c, *chart_day_p, *chart_shared, *chart_delta;
	const char *axis_kwh, *axis_eur;
};

/* Texts of sibelga.xlsx (sibelga.c): the operator's headers (the same in
 * every language) and the note on monthly rounding in the reader's. */
struct cab_sibelga_words {
	const char *const *head; /* 7 column heads of the operator's file */
	const char *rounding;	 /* the note under the table */
	const char *cols[4];	 /* meter, months' sum, bill, difference */
};

/* Texts of alerts.xlsx (alerts.c), in one language. */
struct cab_alerts_words {
	const char *sheet, *charts, *cols[8], *windows[3], *community;
	const char *time, *day, *reference, *window, *chart_day, *chart_pct,
	    *axis_pct, *axis_kwh;
};

/* Every text of curves.xlsx (curves.c), in one language. */
struct cab_curves_words {
	const char *title;		/* workbook and first sheet title */
	const char *community_sheet;	/* sheet 1 */
	const char *week_sheet;		/* sheet 2 */
	const char *coincidence_sheet;	/* sheet 4 */
	const char *participants_sheet; /* sheet 5 */
	const char *community;		/* the community as a column label */
	const char *cabin, *group;	/* prefixes of group sheet names */
	const char *band_note;		/* how to read the band */
	const char *seasons[CAB_SEASONS];
	const char *series[CAB_CURVE_SERIES];
	const char *stats[3]; /* Q1, median, Q3 */
	const char *time, *day, *members;
	const char *weekdays[7];
	const char *chart_day;	 /* printf: season */
	const char *chart_group; /* printf: group label */
	const char *chart_week, *chart_cf, *chart_participants;
	const char *participants_note, *cf_note;
	const char *members_fmt; /* printf: group label, count */
	const char *axis_kwh, *axis_cf;
};

/* Every text of appliances.xlsx (appliances.c), in one language. */
struct cab_appliances_words {
	const char *title;
	const char *households_sheet, *inventory_sheet, *alerts_sheet;
	const char *participant, *community, *total;
	/* households: the columns of appliances_households.csv */
	const char *household_cols[13];
	/* inventory: participant, appliance, class, W, h/day, time of day,
	 * shiftable, alternative, estimated kWh/day, wattmeter kWh/day */
	const char *inventory_cols[10];
	/* alerts: alert, participant, the three classes, could shed, shed */
	const char *alert_cols[7];
	const char *classes[CAB_USE_CLASSES];
	const char *yes, *no;
	const char *by_class;	   /* title of the table of classes */
	const char *class_cols[3]; /* class, appliances, kWh/day */
	const char *note;	   /* how the figures are made */
	const char *chart_households, *chart_alerts, *axis_kwh_day, *axis_kwh;
	const char *series_inventory, *series_meter, *series_could,
	    *series_shed;
};

/* Texts of backtest.xlsx (backtest.c), in one language. */
struct cab_backtest_words {
	const char *sheet, *days_sheet, *windows_sheet, *title;
	const char *cols[8];	      /* the columns of backtest.csv */
	const char *quantities[3];    /* pv, consumption, surplus */
	const char *community;	      /* the community as a subject */
	const char *hits;	      /* printf: hits, judged, % */
	const char *no_window;	      /* no window was judged */
	const char *day_cols[3];      /* date, forecast, measured */
	const char *window_cols[6];   /* the columns of backtest_windows.csv */
	const char *yes, *no;	      /* had a surplus */
	const char *chart, *axis_kwh; /* daily PV, forecast and measured */
	const char *note;	      /* how to read bias and nMAE */
};

/* Texts of reconcile.xlsx (reconcile.c; words_operator.c), in one
 * language; sentences are printf formats (arguments in words_operator.c).
 */
struct cab_reconcile_words {
	const char *sheet_findings, *sheet_months, *sheet_quarters;
	const char *title, *community, *period, *store, *findings;
	const char *absent_all, *absent_some, *no_ean, *late, *key_same,
	    *key_other, *weights, *unbalanced, *unbalanced_month, *gridfee,
	    *files, *partial, *differences, *agree;
	const char *files_of[2];   /* the monthly, the quarter-hour file */
	const char *quantities[4]; /* enum cab_rq */
	const char *keys, *key_cols[3];
	const char *key_names[5]; /* fixed, proportional, hybrid, priority,
				     optimal */
	const char *until_done, *fitted, *equal, *scenario;
	const char *month_cols[8];
	const char *sources[4]; /* enum cab_rsource */
	const char *quarter_cols[6], *timeline_cols[3], *truncated;
	const char *chart_months, *chart_quarters, *axis_kwh;
	const char *decimal; /* in numbers within sentences */
};

/* The invoice as a document (SPEC §13 billing.invoice), in one language. */
struct cab_invoice_doc_words {
	const char *invoice, *statement, *statement_title, *issue, *due,
	    *communication, *pay_to, *paid_by, *vat_number, *email;
};

const struct cab_reconcile_words *cab_words_reconcile(int lang);
const struct cab_invoice_doc_words *cab_words_invoice_doc(int lang);

const struct cab_invoice_words *cab_words_invoice(int lang);
/* The label of a bill line by its stable id (engine/billing/bill.c:
 * "shared_energy", "vat", …); an unknown id is returned as it is. */
const char *cab_words_line_label(const char *id, int lang);
/* The pot's key block of an invoice: 3 + CAB_CRIT_COUNT texts — title,
 * share paid, weight under the key, then the criteria in enum
 * cab_criterion order. */
const char *const *cab_words_pot(int lang);
/* A sharing key's name as an assembly says it ("proportionnelle" for
 * "proportional"); an unknown key id is returned as it is. */
const char *cab_words_key_name(const char *id, int lang);
/* "Clé de facturation" / "Verdeelsleutel van de pot" / "Billing key".
 */
const char *cab_words_billing_key(int lang);
const struct cab_compare_words *cab_words_compare(int lang);
const struct cab_community_words *cab_words_community(int lang);
const struct cab_sibelga_words *cab_words_sibelga(int lang);
const struct cab_alerts_words *cab_words_alerts(int lang);
const struct cab_curves_words *cab_words_curves(int lang);
const struct cab_appliances_words *cab_words_appliances(int lang);
const struct cab_backtest_words *cab_words_backtest(int lang);

#endif
