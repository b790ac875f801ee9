// SigmaHQ's rules in the page: the shipped set listed with the rules that cannot run and
// why, two rules chosen, a real log's matches as findings, the choice remembered. The
// expected lines come from scripts/sigma_expectations.py (the rules' values searched in
// the raw lines, without loglens): 3 recon user agents and 3 `.git/` requests.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { ROOT, SCREENSHOTS, analysisEnds, dropFile, openApp, startSite } from "./harness.mjs";

let site;
before(async () => {
  site = await startSite();
});
after(async () => {
  await site?.close();
});

const VHOST = "access_vhost_scanner_2024.log";

/** The lines of the Sigma findings whose text names `title`, summed over clients. */
async function linesOf(page, title) {
  return page.evaluate((title) => {
    let lines = 0;
    for (const row of document.querySelectorAll('[data-testid="finding-row"][data-kind="sigma_rule"]')) {
      if (row.textContent.includes(`"${title}"`)) lines += Number(row.getAttribute("data-lines"));
    }
    return lines;
  }, title);
}

test("the shipped Sigma rules are chosen, run on a real log and remembered", async () => {
  const app = await openApp(site);
  const { page } = app;
  try {
    const panel = page.locator('[data-testid="sigma"]');
    await panel.locator("summary").click();
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="sigma-status"]').textContent.startsWith("149 rules"),
    );
    assert.match(await page.locator('[data-testid="sigma-status"]').textContent(), /; 4 cannot run here\.$/);
    assert.equal(await page.locator('[data-testid="sigma-rule"]').count(), 149);
    const reasons = await page.locator('[data-testid="sigma-refused"]').allTextContents();
    assert.equal(reasons.length, 4);
    for (const why of ["cs-cookie", "cs-content-type", "dst_ip", "product: cisco"]) {
      assert.ok(reasons.some((r) => r.includes(why)), `${why} in ${reasons}`);
    }
    assert.equal(await page.locator('[data-testid="sigma-rule"][data-refused="true"] input[disabled]').count(), 4);

    for (const title of ["Source Code Enumeration Detection by Keyword", "Suspicious User-Agents Related To Recon Tools"]) {
      await page.locator('[data-testid="sigma-filter"]').fill(title);
      assert.equal(await page.locator('[data-testid="sigma-rule"]').count(), 1);
      await page.locator('[data-testid="sigma-rule"] input').check();
    }
    await panel.locator("summary", { hasText: "SigmaHQ rules (2 chosen)" }).waitFor();
    await page.locator('[data-testid="sigma-filter"]').fill("");

    const log = readFileSync(path.join(ROOT, "example_logs", "real", VHOST), "utf8");
    await dropFile(page, VHOST, log);
    assert.equal((await analysisEnds(page)).state, "done");
    await page.locator('[data-testid="finding-row"][data-kind="sigma_rule"]').first().waitFor();
    assert.equal(await linesOf(page, "Source Code Enumeration Detection by Keyword"), 3);
    assert.equal(await linesOf(page, "Suspicious User-Agents Related To Recon Tools"), 3);
    const kinds = await page
      .locator('[data-testid="finding-row"][data-kind="sigma_rule"]')
      .evaluateAll((rows) => rows.map((r) => r.textContent));
    assert.ok(kinds.every((text) => /Source Code Enumeration|Recon Tools/.test(text)), kinds.join("\n"));
    // The rule's level, ATT&CK tags and id are in the finding.
    assert.ok(kinds.some((text) => text.includes("attack.discovery, attack.t1083; id 953d460b-f810-420a-97a2-cfca4c98e602")));
    await panel.screenshot({ path: path.join(SCREENSHOTS, "sigma-panel.png") });
    await panel.locator("summary").click();
    await page.locator('[data-testid="finding-search"]').fill("Sigma rule");
    const table = page.locator('[data-testid="findings-table"]');
    await table.scrollIntoViewIfNeeded();
    await table.screenshot({ path: path.join(SCREENSHOTS, "sigma-findings.png") });
    await page.locator('[data-testid="finding-search"]').fill("");
    await panel.locator("summary").click();

    // None: the file is read again without them.
    await page.locator('[data-testid="sigma-none"]').click();
    await panel.locator("summary", { hasText: "SigmaHQ rules (0 chosen)" }).waitFor();
    assert.equal((await analysisEnds(page)).state, "done");
    await page.waitForFunction(() => !document.querySelector('[data-testid="finding-row"][data-kind="sigma_rule"]'));

    // Every rule that runs, remembered across visits.
    await page.locator('[data-testid="sigma-all"]').click();
    await panel.locator("summary", { hasText: "SigmaHQ rules (145 chosen)" }).waitFor();
    assert.equal((await analysisEnds(page)).state, "done");
    assert.ok(await linesOf(page, "Source Code Enumeration Detection by Keyword") >= 3);
    await page.reload();
    await page.locator('[data-testid="sigma"] summary', { hasText: "SigmaHQ rules (145 chosen)" }).waitFor();
    assert.deepEqual(app.problems, []);
  } finally {
    await app.close();
  }
});
