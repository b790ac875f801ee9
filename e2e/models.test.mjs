// The second model and the supervised classifier: switching the unusual-lines model to
// the One-Class SVM, and training a classifier on a labelled flow file, reading its
// held-out figures, and scoring flows with it.
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

const rows = (page, kind) => page.locator(`[data-testid="finding-row"][data-kind="${kind}"]`);
const number = async (locator) => Number(await locator.textContent());

test("the One-Class SVM can replace the forest, with its reasons shown the same way", async () => {
  const app = await openApp(site);
  const { page } = app;
  try {
    await page.locator('[data-testid="try-sample"]').click();
    assert.equal((await analysisEnds(page)).state, "done");
    assert.equal(await rows(page, "anomalous_lines").count(), 0, "the forest shows no unusual lines here by default");

    await page.locator('[data-testid="settings"] summary').click();
    await page.locator('[data-testid="setting-model"]').selectOption("one_class_svm");
    await page.locator('[data-testid="settings-apply"]').click();
    await rows(page, "anomalous_lines").first().waitFor();
    assert.equal((await analysisEnds(page)).state, "done");
    const stored = JSON.parse(await page.evaluate(() => localStorage.getItem("loglens.detection")));
    assert.equal(stored.line_model.model, "one_class_svm");
    assert.equal(stored.client_model.model, "one_class_svm");

    await rows(page, "anomalous_lines").first().click();
    const detail = page.locator('[data-testid="finding-detail"]');
    await detail.waitFor();
    assert.match(await detail.textContent(), /unlike the rest of the file/);
    assert.ok((await page.locator('[data-testid="contribution"]').count()) > 0, "no contributions shown");
    await detail.screenshot({ path: path.join(SCREENSHOTS, "svm-detail.png") });
    assert.deepEqual(app.problems, []);
  } finally {
    await app.close();
  }
});

test("a classifier is trained on a flow file's labels, measured, kept and used", async () => {
  const app = await openApp(site);
  const { page } = app;
  try {
    await page.locator('[data-testid="try-sample-flows"]').click();
    assert.equal((await analysisEnds(page)).state, "done");
    const status = page.locator('[data-testid="classifier-status"]');
    await status.filter({ hasText: "No classifier" }).waitFor();

    await page.locator('[data-testid="classifier-train"]').click();
    await page.locator('[data-testid="classifier-figures"]').waitFor();
    assert.equal((await analysisEnds(page)).state, "done");
    await status.filter({ hasText: "Classifier: trained on flows_cicids.csv (sample)" }).waitFor();
    const holdout = await page.locator('[data-testid="classifier-holdout"] td').allTextContents();
    assert.equal(holdout.length, 4);
    for (const value of holdout) assert.ok(Number(value) > 0.95, `held-out figures ${holdout}`);
    const without = await page.locator('[data-testid="classifier-without-training"] td').allTextContents();
    assert.equal(without.length, 4);
    // The matrix and the label table count the same held-out rows.
    const matrix =
      (await number(page.locator('[data-testid="confusion-tp"]'))) +
      (await number(page.locator('[data-testid="confusion-fn"]'))) +
      (await number(page.locator('[data-testid="confusion-fp"]'))) +
      (await number(page.locator('[data-testid="confusion-tn"]')));
    const perLabel = await page
      .locator('[data-testid="classifier-label"] td:first-of-type')
      .evaluateAll((cells) => cells.reduce((sum, cell) => sum + Number(cell.textContent), 0));
    assert.equal(matrix, perLabel);
    assert.equal(await page.locator('[data-testid="classifier-label"]').count(), 5);
    await page.locator('[data-testid="classifier"]').screenshot({ path: path.join(SCREENSHOTS, "classifier.png") });

    // Kept and in use: the next flow file is scored by it.
    assert.ok(await page.locator('[data-testid="classifier-in-use"]').isChecked());
    await page.locator('[data-testid="try-sample-flows"]').click();
    assert.equal((await analysisEnds(page)).state, "done");
    await rows(page, "classified_attack").first().waitFor();
    assert.ok((await rows(page, "classified_attack").count()) >= 4);

    // Saved, and a classifier of another version refused.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.locator('[data-testid="classifier-download"]').click(),
    ]);
    assert.equal(download.suggestedFilename(), "classifier-flows_cicids.csv__sample_.json");
    assert.equal(JSON.parse(readFileSync(await download.path(), "utf8")).loglens_classifier, 1);
    const dir = mkdtempSync(path.join(os.tmpdir(), "loglens-classifier-"));
    const newer = path.join(dir, "newer.json");
    writeFileSync(newer, JSON.stringify({ loglens_classifier: 5 }));
    await page.locator('[data-testid="classifier-load"]').setInputFiles(newer);
    assert.match(
      await page.locator('[data-testid="classifier-problem"]').textContent(),
      /format version 5, and this loglens reads version 1: train it again/,
    );
    assert.deepEqual(app.problems, []);
  } finally {
    await app.close();
  }
});
