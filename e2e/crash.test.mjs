// A worker that dies (a Rust panic aborts wasm with an `unreachable` trap; memory running
// out throws a RangeError from Memory.grow) is caught: the page says which, offers to try
// again, and stays usable. The death is made to order by a loader that throws, on a file
// of a given name, the error the browser raises for each; the page's handling is real.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { ROOT, analysisEnds, dropFile, startSite } from "./harness.mjs";

let site;
before(async () => {
  site = await startSite();
});
after(async () => {
  await site?.close();
});

const LINE = '10.0.0.1 - - [01/Mar/2024:10:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "curl"\n';
const PANIC_BYTES = LINE.length * 13;
const OOM_BYTES = LINE.length * 17;

// Every handler the loader or the engine installs is wrapped before the browser gets it.
const CRASHING_LOADER = `
(() => {
  // A [Global] interface keeps its attributes on the global object itself.
  let scope = self;
  while (scope && !Object.getOwnPropertyDescriptor(scope, "onmessage")) scope = Object.getPrototypeOf(scope);
  const native = Object.getOwnPropertyDescriptor(scope, "onmessage");
  Object.defineProperty(self, "onmessage", {
    configurable: true,
    get() {
      return native.get.call(self);
    },
    set(handler) {
      const wrapped = function (event) {
        // A dropped file reaches the worker as a Blob, without its name: its size says.
        const request = event.data && event.data.analyze;
        const size = request && request.input && request.input.size;
        if (handler.name !== "buffer") {
          if (size === ${PANIC_BYTES}) throw new WebAssembly.RuntimeError("unreachable");
          if (size === ${OOM_BYTES}) throw new RangeError("WebAssembly.Memory.grow(): Maximum memory size exceeded");
        }
        return handler.call(self, event);
      };
      wrapped.original = handler;
      native.set.call(self, wrapped);
    },
  });
})();
${readFileSync(path.join(ROOT, "www", "worker-loader.js"), "utf8").replace("self.onmessage === buffer", "self.onmessage.original === buffer")}
`;

test("a crashed or exhausted worker is reported, can be retried, and the page goes on", async () => {
  // The service worker would serve the real loader from its cache, past any route.
  const context = await site.browser.newContext({ serviceWorkers: "block" });
  await context.route("**/worker-loader.js", (route) =>
    route.fulfill({ contentType: "text/javascript", body: CRASHING_LOADER }),
  );
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(error.message));
  try {
    await page.goto(site.baseUrl);
    await page.locator('[data-testid="analysis-status"][data-state="idle"]').waitFor();
    for (const [name, lines, said] of [
      ["panic.log", 13, /^Could not analyse panic\.log: The analysis engine crashed .*unreachable.*Try again/],
      ["oom.log", 17, /^Could not analyse oom\.log: The analysis ran out of memory .*Quick look/],
    ]) {
      await dropFile(page, name, LINE.repeat(lines));
      const end = await analysisEnds(page);
      assert.equal(end.state, "error", end.text);
      assert.match(end.text, said);
      await page.locator('[data-testid="retry"]').waitFor();
    }
    // The retry button reads the file again (and it dies again, as the loader wants).
    await page.locator('[data-testid="retry"]').click();
    assert.equal((await analysisEnds(page)).state, "error");
    // The page goes on: another file is analysed.
    await dropFile(page, "fine.log", LINE.repeat(20));
    const end = await analysisEnds(page);
    assert.equal(end.state, "done", end.text);
    assert.equal(await page.locator('[data-testid="stat-lines"]').getAttribute("data-value"), "20");
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
