// Starts the analysis worker (worker.js + worker_bg.wasm, built by Trunk) and replays the
// messages that arrive while its wasm is still loading: Trunk's glue would drop them.
"use strict";

const early = [];
self.onmessage = (event) => early.push(event);

importScripts("./worker.js");

wasm_bindgen({ module_or_path: "./worker_bg.wasm" })
  .then(() => {
    // The wasm's start function has installed its own onmessage by now.
    for (const event of early) self.onmessage(event);
  })
  .catch((error) => {
    self.postMessage({ kind: "failed", message: `The analysis engine could not start: ${error}` });
  });
