// Click a neuron: with Train paused, one neuron's exact numbers for one data point — its z, a
// and δ and the gradients of its weights and bias — and the lines of the derivation that
// compute them, as Step through shows them. The server runs the point through a copy of the
// session's network (playground/inspect.py); this file only asks and shows.

import { api, el, fmt, nameNodes, nameText } from "./common.js";
import { makeDialog, pausedSession } from "./dialog.js";
import { equation, fitPieces } from "./step-view.js";
import { trainState } from "./train.js";

const $ = (id) => document.getElementById(id);

export function startInspect() {
  const { dialog, body } = makeDialog("x-inspect", "Inspect a neuron", { modal: false });
  const neuron = el("select", { id: "x-inspect-neuron" });
  const part = el("select", { id: "x-inspect-part" },
    el("option", { value: "train", text: "training" }), el("option", { value: "test", text: "test" }));
  const point = el("input", { id: "x-inspect-point", type: "number", min: "0", value: "0" });
  const stale = el("p", { id: "x-inspect-stale", class: "x-stale", hidden: "" });
  const heading = el("p", { id: "x-inspect-point-text", class: "x-point" });
  const values = el("table", { id: "x-inspect-values", class: "x-values" });
  const inputsNote = el("p", { id: "x-inspect-inputs", class: "hint", hidden: "" });
  const penaltyNote = el("p", { id: "x-inspect-penalty", class: "hint", hidden: "" });
  const lines = el("div", { id: "x-inspect-lines", class: "derivation" });
  body.append(
    el("div", { class: "x-row" },
      el("span", {}, el("label", { for: neuron.id, text: "neuron" }), neuron),
      el("span", {}, el("label", { for: part.id, text: "point from" }), part),
      el("span", {}, el("label", { for: point.id, text: "point number" }), point)),
    el("p", { class: "hint", text: "Or click near a point on the plane. The numbers are for this one point, as if it were a batch of its own; the network is not changed." }),
    el("div", { class: "x-row" },  // the panel covers Train's own buttons on a narrow window
      el("button", { type: "button", id: "x-inspect-step", text: "Train one step, then show it",
        onclick: () => { $("t-step").click(); show(); } })),
    stale, heading, inputsNote, values, penaltyNote, lines);
  let shown = null;  // {session id, step} of the numbers on display
  let lastAnswer = null;

  async function show(choice = {}) {
    const session = await pausedSession();
    if (!session) return;
    const [layer, index] = (choice.neuron || neuron.value || "1,1").split(",").map(Number);
    if (choice.part) part.value = choice.part;
    if (choice.point !== undefined) point.value = choice.point;
    let answer;
    try {
      answer = await api(`/api/train/${session.id}/inspect`, { json: {
        layer, neuron: index, part: part.value, point: Number(point.value) } });
    } catch (err) { return; }
    if (!dialog.open) { dock(dialog); dialog.openIt(); }  // open first: the lines fit its width
    fillNeurons(answer);
    neuron.value = `${answer.layer},${answer.neuron}`;
    render(answer);
    shown = { id: session.id, step: stepNow() };
    stale.hidden = true;
    markPoint(session, answer);
    lastAnswer = answer;
  }

  function fillNeurons(answer) {
    const key = answer.sizes.join("-");
    if (neuron.dataset.sizes === key) return;
    neuron.dataset.sizes = key;
    neuron.replaceChildren();
    answer.names.layers.forEach((layer, l) => {
      const last = l === answer.names.layers.length - 1;
      const group = el("optgroup", { label: last ? "output layer" : `hidden layer ${l + 1}` });
      layer.a.forEach((name, i) => group.append(el("option", { value: `${l + 1},${i + 1}`, text: nameText(name) })));
      neuron.append(group);
    });
    point.max = String(Math.max(0, (part.value === "train" ? trainState.session.train : trainState.session.test).X.length - 1));
  }

  function render(answer) {
    const names = answer.names.layers[answer.layer - 1], i = answer.neuron - 1;
    const where = answer.part === "train" ? "training" : "test";
    const target = typeof answer.target === "number" ? `target y = ${fmt(answer.target, 4)}` : `class ${answer.target}`;
    heading.replaceChildren(el("b", {}, ...nameNodes(names.a[i])), ` for ${where} point ${answer.point}: ` +
      `(x1, x2) = (${answer.x.map((v) => fmt(v, 4)).join(", ")}), ${target}; its loss L = ${fmt(answer.loss)}`);
    const plain = answer.inputs.join() === "x1,x2";
    inputsNote.hidden = plain;
    inputsNote.textContent = plain ? "" : `The network's inputs are the chosen features: ${answer.inputs.map((f, j) => `${nameText(answer.names.x[j])} = ${f}`).join(", ")}.`;
    penaltyNote.hidden = answer.penalty === "none";
    penaltyNote.textContent = answer.penalty === "none" ? "" : `These are the data loss's gradients; training also adds the ${answer.penalty.toUpperCase()} penalty's ${answer.penalty === "l1" ? "λ sign(w)" : "λ w"} to each weight's gradient.`;
    const row = (label, value, id) => el("tr", {}, el("th", {}, ...label), el("td", { id, text: fmt(value) }));
    const inputs = answer.layer === 1 ? answer.names.x : answer.names.layers[answer.layer - 2].a;
    values.replaceChildren(
      row(nameNodes(names.z[i]), answer.values.z, "x-inspect-z"),
      row(nameNodes(names.a[i]), answer.values.a, "x-inspect-a"),
      row([...nameNodes(names.delta[i]), " = ∂L/∂z"], answer.values.delta, "x-inspect-delta"),
      ...answer.values.dW.map((g, j) => row(["∂L/∂", ...nameNodes(names.W[j][i]), " (from ", ...nameNodes(inputs[j]), ")"], g, `x-inspect-dw-${j + 1}`)),
      row(["∂L/∂", ...nameNodes(names.b[i])], answer.values.db, "x-inspect-db"));
    lines.replaceChildren();
    let box = null;
    for (const line of answer.lines) {
      if (!box || box.dataset.key !== line.section) {
        box = el("section", { class: line.section, "data-key": line.section }, el("h3", { text: line.title }));
        lines.append(box);
      }
      // set as Step through sets a line: pieces that wrap at =, ≈ and between a sum's terms
      box.append(equation({ mathml_pieces: line.pieces }));
    }
    fitPieces(lines);
  }

  let saved = null;  // the plane as Train drew it, under the ring that marks the chosen point

  function markPoint(session, answer) {
    const canvas = $("t-plane"), grid = session.grid, ctx = canvas.getContext("2d");
    if (saved && saved.step === stepNow() && saved.id === session.id) ctx.putImageData(saved.image, 0, 0);
    else saved = { step: stepNow(), id: session.id };
    saved.image = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const [x, y] = answer.x;
    const px = ((x - grid.x_min) / (grid.x_max - grid.x_min)) * canvas.width;
    const py = ((grid.y_max - y) / (grid.y_max - grid.y_min)) * canvas.height;
    ctx.beginPath();
    ctx.arc(px, py, 11, 0, 2 * Math.PI);
    ctx.lineWidth = 3;
    ctx.strokeStyle = "#111827";
    ctx.stroke();
  }

  // A click on the plane while the inspector is open picks the nearest point, train or test;
  // it is caught before Train's own click handlers see it.
  $("t-plane").parentElement.addEventListener("click", (event) => {
    if (!dialog.open || event.target.id !== "t-plane" || !trainState.session) return;
    event.stopPropagation();
    event.preventDefault();
    const s = trainState.session, grid = s.grid, box = event.target.getBoundingClientRect();
    const x = grid.x_min + ((event.clientX - box.left) / box.width) * (grid.x_max - grid.x_min);
    const y = grid.y_max - ((event.clientY - box.top) / box.height) * (grid.y_max - grid.y_min);
    let best = null;
    for (const which of ["train", "test"]) {
      s[which].X.forEach(([px, py], k) => {
        const d = (px - x) ** 2 + (py - y) ** 2;
        if (!best || d < best.d) best = { d, part: which, point: k };
      });
    }
    if (best) show(best);
  }, true);

  // A neuron's map in Train opens it here.
  $("mode-train").addEventListener("click", (event) => {
    const map = event.target.closest("[data-layer][data-neuron]");
    if (map) show({ neuron: `${map.dataset.layer},${map.dataset.neuron}` });
  });

  $("x-inspect-open").addEventListener("click", () => show());
  dialog.addEventListener("keydown", (event) => { if (event.key === "Escape") dialog.close(); });
  // Train repaints the plane when the window changes size: ring the point again after it.
  window.addEventListener("resize", () => {
    if (!dialog.open || !lastAnswer || !trainState.session) return;
    saved = null;
    setTimeout(() => markPoint(trainState.session, lastAnswer), 0);  // after Train's repaint
  });
  for (const control of [neuron, part, point]) control.addEventListener("change", () => show());

  // Training that moves on leaves these numbers behind: say so, and offer to catch up.
  new MutationObserver(() => {
    if (!dialog.open || !shown) return;
    const moved = !trainState.session || trainState.session.id !== shown.id || stepNow() !== shown.step;
    stale.hidden = !moved;
    if (moved) {
      stale.replaceChildren(`These numbers are for step ${shown.step}; training has moved on. `,
        el("button", { type: "button", id: "x-inspect-refresh", text: "Show the current step", onclick: () => show() }));
    }
  }).observe($("t-counter"), { childList: true, subtree: true, characterData: true });
}

// Dock the inspector beside the plane, on the side with more room, so that its points stay
// in view for clicking (on a narrow window it covers the controls, not needed while paused);
// 520 px up to 1300 px wide, then 40 % of the window, so long lines wrap less on a projector.
function dock(dialog) {
  const plane = document.getElementById("t-plane").getBoundingClientRect();
  const left = plane.left, right = innerWidth - plane.right;
  const width = Math.min(Math.max(520, 0.4 * innerWidth), Math.max(400, Math.max(left, right) - 24));
  dialog.style.width = `${Math.min(width, innerWidth - 24)}px`;
  dialog.style.left = left > right ? "12px" : "auto";
  dialog.style.right = left > right ? "auto" : "12px";
}

function stepNow() {
  const steps = document.getElementById("t-steps");
  return steps ? steps.textContent : "0";
}
