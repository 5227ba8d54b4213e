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
    if (stage === 2) return [["L", "the loss L"]];
    const out = [], layers = S.names.layers;
    const order = layers.map((names, k) => k);
    if (stage === 3) order.reverse();  // backward starts at the output
    for (const k of order) {
      const names = layers[k];
      names.b.forEach((_, i) => {
        if (stage === 1) out.push([names.z[i].text, nameText(names.z[i])], [names.a[i].text, nameText(names.a[i])]);
        if (stage === 3) out.push([names.delta[i].text, nameText(names.delta[i])]);
      });
      if (stage < 3) continue;
      const params = [...names.W.flat(), ...names.b];
      for (const p of params) out.push(stage === 3 ? [`d${p.text}`, `∂L/∂${nameText(p)}`] : [`${p.text}_new`, `${nameText(p)} after the update`]);
    }
    return out;
  }

  const on = () => $("step-predict").checked;

  function showScore() {
    $("predict-score").hidden = score.asked === 0;
    $("predict-score").textContent = `Predictions this session: ${score.right} of ${score.asked} right.`;
  }

  // Called by step.js before it reveals `stage`; `go` reveals it. Returns false when off.
  // `after` is set when the question follows one just answered (Full step asks one number
  // per step): that answer's mark stays up while the next question is asked.
  function ask(stage, go, { after = false } = {}) {
    if (!on()) return false;
    const list = questions(stage), n = asked[stage] || 0;
    const [key, label] = list[n % list.length];
    asked[stage] = n + 1;
    pending = { stage, key, label, go };
    $("predict-question").textContent = `Before step ${stage} is shown: what is ${label}?`;
    $("predict-label").textContent = `your value of ${label} (4 decimals)`;
    $("predict-answer").value = "";
    $("predict").hidden = false;
    if (!after) $("predict-result").hidden = true;
    // the page does not scroll to the box: the diagram the student reads from stays in view
    $("predict-answer").focus({ preventScroll: true });
    return true;
  }

  async function submit(event) {
    event.preventDefault();
    if (!pending) return;
    const typed = $("predict-answer").value;
    if (!typed.trim()) { $("predict-answer").focus({ preventScroll: true }); return; }
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
    result.hidden = false;
    if (mark.verdict === "unreadable") {
      // Only that it was not read, and how to write it: not the value, which would give it away.
      result.replaceChildren(el("b", { text: `? Not read as a number (you wrote ${typed.trim()})` }),
        el("br"), el("span", { class: "mark-note",
          text: `${mark.note ? `${mark.note}. ` : ""}Type a decimal number such as 0.1234, to 4 decimals; this try is not counted.` }));
      $("predict-answer").select();
      $("predict-answer").focus({ preventScroll: true });
      return;
    }
    const head = mark.verdict === "correct" ? "✓ Right" : "✗ Not quite";
    result.replaceChildren(el("b", { text: `${head}: ${pending.label} = ${fmt(mark.expected)}` }),
      ` (you wrote ${typed.trim()}).`);
    for (const text of [mark.mistake_text || mark.note, mark.hint]) {
      if (text) result.append(el("br"), el("span", { class: "mark-note", text }));
    }
    showScore();
    finish();   // after the verdict is up, so that the step scrolls in below it
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
  return { ask, on, busy: () => pending !== null, cancel() { pending = null; $("predict").hidden = true; } };
}
