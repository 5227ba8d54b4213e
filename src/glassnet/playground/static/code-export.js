// Copy as code: the paused Train run as a short glassnet script and as a PyTorch script, both
// written by the server (playground/code.py) for the steps taken so far. Run either one and
// it prints the training loss this page shows.

import { api, el, showError } from "./common.js";
import { makeDialog, pausedSession } from "./dialog.js";

const LANGUAGES = [["glassnet", "glassnet"], ["pytorch", "PyTorch"]];

export function startCodeExport() {
  const { dialog, body } = makeDialog("x-code", "Copy as code");
  const note = el("p", { id: "x-code-note", class: "hint" });
  const tabs = el("div", { class: "x-tabs", role: "tablist", "aria-label": "language" });
  const pre = el("pre", { id: "x-code-text", class: "x-code", tabindex: "0", "aria-label": "the script" });
  const copy = el("button", { type: "button", id: "x-code-copy", class: "primary", text: "Copy to clipboard" });
  const save = el("a", { id: "x-code-save", class: "button", text: "Save as .py" });
  const status = el("span", { id: "x-code-status", class: "status", role: "status" });
  body.append(note, tabs, pre, el("div", { class: "buttons" }, copy, save, status));
  let scripts = null, chosen = "glassnet";

  function show(language) {
    chosen = language;
    for (const tab of tabs.children) tab.setAttribute("aria-selected", String(tab.dataset.language === language));
    pre.textContent = scripts ? scripts[language] : "";
    if (save.href) URL.revokeObjectURL(save.href);
    save.href = URL.createObjectURL(new Blob([pre.textContent], { type: "text/x-python" }));
    save.download = language === "glassnet" ? "playground_run.py" : "playground_run_torch.py";
    status.textContent = "";
  }
  for (const [language, label] of LANGUAGES) {
    const tab = el("button", { type: "button", role: "tab", "data-language": language, id: `x-code-tab-${language}`, text: label });
    tab.addEventListener("click", () => show(language));
    tabs.append(tab);
  }

  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(pre.textContent);
      status.textContent = "Copied.";
    } catch (err) {  // no clipboard permission: select the text for Ctrl+C instead
      getSelection().selectAllChildren(pre);
      status.textContent = "Selected: press Ctrl+C (⌘C) to copy.";
    }
  });

  document.getElementById("x-code-open").addEventListener("click", async () => {
    const session = await pausedSession();
    if (!session) { showError("Start a training run first (Step or Play), then copy it as code."); return; }
    try {
      scripts = await api(`/api/train/${session.id}/code`);
    } catch (err) { return; }
    const loss = document.getElementById("t-train-loss");
    note.textContent = scripts.exact
      ? `The run so far, ${scripts.steps} steps: the same data, seed, network, optimizer and ` +
        `batch order. Each script prints the training loss this page shows` +
        `${loss ? ` (${loss.textContent})` : ""}; the glassnet one to the last digit, PyTorch's to float64 precision.`
      : `This run changed while it trained (${scripts.changed.join("; ")}): the scripts train ` +
        `${scripts.steps} steps with the final settings from the start, so their loss differs from the page's. ` +
        "Press Reset and train without changes for a script that repeats the run exactly.";
    note.classList.toggle("x-stale", !scripts.exact);
    show(chosen);
    dialog.openIt();
  });
}
