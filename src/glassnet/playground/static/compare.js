// Compare two set-ups: two Train sessions from the same data and seed, differing in what the
// student changes (α 0.1 against 0.5, sigmoid against ReLU, …), trained in lock-step, with
// both decision boundaries and all four loss curves on one screen. It uses the train session
// API twice (POST /api/train, /api/train/{id}/step); no training code of its own.

import { api, chart, el, fmt, parse, showError } from "./common.js";
import { makeDialog, pausedSession } from "./dialog.js";
import { readable, trainSpec, trainState } from "./train.js";
import { PALETTE, WHITE, bytes, diverging, mix, paintGrid, pct, rgb, values } from "./train-view.js";

const PRESETS = [
  ["α 0.1 against 0.5", { optimizer: "sgd", lr: "0.1" }, { optimizer: "sgd", lr: "0.5" }],
  ["sigmoid against ReLU", { activation: "sigmoid" }, { activation: "relu" }],
  ["SGD against Adam", { optimizer: "sgd" }, { optimizer: "adam" }],
  ["one hidden layer against two", { hidden: "8" }, { hidden: "8, 8" }],
  ["no regularisation against L2", { penalty: "none", penalty_rate: "0" }, { penalty: "l2", penalty_rate: "0.01" }],
];
const FIELDS = [["activation", "activation"], ["lr", "learning rate"], ["hidden", "hidden layers"],
  ["optimizer", "optimizer"], ["batch_size", "batch size"], ["penalty", "regularisation"],
  ["penalty_rate", "regularisation rate"]];
const CHOICES = { activation: "activations", optimizer: "optimizers", penalty: "penalties" };

export function startCompare() {
  const { dialog, body } = makeDialog("x-compare", "Compare two set-ups");
  const C = { sides: [], playing: false, busy: false, history: null };
  const shared = el("p", { id: "x-cmp-shared", class: "hint" });
  const presets = el("div", { class: "buttons" }, el("span", { class: "hint", text: "Try:" }));
  const play = el("button", { type: "button", id: "x-cmp-play", class: "primary", text: "▶ Play both" });
  const step = el("button", { type: "button", id: "x-cmp-step", text: "Step both" });
  const restart = el("button", { type: "button", id: "x-cmp-restart", text: "Start again" });
  const curves = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  curves.setAttribute("class", "chart");
  curves.id = "x-cmp-curves";
  curves.setAttribute("role", "img");
  curves.setAttribute("aria-label", "loss of both set-ups");
  const columns = el("div", { class: "x-cmp-columns" });
  body.append(shared, el("div", { class: "x-cmp-bar" }, presets, el("div", { class: "buttons" }, play, step, restart)), columns,
    el("div", { class: "panel" }, el("h2", {}, "Loss ", el("span", { class: "legend x-cmp-legend" },
      el("i", { class: "a" }), "A train ", el("i", { class: "a test" }), "A test ",
      el("i", { class: "b" }), "B train ", el("i", { class: "b test" }), "B test")), curves));
  const sides = ["A", "B"].map((letter) => side(letter, columns));

  for (const [label, a, b] of PRESETS) {
    presets.append(el("button", { type: "button", text: label, onclick: () => {
      sides[0].set(a);
      sides[1].set(b);
      start();
    } }));
  }

  async function start() {
    stop();
    const base = trainSpec();
    if (typeof base.dataset !== "string" || base.dataset === "upload") {
      showError("Compare uses a built-in data set; choose one in Train first.");
      return;
    }
    shared.textContent = `Both use the same data and seed: ${base.dataset}, seed ${base.seed}, ` +
      `${Math.round(base.test_fraction * 100)} % for testing. Change what differs below.`;
    C.sides = [];
    C.history = { step: [], a: [], aTest: [], b: [], bTest: [] };
    try {
      const answers = [];
      for (const s of sides) answers.push(await api("/api/train", { json: { ...base, ...s.spec() } }));
      C.sides = answers;
      answers.forEach((answer, k) => record(k, answer));
      draw(answers);
    } catch (err) { C.sides = []; }
  }

  function record(k, report) {
    const h = C.history;
    if (k === 0) h.step.push(report.step);
    h[k === 0 ? "a" : "b"].push(report.train_loss);
    h[k === 0 ? "aTest" : "bTest"].push(report.test_loss);
  }

  function draw(reports) {
    reports.forEach((report, k) => sides[k].draw(C.sides[k], report));
    const h = C.history;
    chart(curves, h.step, [{ values: h.a, cls: "x-a" }, { values: h.aTest, cls: "x-a test-line" },
      { values: h.b, cls: "x-b" }, { values: h.bTest, cls: "x-b test-line" }], { height: 130 });
  }

  async function advance(count) {
    if (C.sides.length !== 2 || C.busy) return;
    C.busy = true;
    try {
      const reports = [];
      for (const s of C.sides) reports.push(await api(`/api/train/${s.id}/step`, { json: { steps: count } }));
      reports.forEach((report, k) => record(k, report));
      draw(reports);
    } catch (err) { stop(); } finally { C.busy = false; }
  }

  async function playBoth() {
    if (C.playing) { stop(); return; }
    if (C.sides.length !== 2) await start();
    if (C.sides.length !== 2) return;
    C.playing = true;
    play.textContent = "❚❚ Pause";
    while (C.playing && dialog.open) {
      // Train's "steps per frame", within the server's bound on samples per request
      const batch = Math.max(...C.sides.map((s) => s.settings.batch_size));
      const cap = Math.floor(trainState.options.limits.max_samples_per_request / batch);
      await advance(Math.max(1, Math.min(Number(document.getElementById("t-speed").value) || 5, cap)));
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    stop();
  }

  function stop() {
    C.playing = false;
    play.textContent = "▶ Play both";
  }

  play.addEventListener("click", playBoth);
  step.addEventListener("click", async () => { if (C.sides.length !== 2) await start(); advance(1); });
  restart.addEventListener("click", start);
  dialog.addEventListener("close", stop);
  document.getElementById("x-compare-open").addEventListener("click", async () => {
    await pausedSession();
    const base = trainSpec();
    for (const s of sides) s.set(Object.fromEntries(FIELDS.map(([name]) => [name, String(base[name])])));
    sides[1].set({ lr: String(Number((base.lr * 5).toPrecision(6))) });  // a first difference; edit freely
    dialog.openIt();
    start();
  });
}

// One set-up's controls, its boundary and its numbers.
function side(letter, parent) {
  const id = (name) => `x-cmp-${letter.toLowerCase()}-${name}`;
  const inputs = {};
  const form = el("fieldset", { class: "x-cmp-setup" }, el("legend", { text: `Set-up ${letter}` }));
  for (const [name, label] of FIELDS) {
    const choices = CHOICES[name] ? [] : null;  // filled from the server's options when opened
    const input = choices
      ? el("select", { id: id(name), "aria-label": `set-up ${letter}: ${label}` }, ...choices.map((c) => el("option", { text: c })))
      : el("input", { id: id(name), type: "text", "aria-label": `set-up ${letter}: ${label}` });
    inputs[name] = input;
    form.append(el("label", {}, el("span", { "aria-hidden": "true", text: label }), input));
  }
  const canvas = el("canvas", { id: id("plane"), width: 360, height: 360, "aria-label": `decision boundary of set-up ${letter}` });
  const metrics = el("p", { id: id("metrics"), class: "metrics" });
  parent.append(el("div", { class: `x-cmp-side x-cmp-${letter.toLowerCase()}` }, canvas,
    el("div", { class: "x-cmp-info" }, form, metrics)));

  return {
    set(values) {
      for (const [name, value] of Object.entries(values)) {
        if (!inputs[name]) continue;
        if (inputs[name].tagName === "SELECT" && !inputs[name].options.length) {
          for (const c of trainState.options[CHOICES[name]] || []) inputs[name].append(el("option", { value: c, text: readable(c) }));
        }
        inputs[name].value = value;
      }
    },
    spec() {
      const typed = inputs.hidden.value;
      const hidden = /^[\d,\s]*$/.test(typed) ? typed.split(/[^0-9]+/).filter(Boolean).map(Number) : typed;
      const number = (name) => { const v = parse(inputs[name].value); return v === null ? inputs[name].value : v; };
      return { activation: inputs.activation.value, optimizer: inputs.optimizer.value, hidden,
        lr: number("lr"), batch_size: number("batch_size"), penalty: inputs.penalty.value,
        penalty_rate: number("penalty_rate") };
    },
    draw(session, report) {
      paintBoundary(canvas, session, report);
      // as Train's metrics: a row per quantity, wrapping only between whole items
      const item = (...parts) => el("span", { class: "m-item" }, ...parts);
      const row = (name, ...values) => el("span", { class: "m-row" }, item(name), " ", item(...values));
      metrics.replaceChildren(row(`${letter}: step`, el("b", { text: String(report.step) })),
        row("loss", "train ", el("b", { id: id("train-loss"), text: fmt(report.train_loss, 4) }),
          " · test ", el("b", { text: fmt(report.test_loss, 4) })),
        ...(session.problem === "regression" ? [] : [row("accuracy",
          "train ", el("b", { id: id("train-acc"), text: pct(report.train_accuracy) }),
          " · test ", el("b", { text: pct(report.test_accuracy) }))]));
    },
  };
}

// The server's output over the plane and the points, as Train paints them: a classifier's
// class and confidence per cell, or a regression's ŷ on the −1 … +1 colour scale.
function paintBoundary(canvas, session, report) {
  const grid = session.grid, K = session.classes.length, size = grid.size;
  const regression = session.problem === "regression";
  paintGrid(canvas, size, regression ? fieldColour(report.field) : classColour(report.boundary, K));
  const ctx = canvas.getContext("2d"), W = canvas.width, H = canvas.height;
  const px = (x) => ((x - grid.x_min) / (grid.x_max - grid.x_min)) * W;
  const py = (y) => ((grid.y_max - y) / (grid.y_max - grid.y_min)) * H;
  const radius = session.train.X.length + session.test.X.length < 50 ? 8 : 3.5;
  for (const [part, hollow] of [[session.train, false], [session.test, true]]) {
    part.X.forEach(([x, y], k) => {
      const colour = regression ? `rgb(${diverging(part.y[k]).join(",")})` : PALETTE[part.y[k] % PALETTE.length];
      ctx.beginPath();
      ctx.arc(px(x), py(y), radius, 0, 2 * Math.PI);
      ctx.fillStyle = hollow ? "white" : colour;
      ctx.strokeStyle = hollow ? colour : "white";
      ctx.lineWidth = hollow ? 2 : 1;
      ctx.fill();
      ctx.stroke();
    });
  }
}

function classColour(boundary, K) {
  const label = bytes(boundary.label), prob = bytes(boundary.probability);
  return (k) => {
    const t = Math.max(0, (prob[k] / 255 - 1 / K) / (1 - 1 / K));
    return mix(WHITE, rgb(PALETTE[label[k] % PALETTE.length]), 0.1 + 0.5 * t);
  };
}

function fieldColour(field) {
  const data = values(field);
  return (k) => diverging(data[k]);
}
