// routewatch web page: plain JS, no build step, no CDN. Data from state's REST API; live via SSE.
"use strict";
const COLORS = ["#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];
const shown = [];      // networks on the page: "AS131279", "KP", ...
let chartAsn = null;   // origin whose history is charted
let current = null;    // its upstreams now (GET /api/v1/upstreams), the chart's last step

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}
const pct = (f) => (f * 100).toFixed(1) + " %";
const time = (us) => (us ? new Date(us / 1000).toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z") : "-");

// API token (routewatch.security.api-token): kept for this browser tab only (sessionStorage), sent
// as a bearer token. It arrives once in the URL fragment (/#token=...; a fragment never reaches a
// server or its logs) or through the form shown when the API answers 401.
const TOKEN_KEY = "routewatch-token";
function takeTokenFromUrl() {
  const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (m) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]));
    history.replaceState(null, "", location.pathname + location.search);
  }
}
function authHeaders() {
  const t = sessionStorage.getItem(TOKEN_KEY);
  return t ? { Authorization: "Bearer " + t } : {};
}
function askForToken() {
  if (document.getElementById("token-form")) return;
  const input = el("input", { id: "token-input", type: "password", placeholder: "API token", autocomplete: "off" });
  const form = el("form", { id: "token-form", class: "token" }, "This routewatch needs its API token: ", input, el("button", { type: "submit" }, "Use"));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, input.value.trim());
    form.remove();
    refresh();
  });
  document.querySelector("header").append(form);
}

async function getJson(url) {
  const r = await fetch(url, { headers: { Accept: "application/json", ...authHeaders() } });
  const body = await r.json().catch(() => ({}));
  if (r.status === 401) askForToken();
  if (!r.ok) throw new Error(body.error || ("HTTP " + r.status));
  return body;
}

async function loadStats() {
  try {
    const s = await getJson("/api/v1/stats");
    document.getElementById("stats").textContent =
      `${Number(s.routes).toLocaleString()} routes · ${s.vantagePoints} VPs · journal at ${s.lastChangeSequence}`;
  } catch (e) {
    document.getElementById("stats").textContent = "state: " + e.message;
  }
}

async function loadNetworks() {
  const box = document.getElementById("networks");
  const parts = [];
  for (const n of shown) {
    const sec = el("div", { class: "network", "data-target": n });
    try {
      const u = await getJson("/api/v1/upstreams/" + encodeURIComponent(n));
      sec.append(el("h3", {}, n + " ", el("span", { class: "muted" }, `${u.pathCount} VP paths`)));
      if (!u.upstreams.length) {
        sec.append(el("p", { class: "muted" }, "no upstream known"));
      } else {
        const t = el("table", {}, el("tr", {}, el("th", {}, "upstream"), el("th", {}, "VP share"), el("th", {}, ""),
          el("th", {}, "addr share"), el("th", {}, "VPs"), el("th", {}, "since")));
        u.upstreams.forEach((x, i) => {
          const bar = el("span", { class: "barbox" }, el("span", { class: "bar u" + (i % 4), style: `width:${Math.round(x.vpShare * 160)}px` }));
          t.append(el("tr", { class: "upstream", "data-upstream": x.asn }, el("td", {}, "AS" + x.asn), el("td", { class: "num" }, pct(x.vpShare)),
            el("td", {}, bar), el("td", { class: "num" }, pct(x.addressShare)), el("td", { class: "num" }, x.vpCount), el("td", {}, time(x.sinceMicros))));
        });
        sec.append(t);
      }
      if (/^AS\d+$/i.test(n) && !chartAsn) chartAsn = n.toUpperCase();
      if (chartAsn === n.toUpperCase()) current = u;
    } catch (e) {
      sec.append(el("h3", {}, n), el("p", { class: "muted" }, e.message));
    }
    parts.push(sec);
  }
  box.replaceChildren(...parts);
}

// Stacked step areas of upstream share over time, the same picture as `routewatch plot upstreams`.
async function loadChart() {
  const box = document.getElementById("chart");
  if (!chartAsn) return;
  document.getElementById("chart-asn").textContent = chartAsn;
  let h;
  try {
    h = await getJson("/api/v1/history/" + chartAsn);
  } catch (e) {
    box.replaceChildren(el("p", { class: "muted" }, e.message));
    return;
  }
  const samples = h.samples || [];
  const byTime = new Map();
  for (const s of samples) {
    const t = Number(s.timeMicros);
    if (!byTime.has(t)) byTime.set(t, new Map());
    if (s.upstream) byTime.get(t).set(s.upstream, s.vpShare);
  }
  // The table as it is now holds since its newest upstream appeared: a step there when history has
  // nothing at or after it (history starts with the first change state reported; an archive
  // imported into a fresh state has a table but may have no change yet).
  if (current && current.upstreams && current.upstreams.length) {
    const since = Math.max(...current.upstreams.map((x) => Number(x.sinceMicros || x.firstSeenMicros || 0)));
    if (since > 0 && ![...byTime.keys()].some((t) => t >= since)) {
      byTime.set(since, new Map(current.upstreams.map((x) => [x.asn, x.vpShare])));
    }
  }
  if (!byTime.size) { box.replaceChildren(el("p", { class: "muted" }, "no history yet")); return; }
  const times = [...byTime.keys()].sort((a, b) => a - b);
  const ups = [];
  for (const t of times) for (const u of byTime.get(t).keys()) if (!ups.includes(u)) ups.push(u);
  // live data runs to now; an archive's history (long past) ends at its last sample plus a margin
  const last = times[times.length - 1], nowUs = Date.now() * 1000;
  const from = times[0], to = nowUs - last < 86400e6 ? Math.max(nowUs, last + 1) : last + Math.max(3600e6, (last - from) / 10);
  const W = 1180, H = 300, L = 50, R = 150, T = 10, B = 30, pw = W - L - R, ph = H - T - B;
  const x = (t) => L + (t - from) / (to - from) * pw, y = (f) => T + (1 - f) * ph;
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`); svg.setAttribute("width", "100%");
  const add = (tag, attrs, text) => {
    const e = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    svg.append(e); return e;
  };
  for (let p = 0; p <= 100; p += 25) {
    add("line", { x1: L, x2: L + pw, y1: y(p / 100), y2: y(p / 100), stroke: "#e5e5e5" });
    add("text", { x: L - 4, y: y(p / 100) + 4, "text-anchor": "end" }, p + " %");
  }
  ups.forEach((u, k) => {
    const top = [], bottom = [];
    times.forEach((t, i) => {
      let lo = 0;
      for (let v = 0; v < k; v++) lo += byTime.get(t).get(ups[v]) || 0;
      const hi = lo + (byTime.get(t).get(u) || 0), x0 = x(t), x1 = x(i + 1 < times.length ? times[i + 1] : to);
      top.push(`${x0},${y(hi)}`, `${x1},${y(hi)}`); bottom.unshift(`${x1},${y(lo)}`, `${x0},${y(lo)}`);
    });
    add("polygon", { class: "band", "data-upstream": u, points: top.concat(bottom).join(" "), fill: COLORS[k % COLORS.length], "fill-opacity": 0.85 });
    add("rect", { x: L + pw + 12, y: T + 4 + 20 * k, width: 12, height: 12, fill: COLORS[k % COLORS.length] });
    add("text", { x: L + pw + 30, y: T + 14 + 20 * k }, "AS" + u);
  });
  for (const o of h.outages || []) {
    const s = Number(o.startMicros), e = Number(o.endMicros) || to;
    add("rect", { class: "outage", x: x(Math.max(s, from)), y: T, width: Math.max(1.5, x(e) - x(Math.max(s, from))), height: ph, fill: "#000", "fill-opacity": 0.18 });
  }
  add("line", { x1: L, x2: L + pw, y1: T + ph, y2: T + ph, stroke: "#333" });
  add("text", { x: L, y: H - 8 }, time(from));
  add("text", { x: L + pw, y: H - 8, "text-anchor": "end" }, time(to));
  box.replaceChildren(svg);
}

async function loadAlerts() {
  const box = document.getElementById("alerts");
  try {
    const list = await getJson("/web/alerts");
    if (!list.length) { box.replaceChildren(el("p", { class: "muted" }, "no open alerts")); return; }
    box.replaceChildren(...list.map((a) => el("div", { class: "alert " + (a.severity || "") },
      el("strong", {}, a.type || a.alertname || "alert"), " ", a.summary || "", " ", el("span", { class: "muted" }, "since " + time(a.startsAtMicros)))));
  } catch (e) {
    box.replaceChildren(el("p", { class: "muted" }, "alerts unavailable: " + e.message));
  }
}

async function loadWatchList() {
  try {
    const w = await getJson("/web/watch");
    for (const e of w) if (e.kind === "ASN" || e.kind === "COUNTRY") if (!shown.includes(e.value)) shown.push(e.value);
  } catch (e) { /* alert service not there: the configured networks are enough */ }
}

let pending = null;
function refresh() {
  if (pending) return;
  pending = setTimeout(async () => {
    pending = null;
    await Promise.all([loadStats(), loadNetworks(), loadAlerts()]);
    await loadChart();
  }, 250);
}

// Live ticks over SSE, read with fetch so the token goes in a header (EventSource cannot send
// one); reconnects after a pause when the stream ends.
async function live() {
  const dot = document.getElementById("live");
  for (;;) {
    try {
      const r = await fetch("/web/live", { headers: { Accept: "text/event-stream", ...authHeaders() } });
      if (r.status === 401) { askForToken(); throw new Error("unauthenticated"); }
      if (!r.ok || !r.body) throw new Error("HTTP " + r.status);
      dot.className = "live on";
      const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
      let buf = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += value;
        let end;
        while ((end = buf.indexOf("\n\n")) >= 0) {
          const event = buf.slice(0, end);
          buf = buf.slice(end + 2);
          const data = event.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trim()).join("\n");
          if (/^event:\s*tick/m.test(event) && data && !JSON.parse(data).keepAlive) refresh();
        }
      }
    } catch (e) {
      // fall through to the pause
    }
    dot.className = "live off";
    await new Promise((res) => setTimeout(res, 5000));
  }
}

async function main() {
  takeTokenFromUrl();
  const params = new URLSearchParams(location.search);
  const cfg = await getJson("/web/config").catch(() => ({ networks: ["AS131279"] }));
  for (const n of (params.get("networks") ? params.get("networks").split(",") : cfg.networks)) shown.push(n.trim());
  await loadWatchList();
  document.getElementById("add-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const v = document.getElementById("add-input").value.trim().toUpperCase();
    if (v && !shown.includes(v)) { shown.push(v); refresh(); }
  });
  refresh();
  // ?live=0: no SSE (headless snapshots: an open stream keeps virtual time from advancing)
  if (params.get("live") !== "0") live();
}
main();
