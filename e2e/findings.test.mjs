// The findings table as an analyst works it: sort, filter, search, change the
// sensitivity, page through, open a finding and read its evidence, in light, dark and at
// phone width.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { ROOT, SCREENSHOTS, analysisEnds, dropFile, stat, startSite, withApp as withAppOf, parseCsv } from "./harness.mjs";

const SAMPLE = path.join(ROOT, "example_logs", "access_combined.log");
const SAMPLE_LINES = readFileSync(SAMPLE, "utf8").split("\n");
let site;

before(async () => {
  site = await startSite();
});
after(async () => {
  await site?.close();
});

/** Runs `journey` on a fresh page; fails on any console error or foreign request. */
const withApp = (journey, viewport) => withAppOf(site, journey, viewport);

const rows = (page) => page.locator('[data-testid="finding-row"]');
const rowData = (page, key) => rows(page).evaluateAll((all, key) => all.map((row) => row.dataset[key]), key);

async function openSample(page) {
  await page.locator('[data-testid="try-sample"]').click();
  const end = await analysisEnds(page);
  assert.equal(end.state, "done", end.text);
}

test("findings can be sorted, filtered, searched and re-scored without reading again", async () => {
  await withApp(async (page) => {
    await openSample(page);
    const shown = await stat(page, "findings");
    assert.equal(await rows(page).count(), shown);

    // Sort by lines, most first, then least first.
    await page.locator('[data-testid="sort-lines"]').click();
    const most = (await rowData(page, "lines")).map(Number);
    assert.deepEqual(most, [...most].sort((a, b) => b - a));
    await page.locator('[data-testid="sort-lines"]').click();
    const least = (await rowData(page, "lines")).map(Number);
    assert.deepEqual(least, [...least].sort((a, b) => a - b));
    assert.equal(await page.locator('th[aria-sort="ascending"]').count(), 1);

    // Severity floor, then a kind.
    const severities = await rowData(page, "severity");
    await page.locator('[data-testid="finding-min-severity"]').selectOption("critical");
    assert.deepEqual(await rowData(page, "severity"), severities.filter((s) => s === "critical"));
    await page.locator('[data-testid="finding-min-severity"]').selectOption("low");
    await page.locator('[data-testid="finding-kind"]').selectOption("sql_injection");
    const kinds = await rowData(page, "kind");
    assert.ok(kinds.length >= 1 && kinds.every((k) => k === "sql_injection"), kinds.join());
    await page.locator('[data-testid="finding-kind"]').selectOption("");
    assert.equal(await rows(page).count(), shown);

    // Free text: a client, then something nobody wrote.
    await page.locator('[data-testid="finding-search"]').fill("198.51.100.250");
    assert.deepEqual(await rowData(page, "client"), ["198.51.100.250"]);
    await page.locator('[data-testid="finding-search"]').fill("no such thing anywhere");
    await page.locator('[data-testid="no-findings"]').waitFor();
    await page.locator('[data-testid="finding-search"]').fill("");

    // A higher sensitivity shows the models' near-misses; the file is not read again.
    await page.locator('[data-testid="sensitivity"]').fill("80");
    assert.equal(await page.locator('[data-testid="sensitivity-value"]').textContent(), "80");
    assert.ok((await rows(page).count()) > shown, "no near-misses appeared");
    assert.equal(await page.locator('[data-testid="analysis-status"]').getAttribute("data-state"), "done");
    // Remembered across visits, like the other settings.
    await page.reload();
    await openSample(page);
    assert.equal(await page.locator('[data-testid="sensitivity-value"]').textContent(), "80");
    await page.locator('[data-testid="sensitivity"]').fill("60");
    assert.equal(await rows(page).count(), shown);
  });
});

test("a finding opens in full, with its evidence lines read again from the file", async () => {
  await withApp(async (page) => {
    await openSample(page);
    const first = rows(page).first();
    const client = await first.getAttribute("data-client");
    const description = await first.locator("td").last().textContent();
    await first.click();
    const detail = page.locator('[data-testid="finding-detail"]');
    await detail.waitFor();
    assert.equal(await detail.locator('[data-testid="detail-description"]').textContent(), description);
    // Every evidence line shown is that line of the file, word for word.
    await detail.locator('[data-testid="evidence-line"]').first().waitFor();
    const evidence = await detail
      .locator('[data-testid="evidence-line"]')
      .evaluateAll((all) => all.map((row) => [Number(row.dataset.line), row.querySelector(".raw").textContent]));
    assert.ok(evidence.length >= 1);
    for (const [line, text] of evidence) assert.equal(text, SAMPLE_LINES[line - 1], `line ${line}`);
    assert.ok(evidence.every(([, text]) => text.includes(client)), "evidence from another client");

    // Only this client's findings, then every client again.
    await detail.locator('[data-testid="filter-this-client"]').click();
    await page.locator('[data-testid="filter-client"]').waitFor();
    assert.ok((await rowData(page, "client")).every((c) => c === client));
    await page.locator('[data-testid="filter-client"] button[aria-label="Show every client"]').click();
    assert.equal(await page.locator('[data-testid="filter-client"]').count(), 0);
    await page.screenshot({ path: path.join(SCREENSHOTS, "detail-light.png"), fullPage: true });

    // A model's finding says which features made it stand out.
    await page.locator('[data-testid="sensitivity"]').fill("80");
    await page.locator('[data-testid="finding-kind"]').selectOption("anomalous_lines");
    await rows(page).first().click();
    const shares = await page
      .locator('[data-testid="contribution"] .num')
      .evaluateAll((all) => all.map((cell) => Number.parseFloat(cell.textContent)));
    assert.ok(shares.length >= 1, "no contributions shown");
    const total = shares.reduce((a, b) => a + b, 0);
    assert.ok(total > 90 && total <= 102, `shares add up to ${total}`);

    // Escape closes the detail, wherever the focus is: here still on the row clicked.
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), "finding-row");
    await page.keyboard.press("Escape");
    assert.equal(await detail.count(), 0);
    // And from inside it.
    await rows(page).first().click();
    await page.locator('[data-testid="detail-close"]').focus();
    await page.keyboard.press("Escape");
    assert.equal(await detail.count(), 0);
  });
});

test("the table pages through more findings than fit one page", async () => {
  // 150 clients, each with one injection: 150 findings.
  const lines = Array.from(
    { length: 150 },
    (_, i) =>
      `10.9.${Math.floor(i / 200)}.${i % 200} - - [01/Jan/2024:10:${String(i % 60).padStart(2, "0")}:00 +0000] "GET /item?id=1%20UNION%20SELECT%20password%20FROM%20users HTTP/1.1" 200 512 "-" "curl/8"`,
  );
  await withApp(async (page) => {
    await dropFile(page, "many.log", lines.join("\n"));
    const end = await analysisEnds(page);
    assert.equal(end.state, "done", end.text);
    assert.equal(await rows(page).count(), 100);
    assert.equal(await page.locator('[data-testid="page-status"]').textContent(), "Rows 1–100 of 150");
    await page.locator('[data-testid="page-next"]').click();
    assert.equal(await rows(page).count(), 50);
    assert.equal(await page.locator('[data-testid="page-status"]').textContent(), "Rows 101–150 of 150");
    assert.ok(await page.locator('[data-testid="page-next"]').isDisabled());
    await page.locator('[data-testid="page-prev"]').click();
    assert.equal(await rows(page).count(), 100);
  });
});

test("a log line carrying markup is shown as text in the table and the detail, and runs nothing", async () => {
  const payload = `<img src=x onerror=document.title='pwned'><script>document.title='pwned'</script>`;
  const line = `203.0.113.66 - - [01/Jan/2024:10:00:00 +0000] "GET /search?q=${payload} HTTP/1.1" 200 512 "-" "<svg onload=alert(1)>"`;
  await withApp(async (page) => {
    page.on("dialog", () => assert.fail("a dialog opened"));
    await dropFile(page, "hostile.log", `${line}\n`);
    const end = await analysisEnds(page);
    assert.equal(end.state, "done", end.text);
    await rows(page).first().click();
    const evidence = page.locator('[data-testid="evidence-line"] .raw');
    await evidence.first().waitFor();
    assert.equal(await evidence.first().textContent(), line);
    assert.equal(await page.locator('[data-testid="finding-detail"] img, [data-testid="finding-detail"] svg, main script').count(), 0);
    assert.notEqual(await page.title(), "pwned");
  });
});

test("invisible characters in a log line are shown as visible escapes", async () => {
  // A zero-width space hides inside a path, a byte-order mark and a word joiner in the agent.
  const line = `203.0.113.67 - - [01/Jan/2024:10:00:00 +0000] "GET /ad\u200bmin/../../etc/passwd HTTP/1.1" 200 512 "-" "\ufeffcurl\u2060/8"`;
  await withApp(async (page) => {
    await dropFile(page, "invisible.log", `${line}\n`);
    assert.equal((await analysisEnds(page)).state, "done");
    await rows(page).first().click();
    const evidence = page.locator('[data-testid="evidence-line"] .raw');
    await evidence.first().waitFor();
    const shown = await evidence.first().textContent();
    assert.ok(shown.includes("/ad\\u{200B}min/"), shown);
    assert.ok(shown.includes("\\u{FEFF}curl\\u{2060}/8"), shown);
    assert.ok(!/[\u200b\ufeff\u2060]/.test(shown), "an invisible character is shown as is");
  });
});

test("the page reads well in dark and at phone width", async () => {
  await withApp(async (page) => {
    await page.emulateMedia({ colorScheme: "dark" });
    await openSample(page);
    await rows(page).first().click();
    await page.locator('[data-testid="evidence-line"]').first().waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, "detail-dark.png"), fullPage: true });
  });
  await withApp(
    async (page) => {
      await openSample(page);
      // Nothing wider than the screen but the tables, which scroll inside their box.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `the page is ${overflow}px wider than the screen`);
      // The findings are cards: the table fits the screen and no client is cut.
      const table = await page.locator('[data-testid="findings-table"]').evaluate((t) => ({
        width: t.getBoundingClientRect().width,
        cut: [...t.querySelectorAll('td[data-label="Client"]')].filter((td) => td.scrollWidth > td.clientWidth + 1).length,
        cards: t.querySelectorAll("tbody tr").length,
      }));
      assert.ok(table.width <= 390, `the findings table is ${table.width}px wide`);
      assert.ok(table.cards > 0);
      assert.equal(table.cut, 0);
      await page.locator('[data-testid="findings-table"] tbody tr').first().screenshot({ path: path.join(SCREENSHOTS, "phone-card.png") });
      await page.screenshot({ path: path.join(SCREENSHOTS, "phone.png"), fullPage: true });
    },
    { width: 390, height: 844 },
  );
});

test("the report exports as JSON and CSV from the page, pseudonymised on request", async () => {
  await withApp(async (page) => {
    await openSample(page);
    const shown = await stat(page, "findings");
    const save = async (button) => {
      const [download] = await Promise.all([page.waitForEvent("download"), page.locator(`[data-testid="${button}"]`).click()]);
      return readFileSync(await download.path(), "utf8");
    };
    const plain = JSON.parse(await save("export-json"));
    assert.equal(plain.findings.length, shown);
    assert.equal(plain.lines_total, 10332);
    const csv = parseCsv(await save("export-csv"));
    assert.deepEqual(csv[0], ["line", "time", "client", "kind", "severity", "score", "method", "target", "status", "text"]);
    assert.ok(csv.length > 10);
    // Every flagged line is written as the file has it, with its client, request and status.
    for (const [line, time, client, , , , method, target, status, text] of csv.slice(1)) {
      const written = SAMPLE_LINES[Number(line) - 1];
      assert.equal(text, written);
      assert.equal(written.split(" ")[0], client, written);
      assert.ok(written.includes(`"${method} ${target} `) && written.includes(`" ${status} `), written);
      assert.match(time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    }

    await page.locator('[data-testid="pseudonymize"]').check();
    const hiddenText = await save("export-json");
    const hidden = JSON.parse(hiddenText);
    assert.equal(hidden.findings.length, shown);
    for (const finding of plain.findings) {
      assert.ok(!hiddenText.includes(finding.client), `${finding.client} leaked`);
    }
    assert.ok(hidden.findings.every((f) => /^ip6?-[0-9a-f]{6}$/.test(f.client)), "pseudonyms that read as such");
    // The key stays in this browser: a second export gives the same pseudonyms.
    const again = JSON.parse(await save("export-json"));
    assert.deepEqual(again.findings.map((f) => f.client), hidden.findings.map((f) => f.client));
    const hiddenCsv = await save("export-csv");
    for (const finding of plain.findings) assert.ok(!hiddenCsv.includes(finding.client), `${finding.client} leaked`);
    assert.equal(parseCsv(hiddenCsv).length, csv.length);
    // Or addresses in the documentation ranges, for tools that want addresses.
    await page.locator('[data-testid="pseudonym-mode"]').selectOption("documentation");
    const documented = JSON.parse(await save("export-json"));
    assert.ok(
      documented.findings.every((f) => /^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d+$/.test(f.client)),
      documented.findings.map((f) => f.client).join(" "),
    );
    // Or, as GoAccess does, addresses cut to their network.
    await page.locator('[data-testid="pseudonym-mode"]').selectOption("truncate");
    const cut = JSON.parse(await save("export-json"));
    assert.deepEqual(
      cut.findings.map((f) => f.client),
      plain.findings.map((f) => f.client.replace(/\.\d+$/, ".0")),
    );
  });
});

test("the HTML report holds the findings and their evidence, opens offline and runs nothing", async () => {
  await withApp(async (page) => {
    await openSample(page);
    const shown = await stat(page, "findings");
    await page.locator('[data-testid="pseudonymize"]').check();
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator('[data-testid="export-html"]').click()]);
    // Saved under its own name: a browser reads a file by its extension.
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "loglens-report-")), download.suggestedFilename());
    await download.saveAs(file);
    assert.equal(path.extname(file), ".html");
    const html = readFileSync(file, "utf8");
    assert.equal((html.match(/<tr class="finding">/g) ?? []).length, shown);
    assert.ok(!/<script/i.test(html), "the report carries a script");
    assert.ok(html.includes("Addresses, host and user names are pseudonyms"));
    // Evidence lines are there, pseudonymised: the log4shell attacker's lines without its address.
    assert.ok(html.includes("jndi:ldap://"), "no evidence lines");
    assert.ok(!html.includes("198.51.100.9"), "an address survived");
    assert.ok(!html.includes("access_combined"), "the file's name survived");

    // Opened on its own, it asks for nothing, with the network gone.
    const context = await site.browser.newContext({ offline: true, javaScriptEnabled: false });
    const report = await context.newPage();
    const requests = [];
    report.on("request", (request) => requests.push(request.url()));
    await report.goto(`file://${file}`);
    assert.deepEqual(requests, [`file://${file}`]);
    assert.equal(await report.locator("tr.finding").count(), shown);
    // The traffic chart and the status-code chart.
    assert.equal(await report.locator("svg").count(), 2);
    await report.screenshot({ path: path.join(SCREENSHOTS, "html-report.png") });
    await context.close();
  });
});

/** The centre of row `index` of `bars` bars on a chart that exposes its plot. */
async function barCentre(page, testId, index, bars) {
  const chart = page.locator(`[data-testid="${testId}"]`);
  await page.locator(`[data-testid="${testId}"][data-drawn]`).waitFor();
  const [left, top, right, bottom] = (await chart.getAttribute("data-plot")).split(" ").map(Number);
  return { chart, x: left + (right - left) * 0.05 + 2, y: top + ((bottom - top) * (index + 0.5)) / bars, left, right, top, bottom };
}

test("clicking a chart filters the table: a kind, a client, a time", async () => {
  await withApp(async (page) => {
    await openSample(page);
    const kinds = await rowData(page, "kind");
    const counts = Object.entries(kinds.reduce((n, k) => ({ ...n, [k]: (n[k] ?? 0) + 1 }), {})).sort((a, b) => b[1] - a[1]);
    const distinct = counts.length;

    // The first bar is the most common kind.
    const kind = await barCentre(page, "chart-kinds", 0, distinct);
    await kind.chart.click({ position: { x: kind.x, y: kind.y } });
    const filtered = await rowData(page, "kind");
    const most = counts[0][1];
    assert.ok(filtered.length === most && filtered.every((k) => k === filtered[0]), filtered.join());
    assert.equal(kinds.filter((k) => k === filtered[0]).length, most);
    // Clicking it again shows every kind.
    await kind.chart.click({ position: { x: kind.x, y: kind.y } });
    assert.equal(await rows(page).count(), kinds.length);
    // The same from the keyboard: an arrow picks the first bar, Enter filters, Enter again clears.
    await kind.chart.focus();
    await page.keyboard.press("ArrowDown");
    assert.match(await page.locator('[data-testid="kinds-readout"]').textContent(), new RegExp(`\\(1 of ${distinct}\\)`));
    await page.keyboard.press("Enter");
    assert.deepEqual(new Set(await rowData(page, "kind")), new Set([filtered[0]]));
    await page.keyboard.press("Enter");
    assert.equal(await rows(page).count(), kinds.length);
    await page.keyboard.press("Tab");
    assert.equal(await page.locator('[data-testid="kinds-readout"]').textContent(), "");

    // The worst client's bar: only its findings.
    const clientsShown = new Set(await rowData(page, "client")).size;
    const client = await barCentre(page, "chart-clients", 0, Math.min(clientsShown, 10));
    await client.chart.click({ position: { x: client.x, y: client.y } });
    await page.locator('[data-testid="filter-client"]').waitFor();
    const worst = await rowData(page, "client");
    assert.equal(new Set(worst).size, 1);
    await page.locator('[data-testid="filter-client"] button[aria-label="Show every client"]').click();

    // A time on the traffic chart: only findings active in that bucket.
    const traffic = await barCentre(page, "chart-traffic", 0, 1);
    await traffic.chart.hover({ position: { x: (traffic.left + traffic.right) / 2, y: (traffic.top + traffic.bottom) / 2 } });
    assert.match(await page.locator('[data-testid="traffic-readout"]').textContent(), /lines in/);
    await traffic.chart.click({ position: { x: (traffic.left + traffic.right) / 2, y: (traffic.top + traffic.bottom) / 2 } });
    const chip = page.locator('[data-testid="filter-time"]');
    await chip.waitFor();
    const [start, end] = [Number(await chip.getAttribute("data-start")), Number(await chip.getAttribute("data-end"))];
    const spans = await rows(page).evaluateAll((all) => all.map((r) => [Number(r.dataset.firstSeen), Number(r.dataset.lastSeen)]));
    for (const [first, last] of spans) assert.ok(first <= end && last >= start, `${first}-${last} is outside ${start}-${end}`);
    await page.screenshot({ path: path.join(SCREENSHOTS, "charts.png"), fullPage: true });
    // The time charts follow the range; the whole file has every class.
    await page.locator('[data-testid="range-clear"]').click();
    await chip.waitFor({ state: "detached" });

    // Responses over time: each status class's colour is drawn, and bytes too.
    await page.locator('[data-testid="chart-statuses"][data-drawn]').waitFor();
    const colours = await page.locator('[data-testid="chart-statuses"]').evaluate((canvas) => {
      const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
      const want = { "2xx": [47, 158, 68], "3xx": [37, 99, 235], "4xx": [217, 72, 15], "5xx": [180, 35, 24] };
      const seen = {};
      for (let i = 0; i < data.length; i += 4) {
        for (const [name, [r, g, b]] of Object.entries(want)) {
          if (data[i] === r && data[i + 1] === g && data[i + 2] === b) seen[name] = true;
        }
      }
      return Object.keys(seen).sort();
    });
    assert.deepEqual(colours, ["2xx", "3xx", "4xx", "5xx"]);
    assert.ok(await page.locator('[data-testid="chart-bytes"]').isVisible());
    // A log without statuses has no status chart.
    await page.locator('[data-testid="try-sample-auth"]').click();
    assert.equal((await analysisEnds(page)).state, "done");
    assert.equal(await page.locator('[data-testid="chart-statuses"]').isVisible(), false);
  });
});

test("detectors can be switched off and tuned, and the choice is remembered", async () => {
  await withApp(async (page) => {
    await openSample(page);
    const signatureKinds = ["sql_injection", "xss", "path_traversal", "command_injection", "log4shell", "sensitive_file_probe", "scanner_user_agent"];
    assert.ok((await rowData(page, "kind")).some((k) => signatureKinds.includes(k)));
    assert.ok((await rowData(page, "kind")).includes("brute_force"));

    await page.locator('[data-testid="settings"] summary').click();
    await page.locator('[data-testid="detector-signatures"]').uncheck();
    await page.locator('[data-testid="setting-brute_force.min_failures"]').fill("1000");
    await page.locator('[data-testid="setting-brute_force.min_failures"]').dispatchEvent("change");
    await page.locator('[data-testid="settings-apply"]').click();
    let end = await analysisEnds(page);
    assert.equal(end.state, "done", end.text);
    await page.waitForFunction(() => !document.querySelector('[data-kind="brute_force"]'));
    let kinds = await rowData(page, "kind");
    assert.ok(kinds.length > 0 && !kinds.some((k) => signatureKinds.includes(k) || k === "brute_force"), kinds.join());

    // Remembered across visits.
    await page.reload();
    await page.locator('[data-testid="settings"] summary').click();
    assert.equal(await page.locator('[data-testid="detector-signatures"]').isChecked(), false);
    assert.equal(await page.locator('[data-testid="setting-brute_force.min_failures"]').inputValue(), "1000");
    await openSample(page);
    kinds = await rowData(page, "kind");
    assert.ok(!kinds.some((k) => signatureKinds.includes(k)), kinds.join());

    // Back to the defaults.
    await page.locator('[data-testid="settings-reset"]').click();
    end = await analysisEnds(page);
    assert.equal(end.state, "done", end.text);
    await page.locator('[data-kind="sql_injection"]').first().waitFor();
    assert.equal(await page.locator('[data-testid="detector-signatures"]').isChecked(), true);
    await page.screenshot({ path: path.join(SCREENSHOTS, "settings.png") });
  });
});

test("issue 22: every evidence line can be paged to, and the line a description names is on the first page", async () => {
  await withApp(async (page) => {
    await openSample(page);
    // The burst of guesses that ends in a login: 62 lines, more than a page holds.
    await page.locator('[data-testid="finding-kind"]').selectOption("brute_force");
    const row = rows(page).filter({ hasText: "successful login at line" }).first();
    const lines = Number(await row.getAttribute("data-lines"));
    const named = Number((await row.locator("td").last().textContent()).match(/successful login at line (\d+)/)[1]);
    assert.ok(lines > 50, `${lines} evidence lines`);
    await row.click();
    const detail = page.locator('[data-testid="finding-detail"]');
    await detail.locator('[data-testid="evidence-line"]').first().waitFor();
    const shownOn = async () =>
      detail.locator('[data-testid="evidence-line"]').evaluateAll((all) => all.map((row) => Number(row.dataset.line)));
    const first = await shownOn();
    assert.ok(first.includes(named), `line ${named} is not on the first page`);
    assert.match(await detail.locator('[data-testid="evidence-page"]').textContent(), /^Lines 1–50 of \d+ listed$/);
    await detail.locator('[data-testid="evidence-next"]').click();
    await detail.locator('[data-testid="evidence-page"]', { hasText: "Lines 51–" }).waitFor();
    await detail.locator('[data-testid="evidence-line"]').first().waitFor();
    const second = await shownOn();
    assert.ok(second.length >= 1 && second.every((line) => line > Math.max(...first.filter((l) => l !== named))));
    const seen = new Set([...first, ...second]);
    assert.equal(seen.size, lines, "every evidence line is on one page or the other");
    for (const line of second) {
      const text = await detail.locator(`[data-testid="evidence-line"][data-line="${line}"] .raw`).textContent();
      assert.equal(text, SAMPLE_LINES[line - 1], `line ${line}`);
    }
    assert.equal(await detail.locator('[data-testid="evidence-next"]').isDisabled(), true);
  });
});
