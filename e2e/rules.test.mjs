// People's own rules: typed and checked as typed, applied to the open file, exported,
// removed, imported back and remembered across visits.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { SCREENSHOTS, analysisEnds, openApp, startSite } from "./harness.mjs";

let site;
before(async () => {
  site = await startSite();
});
after(async () => {
  await site?.close();
});

const ruleRows = (page) => page.locator('[data-testid="finding-row"][data-kind="custom_rule"]');

test("a rule is checked as typed, finds its lines, and travels as JSON", async () => {
  const app = await openApp(site);
  const { page } = app;
  try {
    await page.locator('[data-testid="try-sample"]').click();
    assert.equal((await analysisEnds(page)).state, "done");
    assert.equal(await ruleRows(page).count(), 0);

    await page.locator('[data-testid="rules"] summary').click();
    await page.locator('[data-testid="rule-name"]').fill("Ping tool");
    await page.locator('[data-testid="rule-value"]').fill("^/tools/(ping");
    // The helper worker compiles the expression: its verdict arrives a moment later.
    const verdict = (text) =>
      page.waitForFunction(
        (wanted) => document.querySelector('[data-testid="rule-check"]').textContent === wanted,
        text,
      );
    await verdict("Not yet a rule: the expression is not valid: unclosed group.");
    assert.ok(await page.locator('[data-testid="rule-add"]').isDisabled());
    await page.locator('[data-testid="rule-value"]').fill("^/tools/ping");
    await verdict("Ready to add.");
    await page.locator('[data-testid="rule-severity"]').selectOption("critical");
    await page.locator('[data-testid="rules"]').screenshot({ path: path.join(SCREENSHOTS, "rules-editor.png") });
    await page.locator('[data-testid="rule-add"]').click();

    // The file is read again with the rule: one finding per client that used the tool.
    await ruleRows(page).first().waitFor();
    assert.equal((await analysisEnds(page)).state, "done");
    const row = ruleRows(page).first();
    assert.equal(await row.getAttribute("data-severity"), "critical");
    assert.match(await row.textContent(), /passed the rule "Ping tool" \(path matches \/\^\/tools\/ping\/\)/);
    assert.equal(await page.locator('[data-testid="rule"]').count(), 1);

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.locator('[data-testid="rules-export"]').click(),
    ]);
    const exported = readFileSync(await download.path(), "utf8");
    assert.equal(JSON.parse(exported).rules[0].name, "Ping tool");

    await page.locator('[data-testid="rule-remove"]').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="rule"]').length === 0);
    assert.equal((await analysisEnds(page)).state, "done");
    await page.waitForFunction(() => !document.querySelector('[data-testid="finding-row"][data-kind="custom_rule"]'));

    // Imported back; a broken file is refused with the rule it names.
    const dir = mkdtempSync(path.join(os.tmpdir(), "loglens-rules-"));
    const file = path.join(dir, "rules.json");
    writeFileSync(file, exported);
    await page.locator('[data-testid="rules-import"]').setInputFiles(file);
    await page.locator('[data-testid="rule"]').waitFor();
    const broken = path.join(dir, "broken.json");
    writeFileSync(broken, JSON.stringify([{ name: "bad", field: "status", test: { at_least: 500 }, severity: "urgent" }]));
    await page.locator('[data-testid="rules-import"]').setInputFiles(broken);
    assert.match(await page.locator('[data-testid="rules-problem"]').textContent(), /^Those rules cannot be imported: .*urgent/);
    assert.equal(await page.locator('[data-testid="rule"]').count(), 1);

    // Remembered with the settings.
    await page.reload();
    await page.locator('[data-testid="rules"] summary', { hasText: "Your rules (1)" }).waitFor();
    assert.deepEqual(app.problems, []);
  } finally {
    await app.close();
  }
});
