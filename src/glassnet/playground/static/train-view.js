// Train mode, the drawing: the decision boundary and the data, the hidden neurons' maps, the
// metrics and the loss curves. trainView(T) draws the state T of train.js; it computes nothing,
// it only paints the server's maps and writes the names the session sent (T.session.names).

import { chart, el, fmt, nameNodes } from "./common.js";

const PALETTE = ["#f59e0b", "#2563eb", "#16a34a", "#9333ea", "#dc2626", "#0891b2", "#db2777", "#65a30d"];
const $ = (id) => document.getElementById(id);

function bytes(map) {
  const raw = atob(map.data), out = new Uint8Array(raw.length);
  for (let k = 0; k < raw.length; k++) out[k] = raw.charCodeAt(k);
  return out;
}

const rgb = (hex) => [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16));
const mix = (a, b, t) => a.map((v, k) => Math.round(v + (b[k] - v) * t));

function paintGrid(canvas, size, colourOf) {
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

function pct(value) { return value === null || value === undefined ? "—" : `${(100 * value).toFixed(1)}%`; }

export function trainView(T) {
  function drawPlane(report) {
    const s = T.session, grid = s.grid, K = s.classes.length, canvas = $("t-plane");
    const label = bytes(report.boundary.label), prob = bytes(report.boundary.probability);
    const white = [255, 255, 255], colours = PALETTE.map(rgb);
    paintGrid(canvas, grid.size, (k) => {
      const t = Math.max(0, (prob[k] / 255 - 1 / K) / (1 - 1 / K));
      return mix(white, colours[label[k] % colours.length], 0.1 + 0.5 * t);
    });
    const ctx = canvas.getContext("2d"), W = canvas.width, H = canvas.height;
    const px = (x) => ((x - grid.x_min) / (grid.x_max - grid.x_min)) * W;
    const py = (y) => ((grid.y_max - y) / (grid.y_max - grid.y_min)) * H;
    const radius = s.train.X.length + s.test.X.length < 50 ? 9 : 4.5;  // XOR's 4 points must show
    const dots = (part, hollow) => part.X.forEach(([x, y], k) => {
      ctx.beginPath();
      ctx.arc(px(x), py(y), radius, 0, 2 * Math.PI);
      const colour = PALETTE[part.y[k] % PALETTE.length];
      ctx.fillStyle = hollow ? "white" : colour;
      ctx.strokeStyle = hollow ? colour : "white";
      ctx.lineWidth = hollow ? 2.5 : 1.2;
      ctx.fill();
      ctx.stroke();
    });
    dots(s.train, false);
    dots(s.test, true);
  }

  function drawNeurons(report) {
    const root = $("t-neurons"), size = T.session.grid.coarse;
    root.replaceChildren();
    if (!report.neurons.length) root.append(el("p", { class: "hint", text: "No hidden layers: the boundary is one straight line (logistic regression)." }));
    const neg = rgb("#f59e0b"), pos = rgb("#2563eb"), white = [255, 255, 255];
    report.neurons.forEach((maps, k) => {
      const box = el("div", { class: "layer-maps" }, el("h3", { text: `hidden layer ${k + 1} (${T.session.settings.activation})` }));
      maps.forEach((map, i) => {
        const canvas = el("canvas", { width: 64, height: 64, title: `from ${fmt(map.min, 3)} to ${fmt(map.max, 3)}` });
        const data = bytes(map), scale = Math.max(Math.abs(map.min), Math.abs(map.max)) || 1;
        paintGrid(canvas, size, (c) => {
          const v = (map.min + (data[c] / 255) * (map.max - map.min)) / scale;
          return v < 0 ? mix(white, neg, -v) : mix(white, pos, v);
        });
        // h-extras hook: data-layer/data-neuron let a click open the neuron inspector
        box.append(el("div", { class: "neuron-map", "data-layer": k + 1, "data-neuron": i + 1 },
          canvas, el("span", {}, ...nameNodes(T.session.names.hidden[k][i]))));
      });
      root.append(box);
    });
  }

  function draw(report) {
    drawPlane(report);
    drawNeurons(report);
    const m = $("t-metrics");
    m.replaceChildren(
      "step ", el("b", { id: "t-steps", text: String(report.step) }), ` · epoch ${report.epoch.toFixed(1)}`,
      el("br"), "loss train ", el("b", { id: "t-train-loss", text: fmt(report.train_loss, 4) }),
      " · test ", el("b", { id: "t-test-loss", text: fmt(report.test_loss, 4) }),
      el("br"), "accuracy train ", el("b", { id: "t-train-acc", text: pct(report.train_accuracy) }),
      " · test ", el("b", { id: "t-test-acc", text: pct(report.test_accuracy) }));
    chart($("t-curves"), T.history.step, [{ values: T.history.train_loss, cls: "train" },
      { values: T.history.test_loss, cls: "test" }], { height: 160 });
  }

  return { draw };
}
