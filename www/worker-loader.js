// Starts the analysis worker (worker.js + worker_bg.wasm, built by Trunk) and replays the
// messages that arrive while its wasm is still loading: Trunk's glue would drop them. The
// page starts spare workers ahead of need, so a message may come long after loading.
"use strict";

const early = [];
const buffer = (event) => early.push(event);
self.onmessage = buffer;

importScripts("./worker.js");

wasm_bindgen({ module_or_path: "./worker_bg.wasm" }).then(
  () => {
    // The wasm's start function installs its own onmessage.
    if (self.onmessage === buffer) {
      self.postMessage({ kind: "failed", message: "The analysis engine started without a message handler." });
      return;
    }
    // Replayed one task each, outside this promise: an exception or a crash while
    // analysing then reaches the page as a worker error, not as a failed start.
    for (const event of early.splice(0)) setTimeout(() => self.onmessage(event));
  },
  (error) => {
    const failed = { kind: "failed", message: `The analysis engine could not start: ${error}` };
    self.postMessage(failed);
    // A spare worker has no listener yet: it says so again when it is given work.
    self.onmessage = () => self.postMessage(failed);
  },
);
