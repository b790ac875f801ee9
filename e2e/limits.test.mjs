// A log naming more clients than a detector keeps (a spoofed flood, a botnet): the page
// reads it all, keeps memory bounded, and says what was left out rather than seeming whole.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { analysisEnds, dropFile, openApp, startSite } from "./harness.mjs";

let site;
before(async () => {
  site = await startSite();
});
after(async () => {
  await site?.close();
});

test("more clients than are kept: every line read, the summary says what was left out", async () => {
  const app = await openApp(site);
  const { page } = app;
  try {
    const clients = 60_000;
    const lines = [];
    for (let i = 0; i < clients; i++) {
      const address = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
      lines.push(`${address} - - [01/Mar/2024:10:00:00 +0000] "POST /login HTTP/1.1" 401 20 "-" "bot"`);
    }
    await dropFile(page, "spray.log", lines.join("\n") + "\n");
    const end = await analysisEnds(page, 120_000);
    assert.equal(end.state, "done", end.text);
    assert.equal(await page.locator('[data-testid="stat-parsed"]').getAttribute("data-value"), String(clients));
    const leftOut = await page.locator('[data-testid="stat-untracked"]').textContent();
    assert.match(leftOut, /password guessing keeps at most 50,000 clients; 10,000 lines of other clients were left out/);
    assert.match(leftOut, /so memory stays bounded/);
    const engineBytes = Number(await page.locator('[data-testid="engine-memory"]').getAttribute("data-bytes"));
    assert.ok(engineBytes < 200e6, `the engine used ${engineBytes} bytes`);
    assert.deepEqual(app.problems, []);
  } finally {
    await app.close();
  }
});
