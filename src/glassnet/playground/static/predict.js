// Predict, then reveal: with the option on, a step button first asks the student for one number
// of that step (a z, an a, ŷ, L, a δ, a gradient, an updated weight), has the server mark it with
// the course checker (POST /api/step/check), and only then shows the step. The score is kept
// for the browser session (sessionStorage), so a reload does not lose it.

import { api, el, fmt, nameText } from "./common.js";

const $ = (id) => document.getElementById(id);
const KEY = "glassnet-predict-score";

export function predictor(S) {
  const score = JSON.parse(sessionStorage.getItem(KEY) || '{"right": 0, "asked": 0}');
  const asked = {};   // stage → how many questions of it so far, to walk through its numbers
  let pending = null; // { stage, key, label, go }: the question on screen and what it holds back

  // The numbers a stage shows, as [checker's name, plain label]; names from the server's set.
  function questions(stage) {
    const out = [], layers = S.names.layers;
    layers.forEach((names, k) => {
      const l = k + 1, width = names.b.length;
      for (let i = 0; i < width; i++) {
        if (stage === 1) out.push([names.z[i].text, nameText(names.z[i])], [names.a[i].text, nameText(names.a[i])]);
        if (stage === 3) out.push([names.delta[i].text, nameText(names.delta[i])]);
      }
      for (const row of stage === 3 || stage === 4 ? names.W : []) {
        for (const w of row) out.push(stage === 3 ? [`d${w.text}`, `∂L/∂${nameText(w)}`] : [`${w.text}_new`, `${nameText(w)} after the update`]);
      }
      for (const b of stage === 3 || stage === 4 ? names.b : []) {
        out.push(stage === 3 ? [`d${b.text}`, `∂L/∂${nameText(b)}`] : [`${b.text}_new`, `${nameText(b)} after the update`]);
      }
      if (stage === 3 && l === layers.length) out.reverse();  // backward starts at the output
    });
    return stage === 2 ? [["L", "the loss L"]] : out;
  }

  function showScore() {
    $("predict-score").hidden = score.asked === 0;
    $("predict-score").textContent = `Predictions this session: ${score.right} of ${score.asked} right.`;
  }

  // Called by step.js before it reveals `stage`; `go` reveals it. Returns false when off.
  function ask(stage, go) {
    if (!$("step-predict").checked) return false;
    const list = questions(stage), n = asked[stage] || 0;
    const [key, label] = list[n % list.length];
    asked[stage] = n + 1;
    pending = { stage, key, label, go };
    $("predict-question").textContent = `Before step ${stage} is shown: what is ${label}?`;
    $("predict-label").textContent = `your value of ${label} (${4} decimals)`;
    $("predict-answer").value = "";
    $("predict").hidden = false;
    $("predict-result").hidden = true;
    $("predict-answer").focus();
    return true;
  }

  async function submit(event) {
    event.preventDefault();
    if (!pending) return;
    const typed = $("predict-answer").value;
    if (!typed.trim()) { $("predict-answer").focus(); return; }
    let mark;
    try {
      mark = await api("/api/step/check", { json: { setup: S.setup, name: pending.key, answer: typed } });
    } catch (err) { return; }  // the message is on the page; the question stays
    if (mark.verdict !== "unreadable") {
      score.asked += 1;
      if (mark.verdict === "correct") score.right += 1;
      sessionStorage.setItem(KEY, JSON.stringify(score));
    }
    const result = $("predict-result");
    result.className = `predict-result ${mark.verdict}`;
    const head = { correct: "✓ Right", wrong: "✗ Not quite", unreadable: "? Not read as a number" }[mark.verdict];
    result.replaceChildren(el("b", { text: `${head}: ${pending.label} = ${fmt(mark.expected)}` }),
      ` (you wrote ${typed.trim()}).`);
    for (const text of [mark.mistake_text || mark.note, mark.hint]) {
      if (text) result.append(el("br"), el("span", { class: "mark-note", text }));
    }
    if (mark.verdict === "unreadable") { result.hidden = false; return; }
    finish();
    result.hidden = false;
    showScore();
  }

  function finish() {
    const { go } = pending;
    pending = null;
    $("predict").hidden = true;
    go();
  }

  $("predict").addEventListener("submit", submit);
  $("predict-skip").addEventListener("click", () => {
    if (!pending) return;
    $("predict-result").hidden = true;
    finish();
  });
  $("step-predict").addEventListener("change", (e) => {
    if (!e.target.checked && pending) finish();
    $("predict-result").hidden = true;
  });
  showScore();
  return { ask, busy: () => pending !== null, cancel() { pending = null; $("predict").hidden = true; } };
}
