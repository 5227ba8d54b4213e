// Train mode, the drawing: the output over the plane and the data, the network diagram (every
// neuron a small map, every edge coloured and thickened by its weight), the metrics and the
// loss curves. trainView(T) draws the state T of train.js; it computes nothing, it only paints
// the server's maps and writes the names the session sent (T.session.names).

import { chart, el, fmt, nameNodes } from "./common.js";

export const PALETTE = ["#f59e0b", "#2563eb", "#16a34a", "#9333ea", "#dc2626", "#0891b2", "#db2777", "#65a30d"];
const NEG = "#f59e0b", POS = "#2563eb";  // TF Playground's orange and blue: class 0 and 1, − and +
const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";

export function bytes(map) {
  const raw = atob(map.data), out = new Uint8Array(raw.length);
  for (let k = 0; k < raw.length; k++) out[k] = raw.charCodeAt(k);
  return out;
}

// The values of a quantised map: byte q stands for min + q / 255 · (max − min) (maps.py).
export function values(map) {
  const data = bytes(map), out = new Float64Array(data.length);
  for (let k = 0; k < data.length; k++) out[k] = map.min + (data[k] / 255) * (map.max - map.min);
  return out;
}

export const rgb = (hex) => [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16));
export const mix = (a, b, t) => a.map((v, k) => Math.round(v + (b[k] - v) * t));
export const WHITE = [255, 255, 255];
const NEG_RGB = rgb(NEG), POS_RGB = rgb(POS);

// The colour scale: −1 orange, 0 white, +1 blue, clipped beyond.
export function diverging(v) {
  const t = Math.max(-1, Math.min(1, v));
  return t < 0 ? mix(WHITE, NEG_RGB, -t) : mix(WHITE, POS_RGB, t);
}

export function paintGrid(canvas, size, colourOf) {
  const off = document.createElement("canvas");
  off.width = off.height = size;
  const ctx = off.getContext("2d"), image = ctx.createImageData(size, size);
  for (let k = 0; k < size * size; k++) {
    const [r, g, b] = colourOf(k);
    image.data.set([r, g, b, 255], 4 * k);
  }
  ctx.putImageData(image, 0, 0);
  const target = canvas.getContext("2d");
  target.imageSmoothingEnabled = true;
  target.drawImage(off, 0, 0, canvas.width, canvas.height);
}

const item = (...parts) => el("span", { class: "m-item" }, ...parts);  // never broken inside

export function pct(value) { return value === null || value === undefined ? "—" : `${(100 * value).toFixed(1)}%`; }

export function trainView(T) {
  const regression = () => T.session.problem === "regression";

  function drawPlane(report) {
    const s = T.session, grid = s.grid, canvas = $("t-plane");
    const discrete = $("t-discretize").checked;
    if (regression()) {
      const field = values(report.field);
      paintGrid(canvas, grid.size, (k) => diverging(discrete ? Math.sign(field[k]) : field[k]));
    } else {
      const K = s.classes.length, label = bytes(report.boundary.label), prob = bytes(report.boundary.probability);
      const colours = PALETTE.map(rgb);
      paintGrid(canvas, grid.size, (k) => {
        const t = discrete ? 1 : Math.max(0, (prob[k] / 255 - 1 / K) / (1 - 1 / K));
        return mix(WHITE, colours[label[k] % colours.length], 0.1 + 0.5 * t);
      });
    }
    const ctx = canvas.getContext("2d"), W = canvas.width, H = canvas.height;
    const px = (x) => ((x - grid.x_min) / (grid.x_max - grid.x_min)) * W;
    const py = (y) => ((grid.y_max - y) / (grid.y_max - grid.y_min)) * H;
    const radius = s.train.X.length + s.test.X.length < 50 ? 9 : 4.5;  // XOR's 4 points must show
    const colourOf = (y) => (regression() ? `rgb(${diverging(y).join(",")})` : PALETTE[y % PALETTE.length]);
    const dots = (part, hollow) => part.X.forEach(([x, y], k) => {
      ctx.beginPath();
      ctx.arc(px(x), py(y), radius, 0, 2 * Math.PI);
      const colour = colourOf(part.y[k]);
      ctx.fillStyle = hollow ? "white" : colour;
      ctx.strokeStyle = hollow ? colour : regression() ? "#344054" : "white";
      ctx.lineWidth = hollow ? 2.5 : 1.2;
      ctx.fill();
      ctx.stroke();
    });
    dots(s.train, false);
    if ($("t-show-test").checked) dots(s.test, true);
  }

  // ---- the network diagram -------------------------------------------------------------
  // Columns: the input features, each hidden layer, the output; a node is a canvas of its
  // map. The DOM is rebuilt only when the network changes shape; a step repaints.
  function layout(report) {
    const s = T.session, root = $("t-network"), main = root.closest(".train-main");
    const plane = Math.max(280, Math.min(0.3 * window.innerWidth, 420));  // train.css's clamp
    main.classList.toggle("stacked", (report.neurons.length + 2) * 80 > main.clientWidth - plane - 16);
    const key = `${s.id}|${s.names.inputs.join()}|${report.neurons.map((l) => l.length).join()}|${report.outputs.length}`;
    // as large as the width allows, small enough that the tallest column fits the window
    const columns = (root.clientWidth || 600) / (report.neurons.length + 2);
    const tallest = Math.max(s.names.inputs.length, report.outputs.length, ...report.neurons.map((l) => l.length));
    const height = Math.max(320, window.innerHeight - 290) / tallest - 24;  // caption and gap
    const size = Math.round(Math.max(26, Math.min(52, columns * 0.5, height)));
    if (root.dataset.key === key && root.dataset.size === String(size)) return;
    root.dataset.key = key;
    root.dataset.size = String(size);
    root.style.setProperty("--node", `${size}px`);
    const node = (kind, caption, title) => el("figure", { class: `net-node ${kind}`, title },
      el("canvas", { width: 48, height: 48 }), el("figcaption", {}, ...caption));
    const col = (heading, nodes) => el("div", { class: "net-col" }, el("h3", { text: heading }), el("div", { class: "net-nodes" }, ...nodes));
    const outputNames = report.outputs.length === 1 ? [["ŷ"]] : s.classes.map((c, k) => ["ŷ", el("sub", { text: String(k + 1) })]);
    root.replaceChildren(
      document.createElementNS(SVG, "svg"),
      el("div", { class: "net-columns" },
        col("inputs", s.names.inputs.map((name) => node("input", [name], `input ${name}`))),
        ...report.neurons.map((layer, l) => col(`hidden ${l + 1}`, layer.map((_, i) =>
          node("hidden", nameNodes(s.names.hidden[l][i]), `hidden neuron ${s.names.hidden[l][i].text}`)))),
        col("output", outputNames.map((name, k) => node("output", name,
          regression() ? "output ŷ" : `output ŷ${outputNames.length > 1 ? k + 1 : ""}: probability of class ${s.classes[outputNames.length > 1 ? k : 1]}`)))));
    root.firstChild.classList.add("net-edges");
    // h-extras hook: data-layer/data-neuron (from 1, as the lecture counts) on each hidden and
    // output node, so that a click opens the neuron inspector (inspect.js)
    [...root.querySelectorAll(".net-col")].slice(1).forEach((col, l) =>
      col.querySelectorAll(".net-node").forEach((node, i) => Object.assign(node.dataset, { layer: l + 1, neuron: i + 1 })));
  }

  function paintNodes(report) {
    const size = T.session.grid.coarse, root = $("t-network");
    const columns = [...root.querySelectorAll(".net-col")];
    const paint = (canvas, map, colour) => {
      const v = values(map);
      paintGrid(canvas, size, (c) => colour(v[c]));
    };
    [...columns[0].querySelectorAll("canvas")].forEach((canvas, j) => {
      const map = report.inputs[j], scale = Math.max(Math.abs(map.min), Math.abs(map.max)) || 1;
      paint(canvas, map, (v) => diverging(v / scale));
      canvas.parentNode.title = `input ${T.session.names.inputs[j]}: from ${fmt(map.min, 3)} to ${fmt(map.max, 3)} over the plane`;
    });
    report.neurons.forEach((layer, l) => [...columns[l + 1].querySelectorAll("canvas")].forEach((canvas, i) => {
      paint(canvas, layer[i], diverging);
      canvas.parentNode.title = `hidden neuron ${T.session.names.hidden[l][i].text}: from ${fmt(layer[i].min, 3)} to ${fmt(layer[i].max, 3)}`;
    }));
    const outputs = [...columns[columns.length - 1].querySelectorAll("canvas")];
    const binary = !regression() && report.outputs.length === 1;
    outputs.forEach((canvas, k) => {
      const map = report.outputs[k];
      if (regression()) paint(canvas, map, diverging);
      else if (binary) paint(canvas, map, (p) => diverging(2 * p - 1));  // class 0 orange, 1 blue
      else paint(canvas, map, (p) => mix(WHITE, rgb(PALETTE[k % PALETTE.length]), p));
    });
  }

  function drawEdges(report) {
    const root = $("t-network"), svg = root.querySelector("svg.net-edges");
    const box = root.getBoundingClientRect();
    svg.setAttribute("width", root.clientWidth);
    svg.setAttribute("height", root.clientHeight);
    svg.replaceChildren();
    const anchors = [...root.querySelectorAll(".net-col")].map((col) => [...col.querySelectorAll("canvas")].map((c) => {
      const r = c.getBoundingClientRect();
      return { left: r.left - box.left, right: r.right - box.left, y: r.top - box.top + r.height / 2 };
    }));
    report.weights.forEach((W, l) => W.forEach((row, j) => row.forEach((w, i) => {
      const from = anchors[l][j], to = anchors[l + 1][i];
      if (!from || !to || w === null) return;
      const line = document.createElementNS(SVG, "line");
      for (const [k, v] of Object.entries({ x1: from.right, y1: from.y, x2: to.left, y2: to.y })) line.setAttribute(k, v);
      line.setAttribute("stroke", w < 0 ? NEG : POS);
      line.setAttribute("stroke-width", Math.min(0.5 + 1.5 * Math.abs(w), 7).toFixed(2));
      const title = document.createElementNS(SVG, "title");
      title.textContent = `weight from ${l === 0 ? T.session.names.inputs[j] : T.session.names.hidden[l - 1][j].text} to ${l < report.neurons.length ? T.session.names.hidden[l][i].text : "the output"}: ${fmt(w, 4)}`;
      line.append(title);
      svg.append(line);
    })));
  }

  function drawMetrics(report) {
    const m = $("t-metrics"), mse = regression() ? " (mean squared error)" : "";
    // the step and epoch beside Play (the run bar on top); below the plane, one row per
    // quantity, wrapping only between whole items ("loss" | "train … · test …")
    $("t-counter").replaceChildren(item("step ", el("b", { id: "t-steps", text: String(report.step) })),
      " ", item("epoch ", el("b", { id: "t-epoch", text: report.epoch.toFixed(2) })));
    const row = (name, ...values) => el("span", { class: "m-row" }, item(name), " ", item(...values));
    const rows = [row(`loss${mse}`, "train ", el("b", { id: "t-train-loss", text: fmt(report.train_loss, 4) }),
      " · test ", el("b", { id: "t-test-loss", text: fmt(report.test_loss, 4) }))];
    if (!regression()) {
      rows.push(row("accuracy", "train ", el("b", { id: "t-train-acc", text: pct(report.train_accuracy) }),
        " · test ", el("b", { id: "t-test-acc", text: pct(report.test_accuracy) })));
    }
    if (report.penalty !== null && report.penalty !== undefined) {
      const kind = T.session.settings.penalty === "l1" ? "λΣ|w|" : "(λ/2)Σw²";
      rows.push(row(`penalty ${kind}`, el("b", { id: "t-penalty-value", text: fmt(report.penalty, 4) })));
    }
    m.replaceChildren(...rows);
    const shade = regression() ? "colours show y and ŷ from −1 (orange) to +1 (blue)"
      : "the shade is the network's confidence in its class";
    $("t-plane-legend").replaceChildren(el("span", { class: "dot" }), " training point ",
      el("span", { class: "dot hollow" }), ` test point; ${shade}. Click the plane to add a point.`);
  }

  function draw(report) {
    drawPlane(report);
    layout(report);
    paintNodes(report);
    drawEdges(report);
    drawMetrics(report);
    chart($("t-curves"), T.history.step, [{ values: T.history.train_loss, cls: "train" },
      { values: T.history.test_loss, cls: "test" }], { height: 160 });
  }

  // The point of the plane under a click, in the data's coordinates.
  function planePoint(event) {
    const grid = T.session.grid, r = $("t-plane").getBoundingClientRect();
    const fx = (event.clientX - r.left) / r.width, fy = (event.clientY - r.top) / r.height;
    return [grid.x_min + fx * (grid.x_max - grid.x_min), grid.y_max - fy * (grid.y_max - grid.y_min)];
  }

  return { draw, planePoint };
}
