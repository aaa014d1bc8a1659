/* cabine.h — every public header of cabine, for programs that embed it. */
#ifndef CABINE_CABINE_H
#define CABINE_CABINE_H

#define CABINE_VERSION "0.1.0"

#include "cabine/alerts.h"
#include "cabine/appliances.h"
#include "cabine/bill.h"
#include "cabine/curves.h"
#include "cabine/demo.h"
#include "cabine/err.h"
#include "cabine/forecast.h"
#include "cabine/import.h"
#include "cabine/key.h"
#include "cabine/operator.h"
#include "cabine/opfile.h"
#include "cabine/pv.h"
#include "cabine/readings.h"
#include "cabine/reconcile.h"
#include "cabine/report.h"
#include "cabine/run.h"
#include "cabine/samples.h"
#include "cabine/scenario.h"
#include "cabine/sharing.h"
#include "cabine/sheet.h"
#include "cabine/site.h"
#include "cabine/solar.h"
#include "cabine/source.h"
#include "cabine/store.h"
#include "cabine/time.h"
#include "cabine/warnings.h"
#include "cabine/weather.h"

#endif
