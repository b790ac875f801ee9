// Issue 26, item 4: two periods compared, what is new in the second first; two ranges of
// one real log, and an earlier file against the one open. Expected counts were made with
// awk, sort and comm over the file, not with loglens.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { ROOT, SCREENSHOTS, analysisEnds, dropFile, startSite, withApp as withAppOn } from "./harness.mjs";

const NAME = "access_vhost_scanner_2024.log";
const TEXT = readFileSync(path.join(ROOT, "example_logs", "real", NAME), "utf8");
let site;

before(async () => {
  site = await startSite();
});
after(async () => {
  await site?.close();
});
const withApp = (journey) => withAppOn(site, journey);

async function compared(page) {
  await page.waitForFunction(
    () => document.querySelector('[data-testid="compare-result"]') || document.querySelector('[data-testid="compare-problem"]'),
    null,
    { timeout: 60_000 },
  );
  const problem = await page.locator('[data-testid="compare-problem"]').count();
  assert.equal(problem, 0, problem ? await page.locator('[data-testid="compare-problem"]').textContent() : "");
  const count = (id) => page.locator(`[data-testid="${id}"]`).getAttribute("data-count");
  return {
    clients: await count("compare-new-clients"),
    findings: await count("compare-new-findings"),
    table: Object.fromEntries(
      await page.locator('[data-testid="compare-table"] tbody tr').evaluateAll((rows) =>
        rows.map((r) => [r.cells[0].textContent, [...r.cells].slice(1).map((c) => c.textContent)]),
      ),
    ),
  };
}

test("two ranges of a real log: the scanner's hour against the hour before", async () => {
  await withApp(async (page) => {
    await dropFile(page, NAME, TEXT);
    assert.equal((await analysisEnds(page)).state, "done");
    await page.locator('[data-testid="compare-first-from"]').fill("2024-07-27T04:00");
    await page.locator('[data-testid="compare-first-to"]').fill("2024-07-27T04:59");
    await page.locator('[data-testid="compare-second-from"]').fill("2024-07-27T05:00");
    await page.locator('[data-testid="compare-second-to"]').fill("2024-07-27T05:59");
    await page.locator('[data-testid="compare-ranges"]').click();
    const result = await compared(page);
    // awk '$5 ~ /27\/Jul\/2024:0[45]/ {print $2}' per hour, sort -u, comm -13: 6 new clients
    assert.equal(result.clients, "6");
    // 63 lines then 1,244 (awk)
    assert.deepEqual(result.table.lines, ["63", "1,244", "+1875%"]);
    // 4 clients in the hour before, 7 in the scanner's: 1 in both (comm -12)
    assert.deepEqual(result.table["distinct clients"], ["4", "7", "+75%"]);
    // The scanner's findings are new in its hour.
    assert.ok(Number(result.findings) > 0, `${result.findings} new findings`);
    const newClients = await page.locator('[data-testid="compare-new-client"]').evaluateAll((b) => b.map((x) => x.dataset.client));
    assert.ok(newClients.includes("79.110.62.11"), newClients.join());
    await page.locator('[data-testid="compare"]').screenshot({ path: path.join(SCREENSHOTS, "compare-ranges.png") });
    // A new client is one click from everything it did.
    await page.locator('[data-testid="compare-new-client"][data-client="79.110.62.11"]').click();
    await page.locator('[data-testid="client-view"][data-client="79.110.62.11"]').waitFor({ timeout: 30_000 });
  });
});

test("an earlier file against the one open: new clients and new findings", async () => {
  await withApp(async (page) => {
    await dropFile(page, NAME, TEXT);
    assert.equal((await analysisEnds(page)).state, "done");
    // The earlier file: the log's first 1,000 lines.
    const earlier = path.join(mkdtempSync(path.join(os.tmpdir(), "loglens-compare-")), "earlier.log");
    writeFileSync(earlier, TEXT.split("\n").slice(0, 1000).join("\n") + "\n");
    await page.locator('[data-testid="compare-file"]').setInputFiles(earlier);
    const result = await compared(page);
    // head -1000 | awk '{print $2}' | sort -u against the whole file's: 31 new clients
    assert.equal(result.clients, "31");
    assert.deepEqual(result.table.lines, ["1,000", "2,765", "+176%"]);
    // loglens analyze --output json on both files: 20 (kind, client) pairs only in the whole file
    assert.equal(result.findings, "20");
    await page.locator('[data-testid="compare"]').screenshot({ path: path.join(SCREENSHOTS, "compare-files.png") });
  });
});

test("two files dropped as one log, the later first, are charted in time order", async () => {
  await withApp(async (page) => {
    const real = (name) => path.join(ROOT, "example_logs", "real", name);
    // 5 August 2024 first, then 27-28 July 2024 (head -1 and tail -1 of each file).
    await page.locator('[data-testid="file-input"]').setInputFiles([real("access_apache_noise_2024.log"), real(NAME)]);
    assert.equal((await analysisEnds(page)).state, "done");
    assert.match(await page.locator('[data-testid="stat-span"]').textContent(), /^2024-07-27 00:00 → 2024-08-05 23:57/);
    await page.locator('[data-testid="chart-traffic"][data-drawn]').waitFor();
    await page.locator('[data-testid="chart-traffic"]').screenshot({ path: path.join(SCREENSHOTS, "two-files-in-time-order.png") });
  });
});
