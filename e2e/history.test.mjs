// Past analyses kept in the browser once the analyst turns that on: saved when done
// (pseudonymised when exports are), listed, reopened, deleted one by one or all at once,
// and never with the log's own lines.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, test } from "node:test";
import { SCREENSHOTS, analysisEnds, openApp, startSite, stat } from "./harness.mjs";

let site;
before(async () => {
  site = await startSite();
});
after(async () => {
  await site?.close();
});

const entries = (page) => page.locator('[data-testid="history-entry"]');

/// Every analysis the history keeps, as stored, newest first.
const storedReports = (page) =>
  page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open("loglens");
        open.onerror = reject;
        open.onsuccess = () => {
          const all = open.result.transaction("analyses").objectStore("analyses").getAll();
          all.onsuccess = () =>
            resolve(all.result.sort((a, b) => b.id - a.id).map((entry) => ({ source: entry.source, json: entry.report_json })));
          all.onerror = reject;
        };
      }),
  );

test("the history is off until turned on, then keeps analyses, reopened and deleted", async () => {
  const app = await openApp(site);
  const { page } = app;
  try {
    // Off by default, and it says what it would keep.
    await page.locator('[data-testid="history-empty"]').waitFor();
    assert.equal(await page.locator('[data-testid="keep-history"]').isChecked(), false);
    assert.match(await page.locator('[data-testid="history-keeps"]').textContent(), /never the log's lines/);
    await page.locator('[data-testid="try-sample"]').click();
    assert.equal((await analysisEnds(page)).state, "done");
    await page.waitForTimeout(300);
    assert.equal(await entries(page).count(), 0, "saved with the history off");

    await page.locator('[data-testid="keep-history"]').check();
    for (const sample of ["try-sample", "try-sample-auth"]) {
      await page.locator(`[data-testid="${sample}"]`).click();
      assert.equal((await analysisEnds(page)).state, "done");
    }
    await entries(page).nth(1).waitFor();
    assert.equal(await entries(page).count(), 2);
    // Newest first: the auth.log, then the access log.
    assert.match(await entries(page).first().textContent(), /^auth\.log \(sample\)/);

    // What is stored: figures and findings, none of the log's lines.
    const stored = await storedReports(page);
    assert.equal(stored.length, 2);
    for (const { json } of stored) {
      const report = JSON.parse(json);
      assert.deepEqual(report.first_rows, []);
      assert.deepEqual(report.rejects.samples, []);
      assert.ok(report.findings.length > 0);
      assert.ok(!json.includes("UptimeRobot") && !json.includes("pam_unix"), "a log line was stored");
    }

    // Pseudonymising exports pseudonymises what the history keeps, the file's name too.
    await page.locator('[data-testid="pseudonymize"]').check();
    await page.locator('[data-testid="try-sample-auth"]').click();
    assert.equal((await analysisEnds(page)).state, "done");
    await entries(page).nth(2).waitFor();
    assert.match(await entries(page).first().textContent(), /^file-[0-9a-f]{6}(\.\w+)? · /);
    await page.locator('[data-testid="history"]').screenshot({ path: path.join(SCREENSHOTS, "history.png") });
    const [hidden, plainAuth] = await storedReports(page);
    assert.ok(!hidden.source.includes("auth"), hidden.source);
    const plainClients = JSON.parse(plainAuth.json).findings.map((f) => f.client);
    const hiddenReport = JSON.parse(hidden.json);
    assert.equal(hiddenReport.findings.length, plainClients.length);
    for (const client of plainClients.filter((c) => /\d+\.\d+\.\d+\.\d+/.test(c))) {
      assert.ok(!hidden.json.includes(client), `${client} was kept`);
    }
    assert.ok(hiddenReport.findings.some((f) => f.client.startsWith("ip-")));
    await page.locator('[data-testid="pseudonymize"]').uncheck();

    // Reopen the access log: its figures and findings, and no file to read lines from.
    await entries(page).nth(2).locator('[data-testid="history-open"]').click();
    await page.locator('[data-testid="analysis-status"]', { hasText: "(saved" }).waitFor();
    assert.equal(await stat(page, "lines"), 10332);
    const findings = await stat(page, "findings");
    assert.equal(await page.locator('[data-testid="finding-row"]').count(), findings);
    await page.locator('[data-testid="finding-row"]').first().click();
    await page.locator('[data-testid="evidence-error"]').waitFor();
    // Opening a saved analysis does not save it again.
    assert.equal(await entries(page).count(), 3);

    // Kept across visits, with the choice to keep; deleted one by one, then all at once.
    await page.reload();
    await entries(page).nth(2).waitFor();
    assert.equal(await page.locator('[data-testid="keep-history"]').isChecked(), true);
    await entries(page).first().locator('[data-testid="history-delete"]').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="history-entry"]').length === 2);
    await page.locator('[data-testid="history-clear"]').click();
    await page.locator('[data-testid="history-empty"]').waitFor();

    // With keeping switched off again, nothing more is saved, and the choice is remembered.
    await page.locator('[data-testid="keep-history"]').uncheck();
    await page.locator('[data-testid="try-sample"]').click();
    assert.equal((await analysisEnds(page)).state, "done");
    await page.waitForTimeout(300);
    assert.equal(await entries(page).count(), 0);
    await page.reload();
    assert.equal(await page.locator('[data-testid="keep-history"]').isChecked(), false);
    assert.deepEqual(app.problems, [], "the page misbehaved");
  } finally {
    await app.close();
  }
});
