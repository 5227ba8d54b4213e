// Train mode: a server-side session trains; this page asks for a few steps per frame and paints
// the decision boundary, the data, the loss curves and each hidden neuron's output.
"use strict";

(function () {
  const PALETTE = ["#f59e0b", "#2563eb", "#16a34a", "#9333ea", "#dc2626", "#0891b2", "#db2777", "#65a30d"];
  const FIELDS = ["dataset", "n_samples", "noise", "n_classes", "test_fraction", "seed", "hidden",
    "activation", "loss", "optimizer", "lr", "batch_size"];
  const T = { session: null, playing: false, busy: false, upload: null, started: false,
    history: { step: [], train_loss: [], test_loss: [] }, options: null };
  const $ = (id) => document.getElementById(id);
  const fmt = GN.fmt;

  // ---- the set-up ------------------------------------------------------------------------
  function spec() {
    const form = $("train-form"), value = (name) => form.elements[name].value;
    const dataset = value("dataset") === "upload" ? T.upload : value("dataset");
    // "8, 8" → [8, 8]; anything else goes as typed, for the server to explain what is wrong
    const typed = value("hidden");
    const hidden = /^[\d,\s]*$/.test(typed) ? typed.split(/[^0-9]+/).filter(Boolean).map(Number) : typed;
    const number = (name) => { const v = GN.parse(value(name)); return v === null ? value(name) : v; };
    return { dataset, n_samples: number("n_samples"), noise: number("noise"),
      n_classes: number("n_classes"), test_fraction: number("test_fraction") / 100, seed: number("seed"),
      hidden, activation: value("activation"), loss: value("loss"), optimizer: value("optimizer"),
      lr: number("lr"), batch_size: number("batch_size") };
  }

  function datasetChanged(name) {
    const noisy = name !== "xor" && name !== "upload";
    $("t-noise").disabled = !noisy;
    $("t-n").disabled = !noisy;
    $("t-classes").disabled = name !== "spiral" && name !== "gaussians";
    if (T.options && T.options.noise[name] !== undefined) $("t-noise").value = T.options.noise[name];
    if (name === "xor") $("t-test").value = 0;  // four points: all of them are needed to learn XOR
  }

  // ---- talking to the server -----------------------------------------------------------
  async function reset() {
    stop();
    try {
      const answer = await GN.api("/api/train", { json: spec() });
      GN.clearError();
      T.session = answer;
      T.history = { step: [...answer.history.step], train_loss: [...answer.history.train_loss],
        test_loss: [...answer.history.test_loss] };
      $("t-download").href = `/api/train/${answer.id}/model`;
      $("t-description").textContent = `${answer.description} Network: ${answer.network}.`;
      draw(answer);
    } catch (err) { T.session = null; }
  }

  async function step(count) {
    if (!T.session || T.busy) return;
    T.busy = true;
    try {
      const report = await GN.api(`/api/train/${T.session.id}/step`, { json: { steps: count } });
      if (!T.session || report.id !== T.session.id) return;  // a Reset came in between
      for (const key of Object.keys(T.history)) T.history[key].push(report[key]);
      if (T.history.step.length > 1000) for (const key of Object.keys(T.history)) T.history[key] = T.history[key].filter((_, k) => k % 2 === 0);
      draw(report);
      if (report.diverged) { stop(); GN.showError("The loss is no longer a finite number: the network diverged. Lower the learning rate and press Reset."); }
    } catch (err) { stop(); } finally { T.busy = false; }
  }

  async function play() {
    if (T.playing) { stop(); return; }
    if (!T.session) await reset();
    if (!T.session) return;
    T.playing = true;
    $("t-play").textContent = "❚❚ Pause";
    while (T.playing) {
      await step(stepsPerFrame());
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
  }

  // The chosen speed, within the server's bound on samples per request (large batches).
  function stepsPerFrame() {
    const cap = Math.floor(T.options.limits.max_samples_per_request / T.session.settings.batch_size);
    return Math.max(1, Math.min(Number($("t-speed").value), cap));
  }

  function stop() {
    T.playing = false;
    $("t-play").textContent = "▶ Play";
  }

  async function upload(file) {
    const form = new FormData();
    form.append("file", file);
    $("t-upload-status").textContent = "";
    try {
      const answer = await GN.api("/api/datasets", { form });
      T.upload = answer.dataset;
      $("t-upload-option").disabled = false;
      $("t-dataset").value = "upload";
      datasetChanged("upload");
      $("t-upload-status").textContent = `${file.name}: ${answer.n_points} points, classes ${answer.classes.join(", ")}`;
      await reset();
    } catch (err) {
      $("t-upload-status").textContent = `${file.name} was not loaded: ${err.message}`;
    }
  }

  // ---- drawing ---------------------------------------------------------------------------
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
    if (!report.neurons.length) root.append(GN.el("p", { class: "hint", text: "No hidden layers: the boundary is one straight line (logistic regression)." }));
    const neg = rgb("#f59e0b"), pos = rgb("#2563eb"), white = [255, 255, 255];
    report.neurons.forEach((maps, k) => {
      const box = GN.el("div", { class: "layer-maps" }, GN.el("h3", { text: `hidden layer ${k + 1} (${T.session.settings.activation})` }));
      maps.forEach((map, i) => {
        const canvas = GN.el("canvas", { width: 64, height: 64, title: `from ${fmt(map.min, 3)} to ${fmt(map.max, 3)}` });
        const data = bytes(map), scale = Math.max(Math.abs(map.min), Math.abs(map.max)) || 1;
        paintGrid(canvas, size, (c) => {
          const v = (map.min + (data[c] / 255) * (map.max - map.min)) / scale;
          return v < 0 ? mix(white, neg, -v) : mix(white, pos, v);
        });
        box.append(GN.el("div", { class: "neuron-map" }, canvas, GN.el("span", {}, "a", GN.el("sub", { text: String(i + 1) }), GN.el("sup", { text: `[${k + 1}]` }))));
      });
      root.append(box);
    });
  }

  function pct(value) { return value === null || value === undefined ? "—" : `${(100 * value).toFixed(1)}%`; }

  function draw(report) {
    drawPlane(report);
    drawNeurons(report);
    const m = $("t-metrics");
    m.replaceChildren(
      "step ", GN.el("b", { id: "t-steps", text: String(report.step) }), ` · epoch ${report.epoch.toFixed(1)}`,
      GN.el("br"), "loss train ", GN.el("b", { id: "t-train-loss", text: fmt(report.train_loss, 4) }),
      " · test ", GN.el("b", { id: "t-test-loss", text: fmt(report.test_loss, 4) }),
      GN.el("br"), "accuracy train ", GN.el("b", { id: "t-train-acc", text: pct(report.train_accuracy) }),
      " · test ", GN.el("b", { id: "t-test-acc", text: pct(report.test_accuracy) }));
    GN.chart($("t-curves"), T.history.step, [{ values: T.history.train_loss, cls: "train" },
      { values: T.history.test_loss, cls: "test" }], { height: 160 });
  }

  // ---- sharing ---------------------------------------------------------------------------
  function share() {
    const form = $("train-form"), params = new URLSearchParams();
    for (const name of FIELDS) params.set(name, form.elements[name].value);
    if (params.get("dataset") === "upload") {
      GN.showError("An uploaded CSV stays on this computer: the link shares the network settings with the spiral data set.");
      params.set("dataset", "spiral");
    }
    const url = `${location.origin}${location.pathname}#train?${params}`;
    history.replaceState(null, "", url);
    $("t-share-url").hidden = false;
    $("t-share-url").value = url;
    $("t-share-url").select();
    if (navigator.clipboard) navigator.clipboard.writeText(url).catch(() => {});
  }

  function fromLink() {
    if (!location.hash.startsWith("#train")) return false;
    const params = new URLSearchParams(location.hash.split("?")[1] || "");
    const form = $("train-form");
    if (params.has("dataset")) { form.elements.dataset.value = params.get("dataset"); datasetChanged(params.get("dataset")); }
    for (const name of FIELDS) if (params.has(name) && form.elements[name]) form.elements[name].value = params.get(name);
    return true;
  }

  document.addEventListener("DOMContentLoaded", async () => {
    T.options = await GN.api("/api/options");
    const fill = (id, names, chosen) => { names.forEach((n) => $(id).append(GN.el("option", { text: n }))); $(id).value = chosen; };
    fill("t-activation", T.options.activations, "tanh");
    fill("t-loss", T.options.losses, "cross_entropy");
    fill("t-optimizer", T.options.optimizers, "adam");
    $("t-dataset").addEventListener("change", (e) => { datasetChanged(e.target.value); reset(); });
    for (const input of $("train-form").querySelectorAll("input:not([type=file]):not([readonly]), select")) {
      if (input.id !== "t-dataset" && input.id !== "t-speed") input.addEventListener("change", reset);
    }
    $("train-form").addEventListener("submit", (e) => e.preventDefault());
    $("t-play").addEventListener("click", play);
    $("t-step").addEventListener("click", async () => {
      if (!T.session) await reset();
      if (T.session) step(1);
    });
    $("t-reset").addEventListener("click", reset);
    $("t-share").addEventListener("click", share);
    $("t-csv").addEventListener("change", (e) => { if (e.target.files.length) upload(e.target.files[0]); });
    document.addEventListener("gn-mode", (e) => {
      if (e.detail === "train" && !T.started) { T.started = true; reset(); }
      if (e.detail !== "train") stop();
    });
    if (fromLink()) GN.showMode("train");
    document.body.dataset.trainReady = "1";
  });
})();
