// The page's one script: index.html loads it as a module, and its imports bring in the rest
// (common.js; step.js with step-view.js; train.js with train-view.js), so no file relies on
// the order of <script> tags or on a global object. Modules run once the page is parsed.

import { startTabs } from "./common.js";
import { startStep } from "./step.js";
import { startTrain } from "./train.js";
import { startExtras } from "./extras.js";  // h-extras: inspect, compare, copy as code

startTabs();
startStep();   // the two modes ask the server for their options side by side
startTrain();
startExtras();
