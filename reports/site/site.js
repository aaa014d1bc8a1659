/*
 * site.js — the charts of the inhabitants' pages (cabine site, SPEC §14).
 *
 * Why: a page's figures and sentences are written in its HTML by cabine
 * itself (they read without this script); this script only draws the
 * charts with dygraphs (copied into site/lib/ from Debian's
 * libjs-dygraphs) from the page's data file, and adds the buttons that
 * zoom the year to a day. Nothing is loaded from outside the site.
 *
 * Data: window.CABINE_DATA (data.js beside the page, or ../community.js)
 * and the page's words in <script type="application/json"
 * id="cabine-words">. Series of the year are compact text: Wh as integers,
 * "v*k" for k equal values in a row, "*k" for k missing ones.
 */
(function () {
	'use strict';

	var COLORS = {
		consumption: '#1f4e9c',
		production: '#a14f00',
		shared: '#1b6e37',
		group: '#6b3fa0',
		power: '#8a8a8a',
		qh: '#1f4e9c'
	};

	function words() {
		var el = document.getElementById('cabine-words');
		return el ? JSON.parse(el.textContent) : {};
	}

	/* The compact series of data.js into kWh values (null = missing). */
	function decode(text) {
		var out = [];
		if (!text)
			return out;
		var items = text.split(',');
		for (var i = 0; i < items.length; i++) {
			var it = items[i], star = it.indexOf('*');
			var v = star < 0 ? it : it.slice(0, star);
			var k = star < 0 ? 1 : parseInt(it.slice(star + 1), 10);
			var x = v === '' ? null : parseInt(v, 10) / 1000;
			for (var j = 0; j < k; j++)
				out.push(x);
		}
		return out;
	}

	function pad(n) {
		return (n < 10 ? '0' : '') + n;
	}

	function clock(hours) {
		var m = Math.round(hours * 60);
		return pad(Math.floor(m / 60) % 24) + ':' + pad(m % 60);
	}

	function ready(el) {
		el.setAttribute('data-ready', '1');
	}

	/* The legend's own box under the chart (a phone has no room beside
	 * it). */
	function legendOf(el) {
		return document.getElementById(el.id.replace('chart-', 'legend-'));
	}

	/* A chart of the year (or of any run of quarter-hours). */
	function yearChart(el, spec, W) {
		var series = spec.series.map(function (s) {
			return decode(s.data);
		});
		var n = series.length ? series[0].length : 0, rows = [];
		for (var t = 0; t < n; t++) {
			var row = [new Date(spec.t0 + t * spec.step)];
			for (var s = 0; s < series.length; s++)
				row.push(series[s][t]);
			rows.push(row);
		}
		var labels = [W.time].concat(spec.series.map(function (s) {
			return W[s.w] || s.w;
		}));
		var colors = spec.series.map(function (s) {
			return COLORS[s.color] || '#000';
		});
		var g = new Dygraph(el, rows, {
			labels: labels,
			colors: colors,
			ylabel: W.kwh_qh,
			legend: 'always',
			labelsDiv: legendOf(el),
			labelsSeparateLines: false,
			showRangeSelector: true,
			rangeSelectorHeight: 32,
			connectSeparatedPoints: false,
			strokeWidth: 1.2,
			animatedZooms: false,
			digitsAfterDecimal: 3
		});
		ready(el);
		return {graph: g, t0: spec.t0, t1: spec.t0 + n * spec.step};
	}

	/* The buttons that zoom a year chart to a day, a week or the whole. */
	function zoomControls(box, chart) {
		var input = box.querySelector('input[type=date]');
		var day = 86400000;
		function dayStart() {
			var v = input && input.value ? input.value.split('-') : null;
			if (!v)
				return chart.t0;
			return new Date(+v[0], +v[1] - 1, +v[2]).getTime();
		}
		function show(a, b) {
			chart.graph.updateOptions({dateWindow: [a, b]});
		}
		function setDay(ms) {
			var d = new Date(ms);
			input.value = d.getFullYear() + '-' + pad(d.getMonth() + 1) +
				      '-' + pad(d.getDate());
		}
		box.addEventListener('click', function (ev) {
			var b = ev.target.closest('button');
			if (!b)
				return;
			var a = dayStart(), what = b.getAttribute('data-zoom');
			if (what === 'prev' || what === 'next') {
				a += (what === 'prev' ? -1 : 1) * day + 3600000;
				setDay(a);
				a = dayStart();
				show(a, a + day);
			} else if (what === 'day') {
				show(a, a + day);
			} else if (what === 'week') {
				show(a, a + 7 * day);
			} else {
				show(chart.t0, chart.t1);
			}
		});
		if (input)
			input.addEventListener('change', function () {
				var a = dayStart();
				show(a, a + day);
			});
	}

	/* Average days: 96 quarter-hours on a clock axis, one season shown at
	 * a time (buttons), series on the left or the right axis. */
	function dayChart(el, spec, W) {
		function rowsOf(season) {
			var rows = [];
			for (var q = 0; q < 96; q++) {
				var row = [q / 4];
				for (var s = 0; s < spec.series.length; s++) {
					var d = spec.series[s].data;
					var v = d[season] ? d[season][q] : null;
					row.push(v === undefined ? null : v);
				}
				rows.push(row);
			}
			return rows;
		}
		var series = {}, colors = [];
		spec.series.forEach(function (s) {
			series[W[s.w] || s.w] = {axis: s.axis === 'y2' ? 'y2' : 'y'};
			colors.push(COLORS[s.color] || '#000');
		});
		var fmt = function (x) {
			return clock(x);
		};
		var opts = {
			labels: [W.hour].concat(spec.series.map(function (s) {
				return W[s.w] || s.w;
			})),
			colors: colors,
			series: series,
			ylabel: W.kwh_qh,
			legend: 'always',
			labelsDiv: legendOf(el),
			strokeWidth: 2,
			axes: {
				x: {valueFormatter: fmt, axisLabelFormatter: fmt,
				    pixelsPerLabel: 60},
				y2: {independentTicks: true}
			}
		};
		if (spec.y2)
			opts.y2label = W[spec.y2] || spec.y2;
		var g = new Dygraph(el, rowsOf(spec.season || 0), opts);
		ready(el);
		var box = el.parentNode.querySelector('.seasons');
		if (box)
			box.addEventListener('click', function (ev) {
				var b = ev.target.closest('button');
				if (!b)
					return;
				var k = +b.getAttribute('data-season');
				g.updateOptions({file: rowsOf(k)});
				box.querySelectorAll('button').forEach(function (o) {
					o.setAttribute('aria-pressed',
						       o === b ? 'true' : 'false');
				});
			});
	}

	/* A day of power samples against the quarter-hours' mean power. */
	function powerChart(el, spec, W) {
		var rows = [], t = spec.t0, q = 0;
		var qh = function (ms) {
			var k = Math.floor((ms - spec.qh_t0) / 900000);
			return k >= 0 && k < spec.qh.length ? spec.qh[k] : null;
		};
		for (var i = 0; i < spec.dt.length; i++) {
			t += spec.dt[i];
			var w = spec.w[i];
			rows.push([new Date(t), w === null ? null : w, qh(t)]);
		}
		for (q = 0; q < spec.qh.length; q++) {
			var ms = spec.qh_t0 + q * 900000;
			rows.push([new Date(ms), null, spec.qh[q]]);
		}
		rows.sort(function (a, b) {
			return a[0] - b[0];
		});
		var qhSeries = {};
		qhSeries[W.qh_power_w] = {stepPlot: true, strokeWidth: 2.5};
		new Dygraph(el, rows, {
			labels: [W.time, W.power_w, W.qh_power_w],
			colors: [COLORS.power, COLORS.qh],
			ylabel: W.watts,
			legend: 'always',
			labelsDiv: legendOf(el),
			connectSeparatedPoints: true,
			series: qhSeries,
			strokeWidth: 1.5
		});
		ready(el);
	}

	/* How the coincidence factor falls as participants add up. */
	function smoothChart(el, spec, W) {
		var rows = spec.k.map(function (k, i) {
			return [k, spec.factor[i]];
		});
		new Dygraph(el, rows, {
			labels: [W.members, W.coincidence],
			colors: [COLORS.consumption],
			xlabel: W.members,
			ylabel: W.coincidence,
			legend: 'always',
			labelsDiv: legendOf(el),
			drawPoints: true,
			strokeWidth: 2,
			valueRange: [0, 1.05]
		});
		ready(el);
	}

	function start() {
		var D = window.CABINE_DATA, W = words();
		if (!D || typeof Dygraph === 'undefined')
			return;
		document.querySelectorAll('[data-chart]').forEach(function (el) {
			var id = el.getAttribute('data-chart');
			var spec = D.charts[id];
			if (!spec)
				return;
			if (spec.kind === 'year') {
				var c = yearChart(el, spec, W);
				var box = el.parentNode.querySelector('.zoom');
				if (box)
					zoomControls(box, c);
			} else if (spec.kind === 'day') {
				dayChart(el, spec, W);
			} else if (spec.kind === 'power') {
				powerChart(el, spec, W);
			} else if (spec.kind === 'smooth') {
				smoothChart(el, spec, W);
			}
		});
		document.documentElement.setAttribute('data-charts', 'drawn');
	}

	if (document.readyState === 'loading')
		document.addEventListener('DOMContentLoaded', start);
	else
		start();
})();
