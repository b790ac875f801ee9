// One analysis shared between workers: the page starts a worker per core (at most three),
// each running a share of the detectors, and the report is exactly the one a single
// worker gives.
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
 *  how many workers the page started for it. */
async function reportWith(cores, sample) {
  const app = await openApp(site, undefined, { cores });
  try {
    const { page } = app;
    await page.evaluate(() => {
      window.workersStarted = 0;
      const Original = window.Worker;
      window.Worker = class extends Original {
        constructor(...args) {
          super(...args);
          window.workersStarted += 1;
        }
      };
    });
    await page.locator('[data-testid="file-input"]').setInputFiles(path.join(ROOT, "example_logs", sample));
    const end = await analysisEnds(page);
    assert.equal(end.state, "done", end.text);
    const workers = await page.evaluate(() => window.workersStarted);
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator('[data-testid="export-json"]').click()]);
    const report = JSON.parse(readFileSync(await download.path(), "utf8"));
    assert.deepEqual(app.problems, [], "the page misbehaved");
    return { report, workers };
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
});
