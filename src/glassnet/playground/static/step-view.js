// Step-through mode, the drawing: the network as in the slides, the derivation beside it.
// stepView(S, onEdit) draws the state S of step.js; it computes nothing, it only places the
// numbers of the server's glassnet.trace/1 document under the names the server sent (S.names).

import { el, fmt, nameNodes, nameText } from "./common.js";

export function stepView(S, onEdit) {
  const $ = (id) => document.getElementById(id);
  const TOP = 24, LEFT = 16;
  let CARD = 150;  // a neuron's card: wider when a number on it is long
  let COLS = [], ROW = 240;  // COLS[l]: the left edge of layer l's cards
  let shownStage = 0;        // the stage the derivation last scrolled to
  // After Update the nodes still hold the forward and backward values of the old weights.
  const stale = () => S.stage === 4;
  const staleTitle = "computed with the weights before the last update; press Forward for the new values";
  const STAGE_OF = { forward: 1, loss: 2, backward: 3, gradients: 3, update: 4 };
  const sizes = () => [S.setup.layers[0].W.length, ...S.setup.layers.map((l) => l.b.length)];
  const nLayers = () => S.setup.layers.length;
  const onEdges = (layer) => layer.W.length <= 2 && layer.b.length <= 2;
  const names = (l) => S.names.layers[l - 1];  // of layer l, counted from 1 as in the lecture
  const symNode = (name) => el("span", { class: "sym-name" }, ...nameNodes(name));

  // ---- the diagram -------------------------------------------------------------------
  function nodeY(l, i) {
    const tallest = Math.max(...sizes());
    return TOP + ((tallest - sizes()[l]) / 2 + i + 0.5) * ROW;
  }

  function numberInput(path, value, label) {
    const input = el("input", { type: "text", inputmode: "decimal", "data-path": path,
      "aria-label": label, id: path.replace(/:/g, "-"), value: fmt(value) });
    input.addEventListener("change", () => onEdit(input, label));
    return input;
  }

  function row(label, value, cls, id) {
    const shown = el("span", { text: value, id });
    if (value && stale()) { shown.classList.add("stale"); shown.title = staleTitle; }
    return el("div", { class: `row ${cls}` }, el("span", { text: label }), shown);
  }

  function neuronCard(l, i) {
    const T = S.trace, layer = S.setup.layers[l - 1], n = i + 1;
    const last = l === nLayers();
    const card = el("div", { class: `node${last ? " output" : ""}`, id: `node-${l}-${n}` },
      el("div", { class: "name" }, symNode(names(l).a[i]),
        el("i", { text: layer.activation })));
    const bias = el("div", { class: "row" }, symNode(names(l).b[i]),
      numberInput(`b:${l}:${n}`, layer.b[i], nameText(names(l).b[i])));
    card.append(bias);
    const traced = T && S.stage >= 1 ? T.layers[l - 1] : null;
    card.append(row("z", traced ? fmt(traced.z[0][i]) : "", "fwd", `z-${l}-${n}`));
    card.append(row("a", traced ? fmt(traced.a[0][i]) : "", "fwd", `a-${l}-${n}`));
    card.append(row("δ", traced && S.stage >= 3 ? fmt(traced.delta[0][i]) : "", "bwd", `delta-${l}-${n}`));
    if (traced && S.stage >= 3) {
      bias.title = `∂L/∂${nameText(names(l).b[i])} = ${fmt(traced.b.grad[i])}`;
      if (S.stage === 4) bias.querySelector("input").classList.add("changed");
    }
    return card;
  }

  function inputCard(j) {
    return el("div", { class: "node input", id: `node-0-${j + 1}` },
      el("div", { class: "name" }, symNode(S.names.x[j]), el("i", { text: "input" })),
      el("div", { class: "row" }, el("span", { text: "value" }),
        numberInput(`x:${j + 1}`, S.setup.x[j], nameText(S.names.x[j]))));
  }

  function targetCard() {
    const T = S.trace, K = sizes()[nLayers()];
    const card = el("div", { class: "target", id: "target" },
      el("div", { class: "name" }, el("b", { text: "target" })));
    for (let k = 0; k < K; k++) {
      const name = nameText(S.names.y[k]);
      card.append(el("div", { class: "row" }, el("span", { text: name }),
        numberInput(`y:${k + 1}`, S.setup.y[k], name)));
    }
    const loss = T && S.stage >= 2 ? fmt(T.loss.value) : "";
    const shown = el("span", { class: `loss${loss && stale() ? " stale" : ""}`, id: "loss-value", text: loss });
    if (loss && stale()) shown.title = staleTitle;
    card.append(el("div", { class: "row" }, el("span", { text: "L" }), shown));
    card.append(el("div", { class: "hint", text: S.setup.loss.replace(/_/g, " ") }));
    return card;
  }

  function weightLabel(l, j, i, x, y) {
    const layer = S.setup.layers[l - 1], name = names(l).W[j][i];
    const box = el("div", { class: "weight" }, el("span", { class: "sym" }, symNode(name)),
      numberInput(`w:${l}:${j + 1}:${i + 1}`, layer.W[j][i], nameText(name)));
    box.style.left = `${x}px`;
    box.style.top = `${y}px`;
    const traced = S.trace && S.stage >= 3 ? S.trace.layers[l - 1].W : null;
    if (traced) box.append(el("span", { class: "grad", text: `∂L ${fmt(traced.grad[j][i])}` }));
    if (traced && S.stage === 4) {
      box.append(el("span", { class: "delta", text: `Δ ${fmt(traced.step[j][i])}` }));
      box.querySelector("input").classList.add("changed");
    }
    return box;
  }

  function renderDiagram() {
    const root = $("diagram"), n = sizes(), L = nLayers();
    // every number fits its field: 9.1 px per character of the 15 px monospace face
    const numbers = [...S.setup.x, ...S.setup.y, ...S.setup.layers.flatMap((l) => [...l.W.flat(), ...l.b])];
    const longest = Math.max(6, ...numbers.map((v) => fmt(v).length));
    const field = Math.ceil(9.1 * longest + 10);
    CARD = Math.max(150, field + 72);
    root.style.setProperty("--num", `${field}px`);
    root.style.setProperty("--card", `${CARD}px`);
    const room = (root.clientWidth || 1000) - LEFT - 2 * CARD - 60;
    const labelled = S.setup.layers.every(onEdges);
    // Labelled edges need room for two labels side by side where a layer has two neurons
    // (their edges cross), one where it has one; unlabelled, a deep network is squeezed.
    const gap = labelled ? null : Math.max(210, Math.min(300, Math.floor(room / L)));
    COLS = [LEFT];
    for (let l = 1; l <= L; l++) COLS.push(COLS[l - 1] + (gap || CARD + (n[l] > 1 ? 260 : 140)));
    // room between rows for the weight labels (symbol, value, ∂L, Δ) of crossing edges
    ROW = labelled ? 260 : Math.max(...n) > 4 ? 135 : 170;
    // one output: the target sits under it; several: in a column of its own to the right
    const below = n[L] === 1;
    const width = COLS[L] + CARD + (below ? 16 : 28 + CARD + 20 + 12);  // the target card is CARD + 20
    const height = TOP * 2 + Math.max(...n) * ROW + (below && Math.max(...n) === 1 ? 140 : 0);
    const stage = el("div", { class: "stage" });
    stage.style.width = `${width}px`;
    stage.style.height = `${height}px`;
    root.replaceChildren(stage);
    if (stale()) root.append(el("p", { class: "stale-note", id: "stale-note",
      text: "The weights are updated; z, a, δ and L (struck through) are still those of the old weights. Press Forward for the new ones." }));
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("class", "edges");
    svg.setAttribute("width", width);
    svg.setAttribute("height", height);
    stage.append(svg);
    const place = (card, x, y) => {
      card.style.left = `${x}px`;
      card.style.top = `${y}px`;
      stage.append(card);
      card.style.top = `${y - card.offsetHeight / 2}px`;
    };
    for (let l = 1; l <= L; l++) {
      const layer = S.setup.layers[l - 1];
      for (let j = 0; j < n[l - 1]; j++) {
        for (let i = 0; i < n[l]; i++) {
          const x0 = COLS[l - 1] + CARD, y0 = nodeY(l - 1, j);
          const x1 = COLS[l], y1 = nodeY(l, i);
          const line = document.createElementNS(ns, "line");
          Object.entries({ x1: x0, y1: y0, x2: x1, y2: y1 }).forEach(([k, v]) => line.setAttribute(k, v));
          if (S.stage >= 3) line.setAttribute("class", "hot");
          svg.append(line);
          // labels of different target neurons sit at different distances along their edges,
          // so that the crossing edges' labels do not cover each other
          const t = n[l] === 1 ? 0.5 : 0.25 + (0.41 * i) / (n[l] - 1);
          if (onEdges(layer)) stage.append(weightLabel(l, j, i, x0 + t * (x1 - x0), y0 + t * (y1 - y0)));
        }
      }
    }
    for (let j = 0; j < n[0]; j++) place(inputCard(j), LEFT, nodeY(0, j));
    for (let l = 1; l <= L; l++) for (let i = 0; i < n[l]; i++) place(neuronCard(l, i), COLS[l], nodeY(l, i));
    const midOut = (nodeY(L, 0) + nodeY(L, n[L] - 1)) / 2;
    if (below) place(targetCard(), COLS[L] - 14, nodeY(L, 0) + 150);
    else place(targetCard(), COLS[L] + CARD + 28, midOut);
    fitToContent(stage, svg, width);
  }

  // The box holds the drawing and no blank band: the cards and labels are moved up to an
  // 16 px margin, and the box is as tall as they reach.
  function fitToContent(stage, svg, width) {
    if (!stage.getClientRects().length) return;   // Train is shown: fitted when Step is again
    const PAD = 16, base = stage.getBoundingClientRect().top;
    const parts = [...stage.children].filter((e) => e !== svg);
    const tops = parts.map((e) => e.getBoundingClientRect().top - base);
    const bottoms = parts.map((e) => e.getBoundingClientRect().bottom - base);
    const shift = Math.min(...tops) - PAD, height = Math.max(...bottoms) - shift + PAD;
    for (const part of parts) part.style.top = `${parseFloat(part.style.top) - shift}px`;
    svg.style.top = `${-shift}px`;
    svg.setAttribute("height", shift + height);
    stage.style.height = `${height}px`;
    scaleToBox(stage, width, height);
  }

  // The drawing is scaled to its box (inputs stay editable) rather than scrolled: down for a
  // deep network (to 0.6, its matrices open below), up to use a wide box (to 1.5 times, 1.8 in
  // the presentation setting), but not beyond what the window's height leaves it: with the
  // derivation below it (one column), room is kept under it for a predict-then-reveal question.
  function scaleToBox(stage, width, height) {
    const root = $("diagram"), col = document.querySelector(".derivation-col");
    const presenting = document.body.classList.contains("presenting");
    const oneColumn = col.getBoundingClientRect().left < root.getBoundingClientRect().right;
    const top = root.getBoundingClientRect().top + window.scrollY;
    const below = oneColumn && $("step-predict").checked ? 200 : 12;
    const byWidth = (root.clientWidth - 2) / width, byHeight = (innerHeight - top - below) / height;
    // the window's height may stop it growing, not shrink it: numbers stay 14 px or more
    const scale = Math.max(Math.min(byWidth, Math.max(byHeight, 1), presenting ? 1.8 : 1.5), 0.6);
    stage.style.zoom = String(scale);
    stage.style.maxWidth = `${(root.clientWidth - 2) / scale}px`;
  }

  function renderMatrices() {
    const root = $("matrix-view");
    root.replaceChildren();
    S.setup.layers.forEach((layer, k) => {
      const l = k + 1, table = el("table", { class: "matrix" });
      const head = el("tr", {}, el("th", { text: `W[${l}]` }));
      layer.b.forEach((_, i) => head.append(el("th", { text: `→ ${nameText(names(l).a[i])}` })));
      table.append(head);
      const inputs = l === 1 ? S.names.x : names(l - 1).a;
      layer.W.forEach((wrow, j) => {
        const tr = el("tr", {}, el("th", { text: nameText(inputs[j]) }));
        wrow.forEach((w, i) => tr.append(el("td", {}, numberInput(`w:${l}:${j + 1}:${i + 1}`, w, nameText(names(l).W[j][i])))));
        table.append(tr);
      });
      const brow = el("tr", {}, el("th", { text: `b[${l}]` }));
      layer.b.forEach((b, i) => brow.append(el("td", {}, numberInput(`b:${l}:${i + 1}`, b, nameText(names(l).b[i])))));
      table.append(brow);
      root.append(table);
    });
    // the same numbers as on the diagram, under labels of their own: "w₁₁[1] in W[1]"
    for (const input of root.querySelectorAll("input")) {
      input.id = `m-${input.id}`;
      const [kind, l] = input.dataset.path.split(":");
      input.setAttribute("aria-label", `${input.getAttribute("aria-label")} in ${kind === "w" ? "W" : "b"}[${l}]`);
    }
    if (!S.setup.layers.every(onEdges)) $("matrices").open = true;
  }

  function renderDerivation() {
    const root = $("derivation");
    root.replaceChildren();
    $("derivation-empty").hidden = S.stage > 0;
    if (!S.trace || S.stage === 0) return;
    let newest = null;
    for (const section of S.trace.derivation) {
      const stage = STAGE_OF[section.key] || 9;
      if (stage > S.stage) continue;
      const box = el("section", { class: section.key, "data-key": section.key },
        el("h3", { text: section.title }));
      for (const note of section.notes) box.append(el("p", { class: "note", text: note }));
      box.append(...section.lines.map(equation));
      root.append(box);
      if (stage === S.stage && !newest) newest = box;
    }
    fitPieces(root);
    if (newest && S.stage !== shownStage) showSection(newest);
    shownStage = S.stage;
  }

  // The first section of the step just revealed goes to the top of the derivation panel (not
  // its bottom: after Backward the δ lines come first), and the panel into the window. Beside
  // the diagram the panel ends at the window's bottom, and has room under its last section for
  // that section to come to its top. While a question waits (predict, then reveal) the window
  // keeps the diagram in view instead: the question asks about the numbers on it.
  function showSection(section) {
    const panel = section.closest(".derivation-col"), root = $("derivation");
    const beside = getComputedStyle(panel).position === "sticky";
    const height = beside ? `${innerHeight - Math.max(12, panel.getBoundingClientRect().top) - 12}px` : "";
    if (panel.style.maxHeight !== height) panel.style.maxHeight = height;
    const above = panel.querySelector(".predict-box").getBoundingClientRect().height;  // sticky
    const pad = parseFloat(root.style.paddingBottom) || 0;
    const below = root.getBoundingClientRect().bottom - pad - section.getBoundingClientRect().top;
    const room = beside ? Math.max(0, panel.clientHeight - above - 8 - below) : 0;
    if (room !== pad) root.style.paddingBottom = `${room}px`;
    panel.scrollTop += section.getBoundingClientRect().top - panel.getBoundingClientRect().top - above - 8;
    if (S.asking) return keepDiagramInView();
    const top = section.getBoundingClientRect().top;  // in one column the window scrolls
    if (top < above || top > window.innerHeight - 160) window.scrollBy(0, top - above - 12);
  }

  function keepDiagramInView() {
    const box = $("diagram").getBoundingClientRect();
    if (box.top < 0 || box.bottom > innerHeight) window.scrollBy(0, box.top - 8);
  }

  return { render() {
    renderDiagram(); renderMatrices(); renderDerivation();
    if (S.asking) keepDiagramInView();
  } };
}

// One derivation line of a trace document, set as pieces that wrap between them (call
// fitPieces once it is on the page). Exported for any panel that shows a derivation.
export function equation(line) {
  const eq = el("div", { class: "eq" });
  for (const piece of line.mathml_pieces) {
    // MathML made by the server from explain's LaTeX; it carries no markup from the user.
    const span = el("span", { class: "piece" });
    span.insertAdjacentHTML("beforeend", piece);
    eq.append(span);
  }
  return eq;
}

// A piece wider than its line (a long sum of a wide layer) is set smaller until it fits.
export function fitPieces(root) {
  for (const eq of root.querySelectorAll(".eq")) {
    for (const piece of eq.children) {
      const math = piece.firstElementChild, room = eq.clientWidth;
      const wide = math ? math.getBoundingClientRect().width : 0;
      const size = parseFloat(getComputedStyle(eq).fontSize);
      if (wide > room) piece.style.fontSize = `${Math.floor((size * room * 0.97) / wide * 10) / 10}px`;
    }
  }
}
