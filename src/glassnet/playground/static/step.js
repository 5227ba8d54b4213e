// Step-through mode: the network drawn as in the slides, each of the four steps revealed in turn.
// The set-up (weights, biases, x, y, α) lives here as plain numbers; every computed number comes
// from the server's glassnet.trace/1 document (POST /api/step), every name from the set-up's
// answer (its "names").

import { api, chart, clearError, el, fmt, linkParams, parse, shareLink, showError, showLink } from "./common.js";
import { predictor } from "./predict.js";
import { stepView } from "./step-view.js";

const S = { setup: null, names: null, initial: null, trace: null, stage: 0, history: [], busy: false,
  asking: false };
const $ = (id) => document.getElementById(id);
const clone = (value) => JSON.parse(JSON.stringify(value));
const view = stepView(S, setValue);
const predict = predictor(S);

// ---- talking to the server ----------------------------------------------------------
async function compute() {
  S.trace = await api("/api/step", { json: S.setup });
  clearError();
}

async function reveal(stage) {
  if (S.busy || predict.busy()) return;
  S.busy = true;
  try {
    if (!S.trace || S.stage === 4) { await compute(); S.stage = 0; }
  } catch (err) { return; /* the message is already on the page */ } finally { S.busy = false; }
  if (stage <= S.stage) render();
  else if (predict.on()) advance(stage, false);
  else { showStage(stage); render(); }
}

function showStage(stage) {
  if (stage === 4) applyUpdate();
  else S.stage = stage;
}

// With "predict, then reveal" on, the steps come one at a time up to `target`, each after a
// question of its own: Full step (or Update pressed first) asks a forward number first, then
// one of the loss, the backward pass and the update, never a later step's before an earlier.
function advance(target, after) {
  const next = S.stage + 1;   // the earliest step not shown yet
  const show = () => {
    showStage(next);
    if (next < target) advance(target, true);
    else render();
  };
  if (predict.ask(next, show, { after })) render();
  else show();
}

function applyUpdate() {
  S.trace.layers.forEach((layer, k) => {
    S.setup.layers[k].W = clone(layer.W.new);
    S.setup.layers[k].b = clone(layer.b.new);
  });
  S.history.push(S.trace.loss.value);
  S.stage = 4;
}

async function edited() {
  predict.cancel();   // a question about the numbers before the edit has no answer now
  const keep = S.stage >= 1 && S.stage <= 3 ? S.stage : 0;
  S.trace = null;
  S.stage = 0;
  if (keep) {
    try { await compute(); S.stage = keep; } catch (err) { /* shown */ }
  }
  render();
}

function setValue(input, label) {
  const value = parse(input.value);
  if (value === null) {
    showError(`${label} must be a number, got "${input.value}"`);
    input.value = fmt(readPath(input.dataset.path));
    return;
  }
  writePath(input.dataset.path, value);
  clearError();
  edited();
}

// The diagram's inputs: "x:j", "y:k", "w:l:j:i", "b:l:i" (α has its own field).
function readPath(path) {
  const [kind, a, b, c] = path.split(":");
  if (kind === "x" || kind === "y") return S.setup[kind][+a - 1];
  const layer = S.setup.layers[+a - 1];
  return kind === "w" ? layer.W[+b - 1][+c - 1] : layer.b[+b - 1];
}

function writePath(path, value) {
  const [kind, a, b, c] = path.split(":");
  if (kind === "x" || kind === "y") S.setup[kind][+a - 1] = value;
  else if (kind === "w") S.setup.layers[+a - 1].W[+b - 1][+c - 1] = value;
  else S.setup.layers[+a - 1].b[+b - 1] = value;
}

function render() {
  S.asking = predict.busy();   // the view keeps the diagram in view while a question waits
  view.render();
  $("step-lr").value = fmt(S.setup.lr);
  $("step-loss").value = S.setup.loss;
  const names = ["btn-forward", "btn-loss", "btn-backward", "btn-update"];
  names.forEach((id, k) => $(id).classList.toggle("done", S.stage >= k + 1));
  const steps = S.history.length;
  $("step-status").textContent = steps ? `${steps} update${steps > 1 ? "s" : ""} so far; last loss ${fmt(S.history[steps - 1])}` : "";
  chart($("step-history"), S.history.map((_, k) => k + 1), [{ values: S.history, cls: "train", dots: true }]);
}

// A set-up as the server sends it: the numbers, and the names that go with its sizes.
function load(answer) {
  const { names, ...setup } = answer;
  S.names = names;
  S.setup = clone(setup);
  S.initial = clone(answer);
  S.trace = null;
  S.stage = 0;
  S.history = [];
  predict.cancel();
  clearError();
  render();
}

function share() {
  const params = new URLSearchParams({ setup: JSON.stringify(S.setup) });
  if ($("step-predict").checked) params.set("predict", "1");
  showLink($("step-share-url"), shareLink("step", params));
}

// A link's set-up, checked by the server (which sends its names); null when there is none,
// and a sentence when it cannot be used (shown once the lecture's example is loaded instead).
async function fromLink() {
  const params = linkParams("step");
  if (!params || !params.has("setup")) return null;
  $("step-predict").checked = params.get("predict") === "1";
  const instead = "the lecture's example is shown instead.";
  let setup;
  try { setup = JSON.parse(params.get("setup")); } catch (err) {
    return `The link's step-through set-up is not readable JSON; ${instead}`;
  }
  try { return await api("/api/step/setup", { json: setup }); } catch (err) {
    return `The link's step-through set-up does not fit together (${err.message}); ${instead}`;
  }
}

async function build() {
  const typed = $("setup-sizes").value;  // "2-3-1"; anything else goes as typed, to be explained
  const sizesWanted = /^\s*\d+(\s*[-,x× ]\s*\d+)*\s*$/.test(typed) ? typed.split(/[^0-9]+/).filter(Boolean).map(Number) : typed;
  const hidden = $("setup-hidden").value, output = $("setup-output").value;
  const depth = Array.isArray(sizesWanted) ? sizesWanted.length - 1 : 1;
  const activations = Array.from({ length: depth }, (_, k) => (k === depth - 1 ? output : hidden));
  try {
    load(await api("/api/step/network", { json: { sizes: sizesWanted, activations,
      loss: $("setup-loss").value, seed: Number($("setup-seed").value) } }));
  } catch (err) { /* shown */ }
}

export async function startStep() {
  const options = await api("/api/options");
  const fill = (select, names) => names.forEach((name) => select.append(el("option", { text: name })));
  fill($("step-loss"), options.step_losses);
  fill($("setup-loss"), options.step_losses);
  fill($("setup-hidden"), options.step_activations.filter((a) => a !== "softmax"));
  fill($("setup-output"), options.step_activations);
  $("setup-hidden").value = "sigmoid";
  $("setup-output").value = "sigmoid";
  $("btn-forward").addEventListener("click", () => reveal(1));
  $("btn-loss").addEventListener("click", () => reveal(2));
  $("btn-backward").addEventListener("click", () => reveal(3));
  $("btn-update").addEventListener("click", () => reveal(4));
  $("btn-full").addEventListener("click", () => reveal(4));
  $("btn-reset").addEventListener("click", () => load(S.initial));
  $("setup-build").addEventListener("click", build);
  $("setup-lecture").addEventListener("click", async () => load(await api("/api/step/example")));
  $("step-lr").addEventListener("change", (e) => {
    const value = parse(e.target.value);
    if (value === null || value <= 0) { showError(`the learning rate α must be a positive number, got "${e.target.value}"`); e.target.value = fmt(S.setup.lr); return; }
    S.setup.lr = value;
    clearError();
    edited();
  });
  $("step-loss").addEventListener("change", (e) => { S.setup.loss = e.target.value; edited(); });
  $("step-share").addEventListener("click", share);
  $("step-predict").addEventListener("change", render);  // the diagram keeps room for a question
  document.addEventListener("gn-present", () => view.render());
  document.addEventListener("gn-mode", (e) => { if (e.detail === "step" && S.setup) view.render(); });
  const linked = await fromLink();
  load(linked && typeof linked === "object" ? linked : await api("/api/step/example"));
  if (typeof linked === "string") showError(linked);
  document.body.dataset.stepReady = "1";
}
