// What no playground has, in Train mode: inspect a neuron (inspect.js), compare two set-ups
// (compare.js), copy the run as code (code-export.js). Each opens in its own <dialog>
// (dialog.js); they read train.js's state through its exports and ask the server for every
// number, as the rest of the page does.

import { startInspect } from "./inspect.js";
import { startCompare } from "./compare.js";
import { startCodeExport } from "./code-export.js";

export function startExtras() {
  startInspect();
  startCompare();
  startCodeExport();
}
