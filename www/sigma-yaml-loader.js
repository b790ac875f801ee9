// Starts the rule-file worker (sigma_yaml.js + sigma_yaml_bg.wasm, built by Trunk): it
// reads the YAML of Sigma rule files the analyst adds. Messages that arrive while its wasm
// is loading are replayed once it is ready (Trunk's glue would drop them).
"use strict";

const early = [];
const buffer = (event) => early.push(event);
self.onmessage = buffer;

importScripts("./sigma_yaml.js");

wasm_bindgen({ module_or_path: "./sigma_yaml_bg.wasm" }).then(
  () => {
    for (const event of early.splice(0)) self.onmessage(event);
  },
  (error) => {
    const failed = JSON.stringify({ Err: `the rule-file reader could not start: ${error}` });
    for (const _ of early.splice(0)) self.postMessage(failed);
    self.onmessage = () => self.postMessage(failed);
  },
);
