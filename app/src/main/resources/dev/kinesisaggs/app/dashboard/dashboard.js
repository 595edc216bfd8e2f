// The kinesis-aggs dashboard: polls the JSON endpoints every 2 s and redraws.
// Charts are chart.js; every number charted is also written to the hidden table
// #charted-windows (one row per vendor and window), which tests read.
"use strict";

const POLL_MILLIS = 2000;
const VENDOR_COLOURS = ["#2f6fdf", "#f08c2e", "#1e9e4a", "#9b51e0", "#d64545", "#0f9fb5"];

const state = {
  windows: [],      // the last /api/aggregates answer, ordered by window then vendor
  polls: 0,
  charts: null,     // created once chart.js is known to be there
};

function colour(vendorIndex) {
  return VENDOR_COLOURS[vendorIndex % VENDOR_COLOURS.length];
}

function createCharts() {
  if (typeof Chart === "undefined") {
    document.body.dataset.chart = "missing";
    showNotice("The charting library (chart.js) did not load: install the emulators (local-aws) and reload. The tables below still update.");
    return null;
  }
  const common = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    interaction: { mode: "index", intersect: false },
    plugins: { legend: { position: "top", align: "end" } },
    scales: {
      x: { grid: { display: false }, ticks: { maxRotation: 0, autoSkip: true },
           title: { display: true, text: "window start (UTC)" } },
      y: { beginAtZero: true, ticks: { precision: 0 } },
    },
  };
  const bar = (id, yTitle) => new Chart(document.getElementById(id), {
    type: "bar",
    data: { labels: [], datasets: [] },
    options: { ...common, scales: { ...common.scales, y: { ...common.scales.y, title: { display: true, text: yTitle } } } },
  });
  document.body.dataset.chart = "ready";
  return {
    passengers: bar("passengers-chart", "passengers"),
    trips: bar("trips-chart", "trips"),
    lag: new Chart(document.getElementById("lag-chart"), {
      type: "bar",
      data: { labels: [], datasets: [{ label: "iterator age (s)", data: [], backgroundColor: "#2f6fdf" }] },
      options: { ...common, indexAxis: "y", plugins: { legend: { display: false } },
                 scales: { x: { beginAtZero: true, title: { display: true, text: "seconds behind" } }, y: { grid: { display: false } } } },
    }),
  };
}

function showNotice(text) {
  const notice = document.getElementById("notice");
  notice.textContent = text;
  notice.hidden = !text;
}

// "00:00:30" for windows of one day; "01-02 00:00:30" when they span several.
function windowLabels(starts) {
  const days = new Set(starts.map((s) => s.slice(0, 10)));
  return starts.map((s) => (days.size > 1 ? s.slice(5, 10) + " " : "") + s.slice(11, 19));
}

function renderAggregates(windows) {
  const starts = [...new Set(windows.map((w) => w.windowStart))].sort();
  const vendors = [...new Set(windows.map((w) => w.vendorId))].sort((a, b) => a - b);
  const byKey = new Map(windows.map((w) => [w.vendorId + "|" + w.windowStart, w]));
  const series = (field) => vendors.map((vendor, i) => ({
    label: "vendor " + vendor,
    vendorId: vendor,
    data: starts.map((start) => { const w = byKey.get(vendor + "|" + start); return w ? w[field] : null; }),
    backgroundColor: colour(i),
    borderRadius: 3,
  }));
  const passengers = series("passengers");
  const trips = series("trips");
  if (state.charts) {
    const labels = windowLabels(starts);
    for (const [chart, datasets] of [[state.charts.passengers, passengers], [state.charts.trips, trips]]) {
      chart.data.labels = labels;
      chart.data.datasets = datasets;
      chart.update("none");
    }
  }
  // the summary is built from the very arrays handed to the charts
  const rows = [];
  passengers.forEach((dataset, v) => {
    dataset.data.forEach((value, i) => {
      if (value === null) return;
      const tr = document.createElement("tr");
      tr.className = "charted-window";
      tr.dataset.vendor = String(dataset.vendorId);
      tr.dataset.windowStart = starts[i];
      tr.dataset.passengers = String(value);
      tr.dataset.trips = String(trips[v].data[i]);
      for (const text of [dataset.vendorId, starts[i], value, trips[v].data[i]]) {
        const td = document.createElement("td");
        td.textContent = String(text);
        tr.appendChild(td);
      }
      rows.push(tr);
    });
  });
  document.querySelector("#charted-windows tbody").replaceChildren(...rows);
}

function cell(text, numeric) {
  const td = document.createElement("td");
  td.textContent = text;
  if (numeric) td.className = "n";
  return td;
}

function emptyRow(columns, text) {
  const tr = document.createElement("tr");
  const td = cell(text, false);
  td.colSpan = columns;
  td.className = "empty";
  tr.appendChild(td);
  return tr;
}

function renderRejects(body) {
  const tbody = document.querySelector("#rejects tbody");
  const total = document.getElementById("rejects-total");
  if (body.status === "missing") {
    total.textContent = "–";
    tbody.replaceChildren(emptyRow(2, "No quarantine table (" + body.table + ") yet."));
    return;
  }
  total.textContent = body.total.toLocaleString("en-US") + (body.complete ? "" : "+") + " records rejected";
  const reasons = Object.entries(body.byReason).sort((a, b) => b[1] - a[1]);
  tbody.replaceChildren(...(reasons.length === 0 ? [emptyRow(2, "No rejected records.")] : reasons.map(([reason, count]) => {
    const tr = document.createElement("tr");
    tr.dataset.reason = reason;
    tr.dataset.count = String(count);
    tr.append(cell(reason, false), cell(count.toLocaleString("en-US"), true));
    return tr;
  })));
}

function formatAge(millis) {
  if (millis < 1000) return millis + " ms";
  if (millis < 120000) return (millis / 1000).toFixed(1) + " s";
  return (millis / 60000).toFixed(1) + " min";
}

// "shardId-000000000001" -> "shard 1"; any other id as it is.
function shardLabel(shardId) {
  const match = /^shardId-(\d+)$/.exec(shardId);
  return match ? "shard " + Number(match[1]) : shardId;
}

// "2026-11-27T09:06:30Z/2026-11-27T09:07:00Z" -> "09:06:30–09:07:00"; anything else as it is.
function windowText(window) {
  if (!window) return "–";
  const match = /^\d{4}-\d\d-\d\dT(\d\d:\d\d:\d\d)[^/]*\/\d{4}-\d\d-\d\dT(\d\d:\d\d:\d\d)/.exec(window);
  return match ? match[1] + "–" + match[2] : window;
}

function renderLag(body) {
  const shards = body.shards;
  if (state.charts) {
    state.charts.lag.data.labels = shards.map((s) => shardLabel(s.shardId));
    state.charts.lag.data.datasets[0].data = shards.map((s) => s.iteratorAgeMillis / 1000);
    state.charts.lag.update("none");
  }
  const tbody = document.querySelector("#lag tbody");
  tbody.replaceChildren(...(shards.length === 0 ? [emptyRow(6, "No event source mapping attached.")] : shards.map((s) => {
    const tr = document.createElement("tr");
    tr.dataset.shard = s.shardId;
    tr.dataset.iteratorAgeMillis = String(s.iteratorAgeMillis);
    const shard = cell(shardLabel(s.shardId), false);
    shard.title = s.shardId + (s.lastCheckpoint ? "\nlast checkpoint: " + s.lastCheckpoint : "");
    tr.append(shard, cell(formatAge(s.iteratorAgeMillis), true), cell(String(s.recordsIn), true),
      cell(String(s.invocations), true), cell(String(s.failures), true), cell(windowText(s.currentWindow), false));
    return tr;
  })));
}

async function getJson(url) {
  const response = await fetch(url, { cache: "no-store" });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.status + " " + response.statusText);
  return body;
}

async function poll() {
  // Ask again for everything from the oldest window on screen: a window's item grows while
  // several shards add their parts, so recent windows are re-read, not only new ones.
  const since = state.windows.length > 0 ? state.windows[0].windowStart : "";
  // each panel stands alone: a missing quarantine table must not stop the charts, and so on
  const [aggregates, rejects, lag] = await Promise.allSettled([
    getJson("api/aggregates" + (since ? "?since=" + encodeURIComponent(since) : "")),
    getJson("api/rejects"),
    getJson("api/lag"),
  ]);
  const status = document.getElementById("status");
  if (aggregates.status === "fulfilled") {
    const body = aggregates.value;
    state.windows = body.windows;
    renderAggregates(body.windows);
    renderWindowLength(body.windows);
    const vendors = new Set(body.windows.map((w) => w.vendorId)).size;
    const windowCount = new Set(body.windows.map((w) => w.windowStart)).size;
    const partial = body.partialWindows.length;
    status.textContent = "Table " + body.table + ": " + windowCount + " windows, " + vendors + " vendors"
      + (body.complete ? "" : " (partial scan)")
      + (partial === 0 ? "" : " · " + partial + (partial === 1 ? " window holds" : " windows hold")
        + " the sums of some shards only: another's final invoke is to come, or was given up")
      + " · updated " + body.generatedAt.slice(11, 19) + " UTC";
    status.className = "status live";
    document.body.dataset.updated = body.generatedAt;
  } else {
    status.textContent = "Not updating: " + aggregates.reason.message;
    status.className = "status stale";
  }
  if (rejects.status === "fulfilled") renderRejects(rejects.value);
  if (lag.status === "fulfilled") renderLag(lag.value);
  state.polls += 1;
  document.body.dataset.polls = String(state.polls);
}

/** The headings name the window's length once a window says it, e.g. "Passengers per 30 s window". */
function renderWindowLength(windows) {
  if (windows.length === 0) return;
  const seconds = (Date.parse(windows[0].windowEnd) - Date.parse(windows[0].windowStart)) / 1000;
  const length = seconds % 60 === 0 ? seconds / 60 + " min" : seconds + " s";
  document.getElementById("passengers-heading").textContent = "Passengers per " + length + " window";
  document.getElementById("trips-heading").textContent = "Trips per " + length + " window";
}

state.charts = createCharts();
poll();
setInterval(poll, POLL_MILLIS);
