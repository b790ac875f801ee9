// The page, timed as a person would use it: a generated access log is picked in headless
// Chromium, and the page reports when the analysis is done. Prints, per mode (the whole
// analysis in a worker per core and in one, and the quick look that only reads and
// summarises, always in one), the median time from the file being picked to the report,
// lines per second, and the longest main-thread stall (Long Tasks API: anything over
// 50 ms is a long task; the target is none over 100 ms).
//
//   source scripts/setup.sh && trunk build --release
//   node e2e/bench_page.mjs [--lines 1000000] [--runs 3] [--file big.log]
//       [--before OTHER_DIST] [--modes whole,one,quick,query]
//
// The query mode opens the file with the quick look, then runs a query over every line
// (issue 26: first matches in under 1 s, the full count in under 3 s) and prints the
// median time to the first matching line shown and to the full count.
//
// With --before, another build of the site (a copy of an earlier dist/) is timed too, the
// two taking turns run by run, and each mode prints both medians and their ratio: a
// change is judged side by side, in one run, since this machine's speed drifts.
//
// Also prints the engine's memory (the worker's WebAssembly memory at the end, its peak)
// and the page's JavaScript heap, each the largest of the runs.
//
// The file is scripts/generate_realistic_access_log.py's: a shop's traffic as diverse as
// real logs' (see docs/performance.md).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { ROOT, openApp, startSite } from "./harness.mjs";

const { values } = parseArgs({
  options: {
    lines: { type: "string", default: "1000000" },
    runs: { type: "string", default: "3" },
    // An existing file instead of the generated one (the 2 GB run: the shop log repeated).
    file: { type: "string" },
    before: { type: "string" },
    modes: { type: "string", default: "whole,one,quick,query" },
    query: { type: "string", default: "status>=400 and not ua~bot" },
  },
});
const wantedModes = new Set(values.modes.split(","));
const wantedLines = Number(values.lines);
const runs = Number(values.runs);

function makeLog(directory) {
  const file = path.join(directory, "bench.log");
  const generator = path.join(ROOT, "scripts", "generate_realistic_access_log.py");
  execFileSync("python3", [generator, "--lines", String(wantedLines), "--out", file]);
  return { file, lines: wantedLines };
}

/** An existing file and its line count (counted in chunks: it may be gigabytes). */
function countLines(file) {
  const output = execFileSync("wc", ["-l", file]).toString();
  return { file, lines: Number(output.trim().split(/\s+/)[0]) };
}

/** One run: pick the file, wait for the report; returns timings measured in the page. */
async function timeOneRun(site, file, summaryOnly, cores) {
  const app = await openApp(site, undefined, { cores });
  try {
    const { page } = app;
    if (summaryOnly) await page.locator('[data-testid="summary-only"]').check();
    await page.evaluate(() => {
      window.bench = { longestTaskMs: 0, stalls: 0, start: null, end: null };
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          window.bench.longestTaskMs = Math.max(window.bench.longestTaskMs, entry.duration);
          if (entry.duration > 100) window.bench.stalls += 1;
        }
      }).observe({ type: "longtask" });
      document
        .querySelector('[data-testid="file-input"]')
        .addEventListener("change", () => (window.bench.start = performance.now()), { capture: true });
      const status = document.querySelector('[data-testid="analysis-status"]');
      new MutationObserver(() => {
        if (status.dataset.state === "done" || status.dataset.state === "error") {
          window.bench.end ??= performance.now();
          window.bench.state = status.dataset.state;
        }
      }).observe(status, { attributes: true });
    });
    await page.locator('[data-testid="file-input"]').setInputFiles(file);
    await page.waitForFunction(() => window.bench.end !== null, null, { timeout: 600_000, polling: 200 });
    // Let the Long Tasks API deliver the last entries.
    await page.waitForTimeout(300);
    const bench = await page.evaluate(() => window.bench);
    if (bench.state !== "done") throw new Error("the analysis ended in an error");
    if (app.problems.length > 0) throw new Error(app.problems.join("\n"));
    // The worker's WebAssembly memory at the end (its peak: wasm memory never shrinks),
    // and the page's own JavaScript heap.
    const engineBytes = Number(await page.locator('[data-testid="engine-memory"]').getAttribute("data-bytes"));
    const pageHeapBytes = await page.evaluate(() => performance.memory?.usedJSHeapSize ?? 0);
    return {
      seconds: (bench.end - bench.start) / 1000,
      longestTaskMs: bench.longestTaskMs,
      stalls: bench.stalls,
      engineBytes,
      pageHeapBytes,
    };
  } finally {
    await app.close();
  }
}

const median = (numbers) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)];

const MODES = [
  ["whole", "whole analysis", false, undefined],
  ["one", "whole, one worker", false, 1],
  ["quick", "quick look (parse)", true, undefined],
];

/** One query run: the file opened with the quick look, then `values.query` over every
 * line; seconds to the first matching line shown and to the full count. */
async function timeOneQuery(site, file) {
  const app = await openApp(site);
  try {
    const { page } = app;
    await page.locator('[data-testid="summary-only"]').check();
    await page.locator('[data-testid="file-input"]').setInputFiles(file);
    await page.waitForFunction(
      () => document.querySelector('[data-testid="analysis-status"]')?.dataset.state === "done",
      null,
      { timeout: 600_000, polling: 100 },
    );
    await page.locator('[data-testid="query-input"]').fill(values.query);
    await page.evaluate(() => {
      window.query = { start: null, first: null, end: null, count: null };
      document
        .querySelector('[data-testid="query-run"]')
        .addEventListener("click", () => (window.query.start = performance.now()), { capture: true });
      new MutationObserver(() => {
        const now = performance.now();
        if (window.query.first === null && document.querySelector('[data-testid="query-line"]')) window.query.first = now;
        const count = document.querySelector('[data-testid="query-count"]')?.dataset.count;
        if (window.query.end === null && count !== undefined) {
          window.query.end = now;
          window.query.count = Number(count);
        }
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await page.locator('[data-testid="query-run"]').click();
    await page.waitForFunction(() => window.query.end !== null, null, { timeout: 600_000, polling: 50 });
    const timing = await page.evaluate(() => window.query);
    if (app.problems.length > 0) throw new Error(app.problems.join("\n"));
    return {
      first: ((timing.first ?? timing.end) - timing.start) / 1000,
      seconds: (timing.end - timing.start) / 1000,
      count: timing.count,
    };
  } finally {
    await app.close();
  }
}

/** The row of one mode's results: median time, lines/s, stalls, memory. */
function row(name, lines, results) {
  const seconds = median(results.map((r) => r.seconds));
  return `${name.padEnd(20)} ${seconds.toFixed(2).padStart(8)}   ${Math.round(lines / seconds).toLocaleString("en").padStart(9)}   ${median(
    results.map((r) => r.longestTaskMs),
  )
    .toFixed(0)
    .padStart(16)}   ${Math.max(...results.map((r) => r.stalls)).toString().padStart(15)}   ${(
    Math.max(...results.map((r) => r.engineBytes)) / 1e6
  )
    .toFixed(0)
    .padStart(9)}   ${(Math.max(...results.map((r) => r.pageHeapBytes)) / 1e6).toFixed(0).padStart(12)}`;
}

const directory = mkdtempSync(path.join(os.tmpdir(), "loglens-bench-"));
const site = await startSite();
const earlier = values.before ? await startSite({ directory: path.resolve(values.before) }) : null;
try {
  const { file, lines } = values.file ? countLines(values.file) : makeLog(directory);
  const megabytes = statSync(file).size / 1e6;
  console.log(`${lines.toLocaleString("en")} lines, ${megabytes.toFixed(0)} MB, ${runs} runs per mode, Chromium ${site.browser.version()}`);
  console.log("mode                 median s   lines/s     longest stall ms   stalls > 100 ms   engine MB   page heap MB");
  if (wantedModes.has("query")) {
    const results = [];
    for (let run = 0; run < runs; run += 1) results.push(await timeOneQuery(site, file));
    console.log(
      `query "${values.query}": ${results[0].count.toLocaleString("en")} matching lines; first shown after ${median(
        results.map((r) => r.first),
      ).toFixed(2)} s, full count after ${median(results.map((r) => r.seconds)).toFixed(2)} s (medians)`,
    );
  }
  for (const [key, name, summaryOnly, cores] of MODES) {
    if (!wantedModes.has(key)) continue;
    const results = [];
    const before = [];
    for (let run = 0; run < runs; run += 1) {
      if (earlier) before.push(await timeOneRun(earlier, file, summaryOnly, cores));
      results.push(await timeOneRun(site, file, summaryOnly, cores));
    }
    if (earlier) {
      console.log(row(`${name}, before`, lines, before));
      const ratio = median(results.map((r) => r.seconds)) / median(before.map((r) => r.seconds));
      console.log(`${row(name, lines, results)}   (after/before ${ratio.toFixed(3)})`);
    } else {
      console.log(row(name, lines, results));
    }
  }
} finally {
  await site.close();
  if (earlier) await earlier.close();
  rmSync(directory, { recursive: true, force: true });
}
