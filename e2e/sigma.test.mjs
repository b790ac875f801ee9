// Sigma rules in the page: the shipped set listed with the rules that cannot run and
// why, two rules chosen, a real log's matches as findings, the choice remembered. The
// expected lines come from scripts/sigma_expectations.py (the rules' values searched in
// the raw lines, without loglens): 3 recon user agents and 3 `.git/` requests. Then the
// analyst's own rule files, picked, pasted and dropped; their expected lines were counted
// with grep in the raw log (see each test).
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
    const shipped = page.locator('[data-testid="sigma-shipped"] [data-testid="sigma-rule"]');
    assert.equal(await shipped.count(), 149);
    const reasons = await page.locator('[data-testid="sigma-refused"]').allTextContents();
    assert.equal(reasons.length, 4);
    for (const why of ["cs-cookie", "cs-content-type", "dst_ip", "product: cisco"]) {
      assert.ok(reasons.some((r) => r.includes(why)), `${why} in ${reasons}`);
    }
    assert.equal(await page.locator('[data-testid="sigma-rule"][data-refused="true"] input[disabled]').count(), 4);

    for (const title of ["Source Code Enumeration Detection by Keyword", "Suspicious User-Agents Related To Recon Tools"]) {
      await page.locator('[data-testid="sigma-filter"]').fill(title);
      assert.equal(await shipped.count(), 1);
      await shipped.locator("input").check();
    }
    await panel.locator("summary", { hasText: "Sigma rules (2 chosen)" }).waitFor();
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
    await panel.locator("summary", { hasText: "Sigma rules (0 chosen)" }).waitFor();
    assert.equal((await analysisEnds(page)).state, "done");
    await page.waitForFunction(() => !document.querySelector('[data-testid="finding-row"][data-kind="sigma_rule"]'));

    // Every rule that runs, remembered across visits.
    await page.locator('[data-testid="sigma-all"]').click();
    await panel.locator("summary", { hasText: "Sigma rules (145 chosen)" }).waitFor();
    assert.equal((await analysisEnds(page)).state, "done");
    assert.ok(await linesOf(page, "Source Code Enumeration Detection by Keyword") >= 3);
    await page.reload();
    await page.locator('[data-testid="sigma"] summary', { hasText: "Sigma rules (145 chosen)" }).waitFor();
    assert.deepEqual(app.problems, []);
  } finally {
    await app.close();
  }
});

/** A rule file of two rules: one that runs, one that cannot (`expand` needs placeholders). */
const OWN_FILE = `title: Shell through CGI path traversal
id: 0e7c6a52-own-test-cgi-shell
level: high
tags: [attack.initial-access, attack.t1190]
logsource:
  category: webserver
detection:
  selection:
    cs-method: POST
    cs-uri-stem|contains: /cgi-bin/
    cs-uri-stem|endswith: /bin/sh
  condition: selection
---
title: From our office
id: 0e7c6a52-own-test-office
logsource:
  category: webserver
detection:
  selection:
    c-ip|expand: '%office_addresses%'
  condition: selection
`;

/** A rule without an id, to paste. */
const PASTED = `title: Python scripts
level: medium
logsource:
  category: webserver
detection:
  selection:
    cs-user-agent|startswith: 'python-requests/'
  condition: selection
`;

test("the analyst's own Sigma rules are added, run, kept and removed", async () => {
  const app = await openApp(site);
  const { page } = app;
  try {
    const panel = page.locator('[data-testid="sigma"]');
    await panel.locator("summary").click();
    const own = page.locator('[data-testid="sigma-own"] [data-testid="sigma-rule"]');
    assert.equal(await own.count(), 0);

    // Not YAML: said with where, nothing added.
    await page.locator('[data-testid="sigma-paste"]').fill("title: broken\ndetection: [a\n");
    await page.locator('[data-testid="sigma-paste-add"]').click();
    await page.locator('[data-testid="sigma-own-problem"]').waitFor();
    assert.match(await page.locator('[data-testid="sigma-own-problem"]').textContent(), /^the pasted rule: .*line \d+/);
    assert.equal(await own.count(), 0);

    // A file picked: the rule that runs is chosen, the other says why it cannot.
    await page.locator('[data-testid="sigma-add"]').setInputFiles({
      name: "our-rules.yml",
      mimeType: "application/yaml",
      buffer: Buffer.from(OWN_FILE),
    });
    await page.locator('[data-testid="sigma-own-status"]', { hasText: "Added 2 rules from our-rules.yml; 1 cannot run" }).waitFor();
    assert.equal(await own.count(), 2);
    assert.match(await own.nth(1).locator('[data-testid="sigma-refused"]').textContent(), /expand/);
    await panel.locator("summary", { hasText: "Sigma rules (1 chosen)" }).waitFor();

    // One pasted: without an id, named by its title.
    await page.locator('[data-testid="sigma-paste"]').fill(PASTED);
    await page.locator('[data-testid="sigma-paste-add"]').click();
    await page.locator('[data-testid="sigma-own-status"]', { hasText: "Added 1 rule from the pasted rule." }).waitFor();
    await panel.locator("summary", { hasText: "Sigma rules (2 chosen)" }).waitFor();

    // grep: 4 lines POST /cgi-bin/…/bin/sh (2 clients), 4 lines of python-requests/ (3 clients).
    const log = readFileSync(path.join(ROOT, "example_logs", "real", VHOST), "utf8");
    await dropFile(page, VHOST, log);
    assert.equal((await analysisEnds(page)).state, "done");
    await page.locator('[data-testid="finding-row"][data-kind="sigma_rule"]').first().waitFor();
    assert.equal(await linesOf(page, "Shell through CGI path traversal"), 4);
    assert.equal(await linesOf(page, "Python scripts"), 4);
    await panel.screenshot({ path: path.join(SCREENSHOTS, "sigma-own-rules.png") });

    // Kept across visits, and chosen still.
    await page.reload();
    await page.locator('[data-testid="sigma"] summary', { hasText: "Sigma rules (2 chosen)" }).click();
    assert.equal(await own.count(), 3);

    // The same file dropped on the panel again replaces its rules, adds none.
    await panel.evaluate((element, text) => {
      const data = new DataTransfer();
      data.items.add(new File([text], "our-rules.yml", { type: "application/yaml" }));
      element.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
    }, OWN_FILE);
    await page.locator('[data-testid="sigma-own-status"]', { hasText: "Added 2 rules from our-rules.yml" }).waitFor();
    assert.equal(await own.count(), 3);

    // Removed: gone from the list and from the choice.
    await own.filter({ hasText: "Python scripts" }).locator('[data-testid="sigma-remove"]').click();
    await panel.locator("summary", { hasText: "Sigma rules (1 chosen)" }).waitFor();
    assert.equal(await own.count(), 2);
    await page.reload();
    await page.locator('[data-testid="sigma"] summary', { hasText: "Sigma rules (1 chosen)" }).click();
    assert.equal(await own.count(), 2);
    assert.deepEqual(app.problems, []);
  } finally {
    await app.close();
  }
});

test("a Sigma correlation pasted in the page finds its bursts", async () => {
  const app = await openApp(site);
  const { page } = app;
  try {
    const panel = page.locator('[data-testid="sigma"]');
    await panel.locator("summary").click();
    // The fixture the command line's test uses; its expected lines were counted apart
    // (crates/cli/tests/fixtures/sigma_correlation/README.md).
    const rules = readFileSync(
      path.join(ROOT, "crates", "cli", "tests", "fixtures", "sigma_correlation", "not_found_bursts.yml"),
      "utf8",
    );
    await page.locator('[data-testid="sigma-paste"]').fill(rules);
    await page.locator('[data-testid="sigma-paste-add"]').click();
    await page.locator('[data-testid="sigma-own-status"]', { hasText: "Added 3 rules from the pasted rule." }).waitFor();
    await panel.locator("summary", { hasText: "Sigma rules (3 chosen)" }).waitFor();
    const name = "access_apache_webshell_scan_2020.log";
    await dropFile(page, name, readFileSync(path.join(ROOT, "example_logs", "real", name), "utf8"));
    assert.equal((await analysisEnds(page)).state, "done");
    await page.locator('[data-testid="finding-row"][data-kind="sigma_rule"]').first().waitFor();
    assert.equal(await linesOf(page, "Bursts of not found"), 19 + 973);
    assert.equal(await linesOf(page, "Many missing paths"), 972);
    assert.equal(await linesOf(page, "Not found"), 0);
    await panel.locator("summary").click();
    await page.locator('[data-testid="finding-search"]').fill("Sigma correlation");
    const table = page.locator('[data-testid="findings-table"]');
    await table.scrollIntoViewIfNeeded();
    await table.screenshot({ path: path.join(SCREENSHOTS, "sigma-correlation.png") });
    assert.deepEqual(app.problems, []);
  } finally {
    await app.close();
  }
});
