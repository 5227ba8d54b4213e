// Train mode: a server-side session trains; this page asks for a few steps per frame, and
// train-view.js paints the decision boundary, the data, the loss curves and each hidden
// neuron's output.

import { api, clearError, el, parse, showError, showMode } from "./common.js";
import { trainView } from "./train-view.js";

const FIELDS = ["dataset", "n_samples", "noise", "n_classes", "test_fraction", "seed", "hidden",
  "activation", "loss", "optimizer", "lr", "batch_size"];
const T = { session: null, playing: false, busy: false, upload: null, started: false,
  history: { step: [], train_loss: [], test_loss: [] }, options: null };
const $ = (id) => document.getElementById(id);
const { draw } = trainView(T);

// ---- the set-up ------------------------------------------------------------------------
function spec() {
  const form = $("train-form"), value = (name) => form.elements[name].value;
  const dataset = value("dataset") === "upload" ? T.upload : value("dataset");
  // "8, 8" → [8, 8]; anything else goes as typed, for the server to explain what is wrong
  const typed = value("hidden");
  const hidden = /^[\d,\s]*$/.test(typed) ? typed.split(/[^0-9]+/).filter(Boolean).map(Number) : typed;
  const number = (name) => { const v = parse(value(name)); return v === null ? value(name) : v; };
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
    const answer = await api("/api/train", { json: spec() });
    clearError();
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
    const report = await api(`/api/train/${T.session.id}/step`, { json: { steps: count } });
    if (!T.session || report.id !== T.session.id) return;  // a Reset came in between
    for (const key of Object.keys(T.history)) T.history[key].push(report[key]);
    if (T.history.step.length > 1000) for (const key of Object.keys(T.history)) T.history[key] = T.history[key].filter((_, k) => k % 2 === 0);
    draw(report);
    if (report.diverged) { stop(); showError("The loss is no longer a finite number: the network diverged. Lower the learning rate and press Reset."); }
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
    const answer = await api("/api/datasets", { form });
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

// ---- sharing ---------------------------------------------------------------------------
function share() {
  const form = $("train-form"), params = new URLSearchParams();
  for (const name of FIELDS) params.set(name, form.elements[name].value);
  if (params.get("dataset") === "upload") {
    showError("An uploaded CSV stays on this computer: the link shares the network settings with the spiral data set.");
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

// h-extras hook: inspect.js, compare.js and code-export.js read the session and the set-up,
// and pause training, through these three names.
export { T as trainState, spec as trainSpec, stop as pauseTraining };

export async function startTrain() {
  T.options = await api("/api/options");
  const fill = (id, names, chosen) => { names.forEach((n) => $(id).append(el("option", { text: n }))); $(id).value = chosen; };
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
  if (fromLink()) showMode("train");
  document.body.dataset.trainReady = "1";
}
