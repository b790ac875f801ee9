// One analysis shared between workers: the page starts a worker per core (at most three),
// each running a share of the detectors; the report is exactly the one a single worker
// gives. A quick look has no detectors to share, and runs in one.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { ROOT, analysisEnds, openApp, startSite } from "./harness.mjs";

let site;
before(async () => {
  site = await startSite();
});
after(async () => {
  await site?.close();
});

/** The report of `sample` as the page exports it, on a machine of `cores` cores, and
 *  how many workers the page gave it to. */
async function reportWith(cores, sample, { quickLook = false } = {}) {
  const app = await openApp(site, undefined, { cores });
  try {
    const { page } = app;
    if (quickLook) await page.locator('[data-testid="summary-only"]').check();
    // The workers given the file to analyse (spares are started ahead of need, so
    // counting the ones constructed would say nothing).
    await page.evaluate(() => {
      window.workersGiven = new Set();
      const post = Worker.prototype.postMessage;
      Worker.prototype.postMessage = function (message, ...rest) {
        if (message && message.analyze) window.workersGiven.add(this);
        return post.call(this, message, ...rest);
      };
    });
    await page
      .locator('[data-testid="file-input"]')
      .setInputFiles(path.isAbsolute(sample) ? sample : path.join(ROOT, "example_logs", sample));
    const end = await analysisEnds(page);
    assert.equal(end.state, "done", end.text);
    const workers = await page.evaluate(() => window.workersGiven.size);
    // What the page shows beyond the export: the figures, first rows, rejected lines and
    // the traffic chart as drawn.
    const shown = await page.evaluate(() => {
      const text = (id) => document.querySelector(`[data-testid="${id}"]`)?.innerText ?? null;
      const canvas = document.querySelector('[data-testid="chart-traffic"] canvas, canvas[data-testid="chart-traffic"]');
      return {
        format: text("stat-format"),
        span: text("stat-span"),
        rows: text("rows-table"),
        rejected: text("rejected-lines"),
        traffic: canvas?.toDataURL() ?? null,
      };
    });
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator('[data-testid="export-json"]').click()]);
    const report = JSON.parse(readFileSync(await download.path(), "utf8"));
    assert.deepEqual(app.problems, [], "the page misbehaved");
    return { report, workers, shown };
  } finally {
    await app.close();
  }
}

test("an analysis shared between workers reports exactly what one worker reports", async () => {
  for (const sample of ["access_combined.log", "auth.log"]) {
    const alone = await reportWith(1, sample);
    assert.equal(alone.workers, 1);
    assert.ok(alone.report.findings.length >= 2, `${sample}: ${alone.report.findings.length} findings`);
    for (const cores of [2, 3, 8]) {
      const shared = await reportWith(cores, sample);
      assert.equal(shared.workers, Math.min(cores, 3), `${sample} on ${cores} cores`);
      assert.deepEqual(shared.report, alone.report, `${sample} shared between ${shared.workers} workers`);
    }
  }
  const quickLook = await reportWith(3, "access_combined.log", { quickLook: true });
  assert.equal(quickLook.workers, 1, "a quick look has nothing to share");
  assert.ok(quickLook.shown.rows && quickLook.shown.traffic, "the page shows the summary");
  assert.equal(quickLook.report.findings.length, 0);
});
