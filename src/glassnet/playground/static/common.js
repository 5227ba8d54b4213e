// Shared by both modes: talking to the server, showing its errors, formatting its numbers and
// setting the lecture's names it sends. The page draws; it does no neural-network arithmetic.

export async function api(path, options = {}) {
  const init = { method: options.method || (options.json !== undefined || options.form ? "POST" : "GET") };
  if (options.json !== undefined) {
    init.headers = { "Content-Type": "application/json" };
    init.body = JSON.stringify(options.json);
  } else if (options.form) {
    init.body = options.form;
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (err) {
    showError("The playground server does not answer; is it still running?");
    throw err;
  }
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (err) { data = null; }
  if (!response.ok) {
    const message = data && data.error ? data.error : `the server answered ${response.status}`;
    showError(message);
    throw new Error(message);
  }
  return data;
}

export function showError(message) {
  document.getElementById("error-text").textContent = message;
  document.getElementById("error").hidden = false;
}

export function clearError() {
  document.getElementById("error").hidden = true;
}

// As glassnet's explain renderers print numbers: 5 decimals (trailing zeros trimmed to two),
// or 5 significant figures below 0.1, so that the diagram and the derivation agree.
export function fmt(value, digits = 5) {
  if (value === null || value === undefined) return "—";
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return "0";
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  if (magnitude >= 6 || magnitude < -6) return value.toExponential(Math.max(digits - 1, 1));
  const decimals = Math.max(digits, digits - 1 - magnitude);
  let text = value.toFixed(decimals);
  let [whole, frac] = text.split(".");
  frac = frac.replace(/0+$/, "");
  if (frac.length < 2) frac = frac.padEnd(2, "0");
  if (/^0*$/.test(frac) && /^-?0$/.test(whole)) return text;
  return `${whole}.${frac}`;
}

// Parse what a student typed; null when it is not a finite number.
export function parse(text) {
  const value = Number(String(text).trim().replace("−", "-"));
  return String(text).trim() !== "" && Number.isFinite(value) ? value : null;
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

// A name as the server sends it ({base: "w", sub: "12", layer: 1}, see names.py), set as the
// slides set it: the base, the indices below, [layer] above (no layer for x, y and ŷ).
export function nameNodes(name) {
  const nodes = [name.base];
  if (name.sub) nodes.push(el("sub", { text: name.sub }));
  if (name.layer !== null) nodes.push(el("sup", { text: `[${name.layer}]` }));
  return nodes;
}

// The same name as plain text, for labels, tooltips and error sentences: "w₁₂[1]".
export function nameText(name) {
  const sub = name.sub.replace(/\d/g, (d) => "₀₁₂₃₄₅₆₇₈₉"[d]);
  return `${name.base}${sub}${name.layer !== null ? `[${name.layer}]` : ""}`;
}

// A small line chart: series = [{values: [...], cls: "train"}], x = step numbers.
export function chart(svg, steps, series, { height = 140 } = {}) {
  const width = Math.max(svg.clientWidth || 480, 200);  // draw in pixels: text keeps its size
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("height", height);
  const pad = { l: 46, r: 10, t: 8, b: 22 };
  const all = series.flatMap((s) => s.values).filter((v) => Number.isFinite(v));
  svg.replaceChildren();
  const ns = "http://www.w3.org/2000/svg";
  const make = (tag, attrs) => {
    const node = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    svg.append(node);
    return node;
  };
  make("line", { x1: pad.l, y1: height - pad.b, x2: width - pad.r, y2: height - pad.b, class: "axis" });
  make("line", { x1: pad.l, y1: pad.t, x2: pad.l, y2: height - pad.b, class: "axis" });
  if (!all.length) return;
  const top = Math.max(...all) * 1.05 || 1;
  const first = steps[0], last = steps[steps.length - 1];
  const sx = (s) => pad.l + (last > first ? (s - first) / (last - first) : 0.5) * (width - pad.l - pad.r);
  const sy = (v) => height - pad.b - (v / top) * (height - pad.t - pad.b);
  make("text", { x: 4, y: pad.t + 10 }).textContent = fmt(top, 3);
  make("text", { x: 4, y: height - pad.b }).textContent = "0";
  // x: the first and last step, once each (a single point is labelled once, under itself)
  if (last > first) make("text", { x: pad.l, y: height - 6 }).textContent = String(first);
  make("text", { x: sx(last), y: height - 6, "text-anchor": last > first ? "end" : "middle" }).textContent = String(last);
  for (const s of series) {
    const points = steps.map((step, i) => [step, s.values[i]]).filter(([, v]) => Number.isFinite(v));
    make("polyline", { class: s.cls, points: points.map(([step, v]) => `${sx(step)},${sy(v)}`).join(" ") });
    if (s.dots) for (const [step, v] of points) make("circle", { cx: sx(step), cy: sy(v), r: 3 });
  }
}

// Each mode listens for "gn-mode" on the document, so that this file needs neither of them.
export function showMode(mode) {
  for (const tab of document.querySelectorAll("nav [role=tab]")) {
    tab.setAttribute("aria-selected", String(tab.dataset.mode === mode));
  }
  document.getElementById("mode-step").hidden = mode !== "step";
  document.getElementById("mode-train").hidden = mode !== "train";
  document.dispatchEvent(new CustomEvent("gn-mode", { detail: mode }));
}

export function startTabs() {
  for (const tab of document.querySelectorAll("nav [role=tab]")) {
    tab.addEventListener("click", () => showMode(tab.dataset.mode));
  }
  document.getElementById("error-close").addEventListener("click", clearError);
  startPresentation();
}

// ---- share links (both modes) ------------------------------------------------------------
// A link is this page's own address with the set-up in the fragment, "#step?setup=…" or
// "#train?dataset=…", so it works wherever the page is served and never reaches a server log.

export function shareLink(mode, params) {
  const url = `${location.origin}${location.pathname}#${mode}?${params}`;
  history.replaceState(null, "", url);
  return url;
}

export function showLink(input, url) {
  input.hidden = false;
  input.value = url;
  input.select();
  if (navigator.clipboard) navigator.clipboard.writeText(url).catch(() => {});
}

// The parameters of a link to `mode`, or null when the page was not opened from one.
export function linkParams(mode) {
  if (!location.hash.startsWith(`#${mode}`)) return null;
  return new URLSearchParams(location.hash.split("?").slice(1).join("?"));
}

// An uploaded CSV travels in the link when, deflated and in base64url, it takes at most this
// many characters (about 3 KB: a few hundred points), so that the link stays one to paste.
const CSV_LINK_LIMIT = 4000;
let rememberedCsv = null;

export function rememberCsv(file) {
  rememberedCsv = file ? file.text() : null;
}

// The last uploaded CSV packed for a link, or null when there is none or it is too large.
export async function csvForLink() {
  if (!rememberedCsv) return null;
  const bytes = await new Response(new Blob([await rememberedCsv]).stream()
    .pipeThrough(new CompressionStream("deflate-raw"))).arrayBuffer();
  let binary = "";
  for (const b of new Uint8Array(bytes)) binary += String.fromCharCode(b);
  const packed = btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return packed.length <= CSV_LINK_LIMIT ? packed : null;
}

// The CSV a link carries, as a File to upload like one the student chose.
export async function csvFromLink(packed) {
  const binary = atob(packed.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  const text = await new Response(new Blob([bytes]).stream()
    .pipeThrough(new DecompressionStream("deflate-raw"))).text();
  return new File([text], "shared.csv", { type: "text/csv" });
}

// The presentation setting: larger type, fewer panels; each mode redraws on "gn-present".
function startPresentation() {
  document.getElementById("present").addEventListener("change", (e) => {
    document.body.classList.toggle("presenting", e.target.checked);
    document.dispatchEvent(new CustomEvent("gn-present"));
  });
}
