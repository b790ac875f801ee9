// Real logs nobody on the team wrote (example_logs/real/), as an analyst would drop them:
// a brute-forced auth.log, a honeypot, and an access log full of internet background noise.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { ROOT, SCREENSHOTS, analysisEnds, dropFile, startSite, withApp as withAppOn } from "./harness.mjs";

const REAL = path.join(ROOT, "example_logs", "real");
let site;

before(async () => {
  site = await startSite();
});
after(async () => {
  await site?.close();
});
const withApp = (journey) => withAppOn(site, journey);

/** The table's finding rows as [kind, client] pairs. */
async function rows(page) {
  return page
    .locator('[data-testid="finding-row"]')
    .evaluateAll((rows) => rows.map((row) => [row.dataset.kind, row.dataset.client]));
}

test("a real auth.log under brute force names its attackers, not the server", async () => {
  await withApp(async (page) => {
    await page.locator('[data-testid="try-sample-real-auth"]').click();
    const end = await analysisEnds(page);
    assert.equal(end.state, "done", end.text);
    const found = await rows(page);
    // The heaviest source (1,850 failed lines, root only) and an enumerator of 55 names.
    assert.ok(found.some(([kind, client]) => kind === "brute_force" && client === "218.92.0.94"), JSON.stringify(found));
    assert.ok(found.some(([kind, client]) => kind === "user_enumeration" && client === "92.118.39.239"));
    assert.ok(!found.some(([, client]) => client === "proxy"), "the logging host is never the client");
    await page.screenshot({ path: path.join(SCREENSHOTS, "real-auth.png"), fullPage: false });
  });
});

test("a real honeypot log tells what the bots did after logging in", async () => {
  await withApp(async (page) => {
    await page.locator('[data-testid="try-sample-real-cowrie"]').click();
    const end = await analysisEnds(page);
    assert.equal(end.state, "done", end.text);
    const intrusions = page.locator('[data-testid="finding-row"][data-kind="intrusion"]');
    assert.ok((await intrusions.count()) >= 8, "every source that logged in and ran commands");
    assert.match(await intrusions.first().textContent(), /logged in as user \S+ with password .* then \d+ commands: ran `/);
    await page.screenshot({ path: path.join(SCREENSHOTS, "real-cowrie.png"), fullPage: false });
  });
});

test("internet background noise folds into one row that opens", async () => {
  await withApp(async (page) => {
    const file = "access_apache_noise_2024.log";
    await dropFile(page, file, readFileSync(path.join(REAL, file), "utf8"));
    const end = await analysisEnds(page);
    assert.equal(end.state, "done", end.text);
    const group = page.locator('[data-testid="finding-group"][data-kind="background_noise"]');
    await group.waitFor();
    const count = Number(await group.getAttribute("data-count"));
    assert.ok(count >= 10, `${count} noise findings`);
    assert.equal(await page.locator('[data-testid="finding-row"][data-kind="background_noise"]').count(), 0);
    // The attacks stay rows of their own.
    assert.ok((await rows(page)).some(([kind]) => kind === "command_injection"));
    await page.screenshot({ path: path.join(SCREENSHOTS, "real-noise-grouped.png"), fullPage: false });
    await group.click();
    await page.locator('[data-testid="finding-row"][data-kind="background_noise"]').first().waitFor();
    assert.equal(await page.locator('[data-testid="finding-row"][data-kind="background_noise"]').count(), count);
  });
});

test("a clean log says what was read and looked for, not to widen the filters", async () => {
  await withApp(async (page) => {
    const file = "werkzeug_devserver_2015.log";
    await dropFile(page, file, readFileSync(path.join(REAL, file), "utf8"));
    const end = await analysisEnds(page);
    assert.equal(end.state, "done", end.text);
    const note = await page.locator('[data-testid="no-findings"]').textContent();
    assert.match(note, /2,753 of 2,759 lines read as Werkzeug/);
    assert.match(note, /no attack signatures, failed logins/);
    assert.doesNotMatch(note, /widen/);
  });
});
