// The site as it is deployed: from a sub-folder of a static host, with a strict
// Content-Security-Policy, and, once visited, with the network gone.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { ROOT, analysisEnds, dropFile, openApp, startSite, stat } from "./harness.mjs";

const LINE = '10.1.1.1 - - [01/Jan/2024:10:00:00 +0000] "GET /.env HTTP/1.1" 404 5 "-" "curl/8"';

test("the site works from a sub-folder, then with the server gone", async () => {
  // GitHub Pages serves a project at /<repo>/: here the built site is /loglens/.
  const host = mkdtempSync(path.join(os.tmpdir(), "loglens-host-"));
  symlinkSync(path.join(ROOT, "dist"), path.join(host, "loglens"));
  const site = await startSite({ directory: host, subPath: "loglens/" });
  try {
    const app = await openApp(site);
    const { page } = app;
    // The page says where the data goes, and its policy allows nothing but its own origin.
    assert.match(await page.locator('[data-testid="privacy-note"]').textContent(), /never leaves this computer/);
    const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
    assert.match(policy, /connect-src 'self'/);
    assert.doesNotMatch(policy, /'unsafe-eval'|\*/);
    // Served with the headers dist/_headers gives static hosts: the same policy, and no framing.
    const response = await page.request.get(site.baseUrl);
    const header = response.headers()["content-security-policy"];
    assert.equal(header, `${policy}; frame-ancestors 'none'`);
    assert.equal(response.headers()["x-content-type-options"], "nosniff");
    assert.equal(response.headers()["referrer-policy"], "no-referrer");
    const worker = await page.request.get(new URL("worker.js", site.baseUrl).href);
    assert.equal(worker.headers()["content-security-policy"], header, "the worker runs under the policy");

    // Online from the sub-folder: a sample and a dropped file.
    await page.locator('[data-testid="try-sample"]').click();
    assert.equal((await analysisEnds(page)).state, "done");
    // The service worker has the app once it controls the page.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20_000 });
    await page.evaluate(async () => {
      const cache = await caches.open("loglens-app");
      while ((await cache.keys()).length < 8) await new Promise((resolve) => setTimeout(resolve, 100));
    });

    // The server stops: nothing can be fetched any more, yet the page loads and analyses.
    site.stopServer();
    await page.reload();
    await page.locator('[data-testid="analysis-status"][data-state="idle"]').waitFor();
    await dropFile(page, "offline.log", `${LINE}\n`);
    const end = await analysisEnds(page);
    assert.equal(end.state, "done", end.text);
    assert.equal(await stat(page, "lines"), 1);
    assert.equal(await page.locator('[data-testid="finding-row"]').count(), 1);
    // The sample fetched while online is there offline too.
    await page.locator('[data-testid="try-sample"]').click();
    assert.equal((await analysisEnds(page)).state, "done");
    assert.equal(await stat(page, "lines"), readFileSync(path.join(ROOT, "example_logs", "access_combined.log"), "utf8").trimEnd().split("\n").length);
    assert.deepEqual(app.problems, [], "the page misbehaved");
    await app.close();
  } finally {
    await site.close();
  }
});
