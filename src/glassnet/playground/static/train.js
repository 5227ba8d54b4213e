// Train mode: a server-side session trains; this page asks for a few steps per frame, and
// train-view.js paints the output over the plane, the data, the loss curves and the network
// diagram. Noise, test split, batch size, learning rate, activation and regularisation change
// the running session (POST /api/train/{id}/settings); every other control starts a new one.

import { api, clearError, el, parse, showError, showMode } from "./common.js";
import { csvForLink, csvFromLink, linkParams, rememberCsv, shareLink, showLink } from "./common.js";  // h-step: share links
import { trainView } from "./train-view.js";

const FIELDS = ["problem", "dataset", "n_samples", "noise", "n_classes", "test_fraction", "seed",
  "hidden", "activation", "loss", "optimizer", "lr", "batch_size", "penalty", "penalty_rate"];
const LIVE = new Set(["noise", "test_fraction", "batch_size", "lr", "activation", "penalty", "penalty_rate"]);
const CLASSIFICATION_SETS = ["xor", "circles", "moons", "spiral", "gaussians"];
const REGRESSION_SETS = ["plane", "gaussians_regression"];
const REGRESSION_VALUES = ["1", "0.5", "0", "-0.5", "-1"];
// What a select shows for each of the server's ids; the ids stay the values (links, tests).
const READABLE = { xor: "XOR", gaussians: "Gaussian blobs", plane: "plane", gaussians_regression: "Gaussian bumps",
  cross_entropy: "cross-entropy", squared_error: "½ squared error", mse: "MSE", tanh: "tanh",
  relu: "ReLU", leaky_relu: "leaky ReLU", sigmoid: "sigmoid", identity: "identity", sgd: "SGD",
  momentum: "momentum", adam: "Adam", none: "none", l1: "L1", l2: "L2" };
export const readable = (id) => READABLE[id] || id;
const option = (id) => el("option", { value: id, text: readable(id) });
const T = { session: null, playing: false, busy: false, upload: null, started: false,
  history: { step: [], train_loss: [], test_loss: [] }, options: null, last: null };
const $ = (id) => document.getElementById(id);
const { draw, planePoint } = trainView(T);

// ---- the set-up ------------------------------------------------------------------------
const features = () => [...document.querySelectorAll("#t-features input:checked")].map((box) => box.value);

function spec() {
  const form = $("train-form"), value = (name) => form.elements[name].value;
  const dataset = value("dataset") === "upload" ? T.upload : value("dataset");
  // "8, 8" → [8, 8]; anything else goes as typed, for the server to explain what is wrong
  const typed = value("hidden");
  const hidden = /^[\d,\s]*$/.test(typed) ? typed.split(/[^0-9]+/).filter(Boolean).map(Number) : typed;
  return { problem: value("problem"), dataset, n_samples: number("n_samples"), noise: number("noise"),
    n_classes: number("n_classes"), test_fraction: number("test_fraction") / 100, seed: number("seed"),
    features: features(), hidden, activation: value("activation"), loss: value("loss"),
    optimizer: value("optimizer"), lr: number("lr"), batch_size: number("batch_size"),
    penalty: value("penalty"), penalty_rate: number("penalty_rate") };
}

function number(name) {
  const text = $("train-form").elements[name].value, v = parse(text);
  return v === null ? text : v;
}

// The data sets, the loss and the click's classes follow the problem type.
function problemChanged(problem) {
  const sets = problem === "regression" ? REGRESSION_SETS : CLASSIFICATION_SETS;
  const select = $("t-dataset"), upload = $("t-upload-option");
  select.replaceChildren(...sets.map(option));
  if (problem === "classification") select.append(upload);
  select.value = problem === "regression" ? "plane" : "spiral";
  $("t-loss").value = problem === "regression" ? "mse" : "cross_entropy";
  for (const option of $("t-loss").options) option.disabled = problem === "regression" && option.value === "cross_entropy";
  datasetChanged(select.value);
}

function datasetChanged(name) {
  const noisy = name !== "xor" && name !== "upload";
  $("t-noise").disabled = !noisy;
  $("t-n").disabled = !noisy;
  $("t-classes").disabled = name !== "spiral" && name !== "gaussians";
  if (T.options && T.options.noise[name] !== undefined) $("t-noise").value = T.options.noise[name];
  // four points: all of them are needed to learn XOR; leaving it gives back the user's split
  const test = $("t-test");
  if (name === "xor" && test.dataset.beforeXor === undefined) {
    test.dataset.beforeXor = Number(test.value) > 0 ? test.value : "20";
    test.value = 0;
  } else if (name !== "xor" && test.dataset.beforeXor !== undefined) {
    if (Number(test.value) === 0) test.value = test.dataset.beforeXor;  // unless set on xor
    delete test.dataset.beforeXor;
  }
}

function clickChoices(session) {
  const select = $("t-click-class"), chosen = select.value;
  const values = session.problem === "regression" ? REGRESSION_VALUES : session.classes.map((_, k) => String(k));
  const text = (v, k) => session.problem === "regression" ? `a point with y = ${v}` : `a point of class ${session.classes[k]}`;
  select.replaceChildren(...values.map((v, k) => el("option", { value: v, text: text(v, k) })));
  if (values.includes(chosen)) select.value = chosen;
}

// ---- talking to the server -----------------------------------------------------------
function adopt(answer) {
  T.session = answer;
  T.history = { step: [...answer.history.step], train_loss: [...answer.history.train_loss],
    test_loss: [...answer.history.test_loss] };
  $("t-download").href = `/api/train/${answer.id}/model`;
  $("t-description").textContent = `${answer.description} Network: ${answer.network}.`;
  clickChoices(answer);
  T.last = answer;
  draw(answer);
}

async function reset() {
  stop();
  try {
    const answer = await api("/api/train", { json: spec() });
    clearError();
    adopt(answer);
  } catch (err) { T.session = null; }
}

// A live setting: the session keeps its weights; without a session, start one.
async function change(name) {
  if (!T.session) { reset(); return; }
  const value = spec()[name];
  try {
    const answer = await api(`/api/train/${T.session.id}/settings`, { json: { [name]: value } });
    clearError();
    if (T.session && answer.id === T.session.id) adopt(answer);
  } catch (err) { /* the sentence is shown; the session runs on with its old setting */ }
}

async function addPoint(event) {
  if (!T.session) return;
  const [x1, x2] = planePoint(event);
  const label = parse($("t-click-class").value);
  try {
    const answer = await api(`/api/train/${T.session.id}/points`, { json: { x1, x2, label } });
    if (T.session && answer.id === T.session.id) adopt(answer);
  } catch (err) { /* shown */ }
}

async function step(count) {
  if (!T.session || T.busy) return;
  T.busy = true;
  try {
    const report = await api(`/api/train/${T.session.id}/step`, { json: { steps: count } });
    if (!T.session || report.id !== T.session.id) return;  // a Reset came in between
    for (const key of Object.keys(T.history)) T.history[key].push(report[key]);
    if (T.history.step.length > 1000) for (const key of Object.keys(T.history)) T.history[key] = T.history[key].filter((_, k) => k % 2 === 0);
    T.last = report;
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
    if ($("t-problem").value !== "classification") { $("t-problem").value = "classification"; problemChanged("classification"); }
    rememberCsv(file);  // h-step: a small CSV travels in the share link
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
async function share() {
  const form = $("train-form"), params = new URLSearchParams();
  for (const name of FIELDS) params.set(name, form.elements[name].value);
  params.set("features", features().join(","));
  if (params.get("dataset") === "upload") {  // h-step: the CSV itself when it is small
    const packed = await csvForLink();
    if (packed) params.set("csv", packed);
    else {
      showError("The uploaded CSV is too large to travel in a link (a few hundred points at most): the link shares the network settings with the spiral data set.");
      params.set("dataset", "spiral");
    }
  }
  showLink($("t-share-url"), shareLink("train", params));
}

function fromLink() {
  const params = linkParams("train");
  if (!params) return false;
  const form = $("train-form");
  if (params.has("problem")) { form.elements.problem.value = params.get("problem"); problemChanged(form.elements.problem.value); }
  if (params.has("dataset")) { form.elements.dataset.value = params.get("dataset"); datasetChanged(params.get("dataset")); }
  for (const name of FIELDS) if (params.has(name) && form.elements[name]) form.elements[name].value = params.get(name);
  if (params.has("features")) {
    const chosen = params.get("features").split(",");
    for (const box of document.querySelectorAll("#t-features input")) box.checked = chosen.includes(box.value);
  }
  return true;
}

// h-extras hook: inspect.js, compare.js and code-export.js read the session and the set-up,
// and pause training, through these three names.
export { T as trainState, spec as trainSpec, stop as pauseTraining };

export async function startTrain() {
  T.options = await api("/api/options");
  const fill = (id, names, chosen) => { names.forEach((n) => $(id).append(option(n))); $(id).value = chosen; };
  fill("t-activation", T.options.activations, "tanh");
  fill("t-loss", T.options.losses, "cross_entropy");
  fill("t-optimizer", T.options.optimizers, "adam");
  $("t-problem").addEventListener("change", (e) => { problemChanged(e.target.value); reset(); });
  $("t-dataset").addEventListener("change", (e) => { datasetChanged(e.target.value); reset(); });
  const own = new Set(["t-problem", "t-dataset", "t-speed", "t-discretize", "t-show-test", "t-click-class"]);
  for (const input of $("train-form").querySelectorAll("input:not([type=file]):not([readonly]), select")) {
    if (own.has(input.id)) continue;
    const name = input.name;
    input.addEventListener("change", () => (LIVE.has(name) ? change(name) : reset()));
  }
  for (const id of ["t-discretize", "t-show-test"]) $(id).addEventListener("change", () => { if (T.last) draw(T.last); });
  $("t-plane").addEventListener("click", addPoint);
  $("train-form").addEventListener("submit", (e) => e.preventDefault());
  $("t-play").addEventListener("click", play);
  $("t-step").addEventListener("click", async () => {
    if (!T.session) await reset();
    if (T.session) step(1);
  });
  $("t-reset").addEventListener("click", reset);
  $("t-share").addEventListener("click", share);
  $("t-csv").addEventListener("change", (e) => { if (e.target.files.length) upload(e.target.files[0]); });
  window.addEventListener("resize", () => { if (T.last && T.session) draw(T.last); });
  document.addEventListener("gn-mode", (e) => {
    if (e.detail === "train" && !T.started) { T.started = true; reset(); }
    if (e.detail !== "train") stop();
  });
  if (fromLink()) {
    const csv = linkParams("train").get("csv");  // h-step: a CSV carried by the link
    if (csv) T.started = true;                   // its upload starts the session
    showMode("train");
    if (csv) csvFromLink(csv).then(upload, () => showError("The CSV in this link could not be unpacked; it may have been cut short."));
  }
  document.body.dataset.trainReady = "1";
}
