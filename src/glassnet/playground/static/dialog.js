// The extras' shared pieces: a <dialog> with a heading and a close button, and a paused Train
// session to read numbers from.

import { el } from "./common.js";
import { pauseTraining, trainState } from "./train.js";

// A dialog with a heading and a close button; `modal` ones cover the page, the others leave
// it usable (the inspector lets the student click points on the plane).
export function makeDialog(id, title, { modal = true } = {}) {
  const heading = el("h2", { id: `${id}-title`, text: title });
  const close = el("button", { type: "button", class: "x-close", "aria-label": `Close ${title}`, text: "×" });
  const body = el("div", { class: "x-body" });
  const dialog = el("dialog", { id, class: modal ? "x-dialog x-modal" : "x-dialog x-docked",
    "aria-labelledby": `${id}-title` }, el("div", { class: "x-head" }, heading, close), body);
  close.addEventListener("click", () => dialog.close());
  document.body.append(dialog);
  dialog.openIt = () => (modal ? dialog.showModal() : dialog.show());
  return { dialog, body };
}

// Pause Train and wait for the step request in flight, so that what the server reports next
// is the network the page shows.
export async function pausedSession() {
  pauseTraining();
  while (trainState.busy) await new Promise((resolve) => setTimeout(resolve, 20));
  return trainState.session;
}
