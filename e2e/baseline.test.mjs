// A baseline: learned from a good file, kept in the browser, applied to the next file
// (whose findings then say so), switched off, downloaded, loaded back, forgotten; and a
// model file of another version refused with a sentence.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { SCREENSHOTS, analysisEnds, dropFile, openApp, startSite } from "./harness.mjs";

let site;
before(async () => {
  site = await startSite();
});
after(async () => {
  await site?.close();
});

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n) => String(n).padStart(2, "0");

/** A combined-format line with a trailing request time, at `secs` after 2024-03-01 UTC. */
function line(client, secs, target, bytes, seconds) {
  const t = new Date(Date.UTC(2024, 2, 1) + secs * 1000);
  const stamp = `${pad(t.getUTCDate())}/${MONTHS[t.getUTCMonth()]}/${t.getUTCFullYear()}:${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())} +0000`;
  return `${client} - - [${stamp}] "GET ${target} HTTP/1.1" 200 ${bytes} "-" "Mozilla/5.0" ${seconds.toFixed(3)}`;
}

/** Office-hours browsing by 80 clients: the good day. */
function goodDay(lines) {
  const pages = ["/", "/products", "/product/12", "/product/981", "/cart", "/search?q=lamp", "/static/app.js"];
  let state = 12345;
  const out = [];
  for (let i = 0; i < lines; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const client = `10.0.${state % 4}.${10 + (state % 80)}`;
    const secs = 8 * 3600 + Math.floor((i * 36000) / lines);
    out.push(line(client, secs, pages[state % pages.length], 2000 + (state % 3000), 0.02 + (state % 50) / 1000));
  }
  return out.join("\n") + "\n";
}

/** The next night: four clients pulling the admin export, slowly. */
function attackNight() {
  const out = [];
  for (let i = 0; i < 2000; i++) {
    out.push(line(`198.51.100.${i % 4}`, 86400 + 3 * 3600 + i, "/admin/export?table=users", 90000, 4));
  }
  return out.join("\n") + "\n";
}

const kinds = (page) =>
  page.locator('[data-testid="finding-row"]').evaluateAll((rows) => rows.map((row) => row.dataset.kind));

test("a baseline is learned, applied, switched off, saved, loaded and forgotten", async () => {
  const app = await openApp(site);
  const { page } = app;
  const status = page.locator('[data-testid="baseline-status"]');
  try {
    await status.filter({ hasText: "No baseline" }).waitFor();
    assert.ok(await page.locator('[data-testid="baseline-learn"]').isDisabled());

    // Learn from the good day.
    await dropFile(page, "good-day.log", goodDay(6000));
    assert.equal((await analysisEnds(page)).state, "done");
    await page.locator('[data-testid="baseline-learn"]').click();
    await status.filter({ hasText: "Baseline: good-day.log (6,000 lines) from Apache/Nginx combined" }).waitFor();
    assert.equal((await analysisEnds(page)).state, "done");
    assert.ok(await page.locator('[data-testid="baseline-in-use"]').isChecked());
    const kept = await page.evaluate(() => localStorage.getItem("loglens.baseline"));
    assert.equal(JSON.parse(kept).loglens_baseline, 1);
    assert.ok(!kept.includes("10.0.") && !kept.includes("/product"), "the kept baseline holds log text");

    // The attack night, judged against it.
    await dropFile(page, "night.log", attackNight());
    assert.equal((await analysisEnds(page)).state, "done");
    const judged = page.locator('[data-testid="stat-baseline"]');
    assert.equal(await judged.textContent(), "Judged against good-day.log (6,000 lines)");
    const withBaseline = await kinds(page);
    for (const kind of ["off_hours", "anomalous_lines"]) {
      assert.ok(withBaseline.includes(kind), `${kind} missing from ${withBaseline}`);
    }
    await page.locator('[data-testid="finding-row"][data-kind="anomalous_lines"]').first().click();
    await page.locator('[data-testid="finding-detail"]', { hasText: "the baseline learned from good-day.log" }).waitFor();
    await page.locator('[data-testid="baseline"]').screenshot({ path: path.join(SCREENSHOTS, "baseline-panel.png") });
    await page.screenshot({ path: path.join(SCREENSHOTS, "baseline-applied.png"), fullPage: false });

    // Switched off: the same file, judged by itself, where the night is all there is.
    await page.locator('[data-testid="baseline-in-use"]').uncheck();
    assert.equal((await analysisEnds(page)).state, "done");
    await page.locator('[data-testid="stat-lines"]').waitFor();
    assert.equal(await judged.count(), 0);
    const alone = await kinds(page);
    assert.ok(!alone.includes("off_hours") && !alone.includes("anomalous_lines"), `judged alone: ${alone}`);

    // Downloaded, kept across a reload, forgotten, loaded back from the file.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.locator('[data-testid="baseline-download"]').click(),
    ]);
    assert.equal(download.suggestedFilename(), "baseline-good-day.log.json");
    const saved = readFileSync(await download.path(), "utf8");
    assert.equal(saved, kept);
    await page.reload();
    await status.filter({ hasText: "Baseline: good-day.log" }).waitFor();
    assert.ok(!(await page.locator('[data-testid="baseline-in-use"]').isChecked()), "the switch is remembered");
    await page.locator('[data-testid="baseline-forget"]').click();
    await status.filter({ hasText: "No baseline" }).waitFor();
    assert.equal(await page.evaluate(() => localStorage.getItem("loglens.baseline")), null);
    const dir = mkdtempSync(path.join(os.tmpdir(), "loglens-baseline-"));
    const file = path.join(dir, "model.json");
    writeFileSync(file, saved);
    await page.locator('[data-testid="baseline-load"]').setInputFiles(file);
    await status.filter({ hasText: "Baseline: good-day.log (6,000 lines)" }).waitFor();
    assert.ok(await page.locator('[data-testid="baseline-in-use"]').isChecked());

    // A model from another version is refused, and the one kept stays.
    const newer = path.join(dir, "newer.json");
    writeFileSync(newer, JSON.stringify({ loglens_baseline: 9, lines: null }));
    await page.locator('[data-testid="baseline-load"]').setInputFiles(newer);
    const problem = page.locator('[data-testid="baseline-problem"]');
    await problem.waitFor();
    assert.match(await problem.textContent(), /format version 9, and this loglens reads version 1: learn it again/);
    assert.match(await status.textContent(), /good-day\.log/);
    assert.deepEqual(app.problems, []);
  } finally {
    await app.close();
  }
});
