// Issue 26, item 3: a query over every line of a real log, run again from the file in a
// worker. Every expected count was made with grep and awk over the file, not with loglens.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { ROOT, SCREENSHOTS, analysisEnds, dropFile, startSite, withApp as withAppOn } from "./harness.mjs";

const REAL = path.join(ROOT, "example_logs", "real");
// grep cgi-bin access_vhost_scanner_2024.log | awk '{print $2}' | sort -u
const CGI_BIN_CLIENTS = ["128.199.225.7", "198.7.123.235", "45.156.128.121", "79.110.62.11"];
let site;

before(async () => {
  site = await startSite();
});
after(async () => {
  await site?.close();
});
const withApp = (journey) => withAppOn(site, journey);

/** Runs `query` and waits for its full count; returns it. */
async function runQuery(page, query) {
  await page.locator('[data-testid="query-input"]').fill(query);
  await page.locator('[data-testid="query-run"]').click();
  await page.waitForFunction(
    () =>
      document.querySelector('[data-testid="query-count"]')?.dataset.count !== undefined ||
      document.querySelector('[data-testid="query-problem"]'),
    null,
    { timeout: 30_000 },
  );
  return page.locator('[data-testid="query-count"]').getAttribute("data-count");
}

test("a query finds every matching line of a real access log, a page at a time", async () => {
  await withApp(async (page) => {
    const name = "access_vhost_scanner_2024.log";
    const text = readFileSync(path.join(REAL, name), "utf8");
    await dropFile(page, name, text);
    assert.equal((await analysisEnds(page)).state, "done");

    // grep -c cgi-bin
    assert.equal(await runQuery(page, "/cgi-bin/"), "28");
    const shown = await page.locator('[data-testid="query-line"]').evaluateAll((lines) =>
      lines.map((line) => Number(line.dataset.line)),
    );
    const expected = text
      .split("\n")
      .map((line, index) => [line, index + 1])
      .filter(([line]) => line.includes("cgi-bin"))
      .map(([, number]) => number);
    assert.deepEqual(shown, expected);
    assert.match(await page.locator('[data-testid="query-count"]').textContent(), /^28 of 2,765 lines match$/);
    await page.locator('[data-testid="query"]').screenshot({ path: path.join(SCREENSHOTS, "query-cgi-bin.png") });

    // Every match as CSV: line, time, client, the line as written.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.locator('[data-testid="query-export"]').click(),
    ]);
    const csv = readFileSync(await download.path(), "utf8").trimEnd().split("\n");
    assert.equal(csv[0], "line,time,client,text");
    assert.equal(csv.length, 1 + 28);
    assert.ok(csv[1].startsWith("343,2024-07-27T05:05:05+00:00,79.110.62.11,"), csv[1]);

    // awk: status 200, more than a page of them, paged.
    const ok = text.split("\n").filter((line) => / 200 \d+ "/.test(line)).length;
    assert.equal(await runQuery(page, "status=200"), String(ok));
    assert.equal(await page.locator('[data-testid="query-line"]').count(), 100);
    await page.locator('[data-testid="query-next"]').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="query-line"]')?.dataset.line !== "1");
    await page.waitForFunction(() => document.querySelector('[data-testid="query-count"]')?.dataset.count !== undefined);
    assert.match(await page.locator('[data-testid="query"]').textContent(), /matches 101 to 200/);

    // One test becomes a rule in one click: a finding for each of the four clients that
    // asked for cgi-bin (awk: 79.110.62.11 with 22 lines, three others).
    assert.equal(await runQuery(page, "target~cgi-bin"), "28");
    await page.locator('[data-testid="query-to-rule"]').click();
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="finding-row"][data-kind="custom_rule"]').length > 0,
      null,
      { timeout: 30_000 },
    );
    assert.equal((await analysisEnds(page)).state, "done");
    const ruled = await page
      .locator('[data-testid="finding-row"][data-kind="custom_rule"]')
      .evaluateAll((rows) => rows.map((row) => row.dataset.client).sort());
    assert.deepEqual(ruled, CGI_BIN_CLIENTS);
    assert.equal(await page.locator('[data-testid="rule"]').count(), 1);

    // A mistake says where and why, and reads nothing.
    await runQuery(page, "status>=abc");
    assert.equal(
      await page.locator('[data-testid="query-problem"]').textContent(),
      'The query cannot be read at character 9: status is a number, and "abc" is not one.',
    );
  });
});

test("a query picks one attacker's failed passwords out of a real auth.log", async () => {
  await withApp(async (page) => {
    const name = "auth_denyusers_2024.log";
    await dropFile(page, name, readFileSync(path.join(REAL, name), "utf8"));
    assert.equal((await analysisEnds(page)).state, "done");
    // grep "Failed password" | grep -c "from 218.92.0.94 "
    assert.equal(await runQuery(page, 'client=218.92.0.94 and "failed password"'), "488");
    // Log text is shown as text.
    assert.match(await page.locator('[data-testid="query-line"]').first().textContent(), /Failed password for invalid user root from 218\.92\.0\.94/);
    await page.screenshot({ path: path.join(SCREENSHOTS, "query-auth.png"), fullPage: false });
  });
});

test("from a finding, everything its client did: the profile and every line", async () => {
  await withApp(async (page) => {
    const name = "auth_denyusers_2024.log";
    await dropFile(page, name, readFileSync(path.join(REAL, name), "utf8"));
    assert.equal((await analysisEnds(page)).state, "done");
    await page.locator('[data-testid="finding-row"][data-kind="brute_force"][data-client="218.92.0.94"]').click();
    await page.locator('[data-testid="detail-client"]').click();
    const view = page.locator('[data-testid="client-view"]');
    await view.waitFor({ timeout: 30_000 });
    // grep -c 218.92.0.94: every line naming the address is one of its own.
    assert.equal(await view.getAttribute("data-client"), "218.92.0.94");
    assert.equal(await view.getAttribute("data-lines"), "1850");
    assert.equal(await page.locator('[data-testid="query-input"]').inputValue(), 'client="218.92.0.94"');
    const profile = await view.textContent();
    assert.match(profile, /Everything 218\.92\.0\.94 did/);
    assert.match(profile, /Brute force \(high, \d+\)/);
    // Every user name it tried: root only (EXPECTATIONS.txt: 1 distinct user name).
    assert.match(profile, /Users\s*root \([\d,]+\)(?! ·)/);
    assert.match(profile, /Programs\s*sshd \(/);
    assert.equal(await page.locator('[data-testid="query-line"]').count(), 100);
    await view.screenshot({ path: path.join(SCREENSHOTS, "client-view.png") });
  });
});

test("from any client name: a query's client list and the table's client filter", async () => {
  await withApp(async (page) => {
    const name = "access_vhost_scanner_2024.log";
    await dropFile(page, name, readFileSync(path.join(REAL, name), "utf8"));
    assert.equal((await analysisEnds(page)).state, "done");
    // The clients that asked for cgi-bin are buttons to their own view.
    assert.equal(await runQuery(page, "/cgi-bin/"), "28");
    const listed = await page.locator('[data-testid="profile-client"]').evaluateAll((b) => b.map((x) => x.dataset.client));
    assert.deepEqual([...listed].sort(), CGI_BIN_CLIENTS);
    await page.locator('[data-testid="profile-client"][data-client="79.110.62.11"]').click();
    const view = page.locator('[data-testid="client-view"]');
    await view.waitFor({ timeout: 30_000 });
    // awk '$2 == "79.110.62.11"' | wc -l
    assert.equal(await view.getAttribute("data-lines"), "1133");

    // A monitor that asks for / every minute with no referer reads as a robot:
    // awk '$2 == "200.25.27.118"': 1,441 requests, all for /, all with referer "-".
    await runQuery(page, "client=200.25.27.118");
    await page.locator('[data-testid="client-view"][data-client="200.25.27.118"]').waitFor();
    const monitor = await page.locator('[data-testid="client-view"]').textContent();
    assert.match(monitor, /it asked for 1,441 pages and none of the files pages load/);
    assert.match(monitor, /none of its 1,441 requests named a referer/);

    // From the table's client filter, set by the worst-clients chart.
    const chart = page.locator('[data-testid="chart-clients"]');
    await chart.focus();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    const chip = page.locator('[data-testid="filter-client"]');
    await chip.waitFor();
    const worst = await page.locator('[data-testid="finding-row"]').first().getAttribute("data-client");
    await page.locator('[data-testid="filter-client-view"]').click();
    await page.locator(`[data-testid="client-view"][data-client="${worst}"]`).waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="query"]').screenshot({ path: path.join(SCREENSHOTS, "client-from-chip.png") });
  });
});

test("the overview of every line, each value one click from its lines", async () => {
  await withApp(async (page) => {
    const name = "access_vhost_scanner_2024.log";
    await dropFile(page, name, readFileSync(path.join(REAL, name), "utf8"));
    assert.equal((await analysisEnds(page)).state, "done");
    const overview = async () => {
      await page.locator('[data-testid="overview-run"]').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="query-count"]')?.dataset.count === "2765", null, { timeout: 30_000 });
      await page.locator('[data-testid="match-profile"]').waitFor();
    };
    const narrow = async (field, value) => {
      await page.locator(`[data-testid="profile-item"][data-field="${field}"][data-value="${value}"]`).click();
      await page.waitForFunction(
        () => document.querySelector('[data-testid="query-input"]')?.value !== "*" && document.querySelector('[data-testid="query-count"]')?.dataset.count !== undefined,
        null,
        { timeout: 30_000 },
      );
      return [await page.locator('[data-testid="query-input"]').inputValue(), await page.locator('[data-testid="query-count"]').getAttribute("data-count")];
    };
    await overview();
    // grep -c 27/Jul/2024, grep -c 28/Jul/2024 (two clients, one line each)
    const days = await page.locator('[data-testid="profile-day"]').evaluateAll((rows) =>
      rows.map((r) => [r.dataset.date, r.dataset.requests, r.dataset.visitors]),
    );
    assert.deepEqual(days.map(([d, r]) => [d, r]), [["2024-07-27", "2763"], ["2024-07-28", "2"]]);
    assert.equal(days[1][2], "2");
    await page.locator('[data-testid="match-profile"]').screenshot({ path: path.join(SCREENSHOTS, "overview.png") });
    // awk '{print $1}' | sort | uniq -c: 2,759 requests to neutralbank.app:443
    assert.deepEqual(await narrow("host", "neutralbank.app:443"), ['host="neutralbank.app:443"', "2759"]);
    // grep -c Firefox/: 1,138, none of them with a robot's word
    await overview();
    assert.deepEqual(await narrow("browser", "Firefox"), ['browser="Firefox"', "1138"]);
    // awk '$10 ~ /^4/ && $8 == "/"': 7
    await overview();
    assert.deepEqual(await narrow("refused path", "/"), ['path="/" and status=4xx', "7"]);
  });
});
