/**
 * The browser side of the HTML report: its stylesheet, and the script that
 * draws the charts with uPlot from the embedded data and publishes what it
 * drew on `window.__wsloadReport` (for tests and curious readers).
 *
 * @module
 */

/** The report's stylesheet (uPlot's own is inlined before it). */
export const REPORT_STYLE = `
:root {
  --bg: #f5f6fa;
  --card: #ffffff;
  --line: #e4e7ee;
  --text: #1c2333;
  --muted: #667085;
  --accent: #4f46e5;
  --ok: #12805c;
  --ok-bg: #e3f6ee;
  --bad: #c4320a;
  --bad-bg: #fdebe4;
  --warn: #b54708;
  --warn-bg: #fef3e2;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0;
  background: var(--bg);
  color: var(--text);
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
.wrap { max-width: 1240px; margin: 0 auto; padding: 0 24px; }
header.top {
  background: linear-gradient(120deg, #151a2d 0%, #232b4a 60%, #2e2a6b 100%);
  color: #fff;
  padding: 28px 0 30px;
}
.brand {
  font-size: 12px;
  letter-spacing: .12em;
  text-transform: uppercase;
  color: #aab3d6;
  font-weight: 600;
}
header h1 {
  margin: 6px 0 14px;
  font-size: 26px;
  font-weight: 650;
  word-break: break-all;
}
.meta { display: flex; flex-wrap: wrap; gap: 10px 22px; align-items: center; color: #d5daf0; }
.meta b { color: #fff; font-weight: 600; }
.badge {
  display: inline-flex; align-items: center; gap: 6px;
  padding: 3px 10px; border-radius: 999px;
  font-size: 12.5px; font-weight: 650; white-space: nowrap;
}
.badge.ok { background: var(--ok-bg); color: var(--ok); }
.badge.bad { background: var(--bad-bg); color: var(--bad); }
.badge.warn { background: var(--warn-bg); color: var(--warn); }
.badge.live { background: #e0f2fe; color: #0369a1; }
.empty-note { padding: 14px 16px; color: var(--muted); }
main.wrap { padding-top: 26px; padding-bottom: 40px; }
section { margin-bottom: 30px; }
h2 { font-size: 17px; margin: 0 0 12px; font-weight: 650; }
h3 { font-size: 14px; margin: 0; font-weight: 650; }
.note {
  background: var(--warn-bg); color: var(--warn);
  border: 1px solid #f9dbaf; border-radius: 10px;
  padding: 10px 14px; margin-bottom: 22px;
}
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: 14px; }
.kpi, .card {
  background: var(--card);
  border: 1px solid var(--line);
  border-radius: 12px;
  box-shadow: 0 1px 2px rgba(16, 24, 40, .04);
}
.kpi { padding: 14px 16px; }
.kpi .label {
  color: var(--muted); font-size: 11.5px; text-transform: uppercase; letter-spacing: .04em; font-weight: 600;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
}
.kpi .value { font-size: 24px; font-weight: 650; margin-top: 2px; font-variant-numeric: tabular-nums; }
.kpi .sub { color: var(--muted); font-size: 12.5px; font-variant-numeric: tabular-nums; }
.charts { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 16px; }
@media (max-width: 900px) { .charts { grid-template-columns: minmax(0, 1fr); } }
.chart { padding: 14px 16px 10px; margin: 0; }
.chart .desc { color: var(--muted); font-size: 12.5px; margin: 2px 0 8px; }
.chart .plot { width: 100%; min-height: 40px; }
.chart .empty {
  height: 200px; display: flex; align-items: center; justify-content: center;
  color: var(--muted); background: #fafbfd; border: 1px dashed var(--line); border-radius: 8px;
}
.uplot { font-family: inherit; }
.u-legend { font-size: 12.5px; margin-top: 2px; }
.u-legend th { font-weight: 600; }
.u-legend .u-marker { border-radius: 3px; }
.table-card { overflow-x: auto; }
table.data { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
.data th, .data td { padding: 8px 14px; text-align: left; white-space: nowrap; }
.data th:first-child, .data td:first-child { width: 30%; }
.data th {
  font-size: 12px; text-transform: uppercase; letter-spacing: .05em;
  color: var(--muted); font-weight: 600; background: #fafbfd;
  border-bottom: 1px solid var(--line);
}
.data td { border-bottom: 1px solid #f0f2f6; }
.data tr:last-child td { border-bottom: 0; }
.data td.num, .data th.num { text-align: right; }
.data td.name { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
.data td.sub { padding-left: 32px; color: var(--muted); }
.data td.wrap { white-space: normal; }
.data tr.more td { color: var(--muted); font-style: italic; white-space: normal; }
.category { margin: 18px 0 8px; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .08em; font-weight: 650; }
.category:first-of-type { margin-top: 0; }
.totals { color: var(--muted); margin: -4px 0 10px; }
footer { color: var(--muted); font-size: 12.5px; padding: 0 0 30px; }
`;

/**
 * The report's script: draws one uPlot chart per entry of the embedded
 * data, keeps them as wide as their cards, and publishes
 * `window.__wsloadReport = { ready, data, charts: [{ id, title, empty,
 * series: [{ label, points }] }], errors, live, running, updates }`. On the
 * live dashboard (`<body data-live="true">`) it listens to the server's
 * `snapshot` events (`events`, next to the page) and redraws the page with
 * each, until the run ends.
 */
export const REPORT_SCRIPT = `
(() => {
  "use strict";
  const live = document.body.dataset.live === "true";
  const state = { ready: false, data: null, charts: [], errors: [], live, running: live, updates: 0 };
  window.__wsloadReport = state;

  const trim = (text) => text.includes(".") ? text.replace(/\\.?0+$/, "") : text;
  const formatMs = (v) => {
    const a = Math.abs(v);
    if (a === 0) return "0";
    if (a < 1) return trim((v * 1000).toFixed(a < 0.01 ? 1 : 0)) + "µs";
    if (a < 1000) return trim(v.toFixed(a < 10 ? 2 : a < 100 ? 1 : 0)) + "ms";
    if (a < 60000) return trim((v / 1000).toFixed(2)) + "s";
    return trim((v / 60000).toFixed(1)) + "min";
  };
  const formatCount = (v) => {
    const a = Math.abs(v);
    if (a >= 1e9) return trim((v / 1e9).toFixed(1)) + "G";
    if (a >= 1e6) return trim((v / 1e6).toFixed(1)) + "M";
    if (a >= 1e4) return trim((v / 1e3).toFixed(1)) + "k";
    return trim(v.toFixed(a < 10 && v % 1 !== 0 ? 2 : a < 100 && v % 1 !== 0 ? 1 : 0));
  };
  const FORMATS = {
    count: formatCount,
    ms: formatMs,
    per_second: (v) => formatCount(v) + "/s",
    percent: (v) => trim(v.toFixed(1)) + "%",
  };
  const COLORS = {
    vus: ["#4f46e5"],
    iterations: ["#7c3aed"],
    ws_messages: ["#4f46e5", "#0ea5a4"],
    checks: ["#12805c"],
  };
  const PERCENTILE_COLORS = ["#10b981", "#3b82f6", "#f59e0b", "#e11d48"];
  const HEIGHT = 220;
  const pad = (n) => String(n).padStart(2, "0");
  // The x axis is time since the run's first sample: 0s, 30s, 1m30s, 1h05m.
  const elapsed = (seconds) => {
    const s = Math.max(0, Math.round(seconds));
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    if (h > 0) return h + "h" + pad(m) + "m";
    if (m > 0) return m + "m" + pad(s % 60) + "s";
    return s + "s";
  };
  const STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 86400];
  const axis = (format) => ({
    stroke: "#667085",
    grid: { stroke: "#eef0f5", width: 1 },
    ticks: { stroke: "#e4e7ee", width: 1 },
    font: "11px system-ui, sans-serif",
    values: (u, splits) => splits.map((v) => v == null ? "" : format(v)),
    size: format === elapsed ? 32 : 62,
  });
  let observers = [];

  const render = (data) => {
    for (const observer of observers) observer.disconnect();
    observers = [];
    for (const chart of state.charts) chart.plot && chart.plot.destroy();
    state.data = data;
    state.charts = [];
    const start = data.times.length > 0 ? data.times[0] : 0;
    const xs = data.times.map((t) => t - start);
    const xLabel = (u, x) => {
      if (x == null) return "–";
      const clock = new Date((start + x) * 1000).toLocaleTimeString();
      return "+" + elapsed(x) + " (" + clock + ")";
    };
    for (const chart of data.charts) {
      const card = document.querySelector('[data-chart="' + chart.id + '"]');
      const info = {
        id: chart.id,
        title: chart.title,
        empty: chart.empty,
        series: chart.series.map((s) => ({
          label: s.label,
          points: s.values.filter((v) => v !== null).length,
        })),
      };
      state.charts.push(info);
      if (!card || chart.empty) continue;
      const target = card.querySelector(".plot");
      const format = FORMATS[chart.unit] || formatCount;
      const colors = COLORS[chart.id] || PERCENTILE_COLORS;
      const single = chart.series.length === 1;
      try {
        // Durations on a log scale: one slow outlier (the max) would flatten
        // every percentile line on a linear one.
        const log = chart.unit === "ms";
        const values = chart.series.map((s) =>
          log ? s.values.map((v) => v != null && v > 0 ? v : null) : s.values
        );
        const plot = new uPlot({
          width: Math.max(240, target.clientWidth),
          height: HEIGHT,
          cursor: { drag: { x: true, y: false } },
          scales: {
            x: { time: false, range: (u, min, max) => [0, Math.max(max, 1)] },
            y: chart.unit === "percent"
              ? { range: [0, 100] }
              : log
              ? { distr: 3, log: 10 }
              : { range: (u, min, max) => [0, max > 0 ? max * 1.1 : 1] },
          },
          axes: [
            { ...axis(elapsed), incrs: STEPS },
            axis(format),
          ],
          series: [
            { label: "Time", value: xLabel },
            ...chart.series.map((s, i) => ({
              label: s.label,
              stroke: colors[i % colors.length],
              width: 2,
              fill: single ? colors[0] + "1f" : undefined,
              points: { size: 6 },
              value: (u, v) => v == null ? "–" : format(v),
            })),
          ],
        }, [xs, ...values], target);
        info.plot = plot;
        if (typeof ResizeObserver === "function") {
          const observer = new ResizeObserver(() => {
            const width = Math.max(240, target.clientWidth);
            if (width !== plot.width) plot.setSize({ width, height: HEIGHT });
          });
          observer.observe(target);
          observers.push(observer);
        }
      } catch (error) {
        state.errors.push(chart.id + ": " + error);
        console.error("wsload report: chart " + chart.id + " failed:", error);
      }
    }
  };

  render(JSON.parse(document.getElementById("wsload-data").textContent));
  state.ready = true;

  if (live && typeof EventSource === "function") {
    const source = new EventSource("events");
    source.addEventListener("snapshot", (event) => {
      const update = JSON.parse(event.data);
      document.getElementById("meta").innerHTML = update.meta;
      document.getElementById("content").innerHTML = update.main;
      render(update.timeline);
      state.running = update.running;
      state.updates++;
      if (!update.running) source.close();
    });
  }
})();
`;
