// The file of attack payloads (crates/core/tests/fixtures/hostile_payloads.log) dropped
// on the page: every payload shown as text, nothing run, in the page, in the HTML report
// opened in the browser with scripts allowed, and in the CSV export.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { ROOT, analysisEnds, dropFile, openApp, startSite, parseCsv } from "./harness.mjs";

const HOSTILE = readFileSync(path.join(ROOT, "crates", "core", "tests", "fixtures", "hostile_payloads.log"), "latin1");

let site;
before(async () => {
  site = await startSite();
});
after(async () => {
  await site?.close();
});

test("attack payloads are text in the page, the HTML report and the CSV, and run nothing", async () => {
  const app = await openApp(site);
  const { page } = app;
  const title = await page.title();
  page.on("dialog", () => assert.fail("a dialog opened"));
  try {
    await dropFile(page, "hostile.log", HOSTILE);
    assert.equal((await analysisEnds(page)).state, "done");
    const rows = page.locator('[data-testid="finding-row"]');
    assert.equal(await rows.count(), 8);
    // Each finding's evidence line is the file's line, as text (control characters as
    // visible escapes).
    const expected = HOSTILE.split("\n").filter(Boolean).map((l) => l.replace(/\x1b/g, "\\x1B").replace(/\x07/g, "\\x07"));
    for (let i = 0; i < 8; i++) {
      await rows.nth(i).click();
      const raw = page.locator('[data-testid="evidence-line"] .raw').first();
      await raw.waitFor();
      assert.ok(expected.includes(await raw.textContent()), `not a line of the file: ${await raw.textContent()}`);
      await page.locator('[data-testid="detail-close"]').click();
    }
    assert.equal(await page.locator("main img, main script, main iframe").count(), 0);
    assert.equal(await page.title(), title);

    const save = async (button) => {
      const [download] = await Promise.all([page.waitForEvent("download"), page.locator(`[data-testid="${button}"]`).click()]);
      const file = path.join(mkdtempSync(path.join(os.tmpdir(), "loglens-hostile-")), download.suggestedFilename());
      await download.saveAs(file);
      return file;
    };
    const csv = readFileSync(await save("export-csv"), "utf8");
    const csvRows = parseCsv(csv);
    assert.ok(csvRows.length > 1);
    for (const row of csvRows.slice(1)) {
      for (const cell of row) assert.ok(!/^[=+\-@\t\r]/.test(cell), `a formula cell: ${cell}`);
    }
    assert.match(csv, /'=cmd\|'\/C_calc'!A0/);

    // The report, opened as a person would, scripts allowed: nothing runs, nothing loads.
    const report = await save("export-html");
    const context = await site.browser.newContext({ offline: true });
    const opened = await context.newPage();
    const requests = [];
    opened.on("request", (request) => requests.push(request.url()));
    opened.on("dialog", () => assert.fail("the report opened a dialog"));
    await opened.goto(`file://${report}`);
    assert.equal(await opened.locator("script, img, iframe").count(), 0);
    assert.match(await opened.locator("body").textContent(), /<script>document\.title='pwned'<\/script>/);
    assert.doesNotMatch(await opened.title(), /pwned/);
    assert.equal(requests.length, 1, requests.join("\n"));
    await context.close();
    assert.deepEqual(app.problems, []);
  } finally {
    await app.close();
  }
});
