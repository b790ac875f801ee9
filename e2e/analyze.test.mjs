// Whole journeys through the built site, as a person would take them: pick or drop a log,
// wait for the analysis, read the figures, the chart and the tables.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import path from "node:path";
import { after, before, test } from "node:test";
import { expectedFigures } from "./expected_figures.mjs";
import { ROOT, SCREENSHOTS, analysisEnds, dropFile, stat, startSite, withApp as withAppOf } from "./harness.mjs";

const SAMPLE = path.join(ROOT, "example_logs", "access_combined.log");
const LABELS = path.join(ROOT, "example_logs", "access_combined.labels.csv");
let site;

before(async () => {
  site = await startSite();
});
after(async () => {
  await site?.close();
});

/** Runs `journey` on a fresh page; fails on any console error or foreign request. */
const withApp = (journey, viewport) => withAppOf(site, journey, viewport);

async function assertFigures(page, expected) {
  for (const name of ["lines", "parsed", "rejected", "clients"]) {
    assert.equal(await stat(page, name), expected[name], `stat-${name}`);
  }
}

/** Share of the chart's pixel columns that hold a bar (the light theme's bar colour). */
async function chartBarColumns(page) {
  // Charts draw in their own task once the report is shown.
  await page.locator('[data-testid="chart-traffic"][data-drawn]').waitFor();
  return page.locator('[data-testid="chart-traffic"]').evaluate((canvas) => {
    const { data, width, height } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
    const isBar = (i) => data[i] === 37 && data[i + 1] === 99 && data[i + 2] === 235;
    let columns = 0;
    for (let x = 0; x < width; x += 1) {
      for (let y = 0; y < height; y += 1) {
        if (isBar((y * width + x) * 4)) {
          columns += 1;
          break;
        }
      }
    }
    return columns / width;
  });
}

test("a picked access log is analysed in the worker and summarised", async () => {
  await withApp(async (page) => {
    await page.locator('[data-testid="file-input"]').setInputFiles(SAMPLE);
    const end = await analysisEnds(page);
    assert.equal(end.state, "done", end.text);

    const expected = expectedFigures(readFileSync(SAMPLE, "utf8"));
    assert.ok(expected.rejected > 0 && expected.parsed > 5000, "the sample should have both kinds of line");
    await assertFigures(page, expected);
    assert.equal(await page.locator('[data-testid="stat-format"]').textContent(), "Apache/Nginx combined");

    // Traffic runs through both days, so bars should span most of the chart's width.
    const barColumns = await chartBarColumns(page);
    assert.ok(barColumns > 0.5, `the traffic chart has bars in only ${(barColumns * 100).toFixed(1)}% of its columns`);

    // Every labelled attacker is named by a finding row, and nobody else is.
    const rows = await page.locator('[data-testid="finding-row"]').evaluateAll((found) =>
      found.map((row) => ({ kind: row.dataset.kind, client: row.dataset.client, severity: row.dataset.severity })),
    );
    const attackers = new Set(
      readFileSync(LABELS, "utf8").trim().split("\n").slice(1).map((row) => row.split(",")[1]),
    );
    assert.deepEqual(new Set(rows.map((row) => row.client)), attackers);
    assert.ok(rows.every((row) => ["critical", "high", "medium", "low"].includes(row.severity)));
    assert.equal(await stat(page, "findings"), rows.length);
    const worst = page.locator('[data-testid="finding-row"]').first();
    assert.equal(await worst.getAttribute("data-kind"), "log4shell");
    assert.match(await worst.textContent(), /4 requests from 198\.51\.100\.9 with log4shell signatures/);

    const firstRows = page.locator('[data-testid="rows-table"] tbody tr');
    assert.equal(await firstRows.count(), 100);
    const firstClient = readFileSync(SAMPLE, "utf8").split(" ", 1)[0];
    assert.ok((await firstRows.first().textContent()).includes(firstClient));

    await page.locator('[data-testid="rejected-lines"] summary').click();
    const rejected = page.locator('[data-testid="rejected-lines"] tbody tr');
    assert.equal(await rejected.count(), expected.rejected);
    assert.match(await rejected.first().textContent(), /no closing double quote/);
    await page.screenshot({ path: path.join(SCREENSHOTS, "analysed.png"), fullPage: true });
  });
});

test("the bundled sample is one click away", async () => {
  await withApp(async (page) => {
    await page.locator('[data-testid="try-sample"]').click();
    const end = await analysisEnds(page);
    assert.equal(end.state, "done", end.text);
    await assertFigures(page, expectedFigures(readFileSync(SAMPLE, "utf8")));
  });
});

/** The attackers a sample's labels name: its labels file's clients, or for a flow CSV the
 *  sources of the rows its own Label column calls attacks. */
function labelledAttackers(file, labels) {
  if (labels) {
    const rows = readFileSync(path.join(ROOT, "example_logs", labels), "utf8").trim().split("\n").slice(1);
    return new Set(rows.map((row) => row.split(",")[1]));
  }
  const [header, ...rows] = readFileSync(path.join(ROOT, "example_logs", file), "utf8").trim().split("\n");
  const columns = header.split(",").map((name) => name.trim());
  const source = columns.indexOf("Source IP");
  const label = columns.indexOf("Label");
  return new Set(rows.map((row) => row.split(",")).filter((cells) => cells[label] !== "BENIGN").map((cells) => cells[source]));
}

test("every bundled sample is one click away and read in its own format", async () => {
  // [button, file, format shown, labels file (none: the file's own Label column), whether
  //  every labelled attacker must be found (the common and Werkzeug formats drop the user
  //  agent that betrays one of them)]
  const samples = [
    ["try-sample-auth", "auth.log", "syslog (RFC 3164)", "auth.labels.csv", true],
    ["try-sample-rfc5424", "auth_rfc5424.log", "syslog (RFC 5424)", "auth_rfc5424.labels.csv", true],
    ["try-sample-json", "access_caddy.jsonl", "JSON lines", "access_combined.labels.csv", true],
    ["try-sample-common", "access_common.log", "Apache/Nginx common", "access_common.labels.csv", false],
    ["try-sample-werkzeug", "access_werkzeug.log", "Werkzeug (Flask)", "access_werkzeug.labels.csv", false],
    ["try-sample-nginx-error", "nginx_error.log", "nginx error log", "nginx_error.labels.csv", true],
    ["try-sample-apache-error", "apache_error.log", "Apache error log", "apache_error.labels.csv", true],
    ["try-sample-python", "app_python.log", "Python logging", "app_python.labels.csv", true],
    ["try-sample-generic", "app_generic.log", "timestamped lines (generic)", "app_generic.labels.csv", true],
    ["try-sample-flows", "flows_cicids.csv", "network flows (CSV)", null, true],
  ];
  for (const [button, file, format, labels, findsAll] of samples) {
    await withApp(async (page) => {
      await page.locator(`[data-testid="${button}"]`).click();
      const end = await analysisEnds(page);
      assert.equal(end.state, "done", end.text);
      assert.equal(await page.locator('[data-testid="stat-format"]').textContent(), format);
      const lines = readFileSync(path.join(ROOT, "example_logs", file), "utf8").trimEnd().split("\n").length;
      assert.equal(await stat(page, "lines"), lines);
      // The findings name labelled attackers, and (where the format keeps the evidence) all of them.
      const attackers = labelledAttackers(file, labels);
      const clients = new Set(
        await page.locator('[data-testid="finding-row"]').evaluateAll((rows) => rows.map((row) => row.dataset.client)),
      );
      assert.ok(clients.size > 0, `${file}: no findings`);
      for (const client of clients) assert.ok(attackers.has(client), `${file}: ${client} is not a labelled attacker`);
      if (findsAll) assert.deepEqual(clients, attackers, file);
      if (!labels) {
        assert.match(await page.locator('[data-testid="stat-labels"]').textContent(), /^BENIGN [\d,]+ · DDoS 1,800/);
      }
      await page.screenshot({ path: path.join(SCREENSHOTS, `${button}.png`), fullPage: true });
    });
  }
});

test("the format can be chosen instead of detected, and the file is read again in it", async () => {
  await withApp(async (page) => {
    await page.locator('[data-testid="try-sample-nginx-error"]').click();
    let end = await analysisEnds(page);
    assert.equal(end.state, "done", end.text);
    assert.equal(await page.locator('[data-testid="stat-format"]').textContent(), "nginx error log");
    // Read as generic timestamped lines, the same file parses but its requests are not seen.
    await page.locator('[data-testid="format-select"]').selectOption("generic");
    await page.locator('[data-testid="stat-format"]', { hasText: "timestamped lines (generic)" }).waitFor();
    end = await analysisEnds(page);
    assert.equal(end.state, "done", end.text);
    // Read as an access log, nothing parses and the page says why.
    await page.locator('[data-testid="format-select"]').selectOption("combined");
    await page.locator('[data-testid="input-problem"]').waitFor();
    assert.match(await page.locator('[data-testid="input-problem"]').textContent(), /format chosen \(Apache\/Nginx combined\)/);
    assert.equal(await stat(page, "parsed"), 0);
    await page.screenshot({ path: path.join(SCREENSHOTS, "format-chosen.png"), fullPage: true });
    // Back to detection.
    await page.locator('[data-testid="format-select"]').selectOption("auto");
    await page.locator('[data-testid="stat-format"]', { hasText: "nginx error log" }).waitFor();
  });
});

test("the sample log dropped onto the page gives the same figures", async () => {
  const text = readFileSync(SAMPLE, "utf8");
  await withApp(async (page) => {
    await dropFile(page, "access_combined.log", text);
    const end = await analysisEnds(page);
    assert.equal(end.state, "done", end.text);
    await assertFigures(page, expectedFigures(text));
  });
});

test("a gzipped log is inflated in the page and reads like the plain one", async () => {
  const text = readFileSync(SAMPLE, "utf8");
  await withApp(async (page) => {
    await dropFile(page, "access_combined.log.gz", gzipSync(text));
    const end = await analysisEnds(page);
    assert.equal(end.state, "done", end.text);
    await assertFigures(page, expectedFigures(text));
  });
});

test("a dropped file is analysed, its unreadable lines counted with their line numbers", async () => {
  const text = [
    '10.1.1.1 - - [01/Jan/2024:10:00:00 +0000] "GET / HTTP/1.1" 200 512 "-" "curl/8"',
    "<script>alert('not html')</script>",
    '10.1.1.2 - - [01/Jan/2024:10:01:00 +0000] "GET /x HTTP/1.1" 404 -',
    // A size no JS number holds exactly (above 2^53): must arrive exact, not hang the page.
    '10.1.1.3 - - [01/Jan/2024:10:02:00 +0000] "GET /huge HTTP/1.1" 200 99999999999999999',
    "",
  ].join("\r\n");
  await withApp(async (page) => {
    await dropFile(page, "dropped.log", text);
    const end = await analysisEnds(page);
    assert.equal(end.state, "done", end.text);
    assert.match(end.text, /dropped\.log/);
    await assertFigures(page, { lines: 4, parsed: 3, rejected: 1, clients: 3 });
    // A 99-petabyte response is far above anything else here: exfiltration, and only that.
    const findings = await page.locator('[data-testid="finding-row"]').evaluateAll((rows) =>
      rows.map((row) => `${row.dataset.kind} ${row.dataset.client}`),
    );
    assert.deepEqual(findings, ["data_exfiltration 10.1.1.3"]);
    const hugeRow = page.locator('[data-testid="rows-table"] tbody tr').nth(2);
    assert.match(await hugeRow.textContent(), /99999999999999999/);
    await page.locator('[data-testid="rejected-lines"] summary').click();
    const row = page.locator('[data-testid="rejected-lines"] tbody tr').first();
    // Shown as text, line 2, never interpreted as markup.
    assert.equal(await row.locator("td").first().textContent(), "2");
    assert.equal(await row.locator("td.raw").textContent(), "<script>alert('not html')</script>");
    assert.equal(await page.locator("main script").count(), 0);
  });
});

test("a dropped auth.log is read as syslog and its password guessing found", async () => {
  const line = (second, message) => `Mar 11 03:12:${String(second).padStart(2, "0")} web1 sshd[4242]: ${message}`;
  const lines = [];
  for (let i = 0; i < 15; i += 1) {
    lines.push(line(i * 2, `Failed password for invalid user u${i} from 203.0.113.9 port 4000${i} ssh2`));
  }
  lines.push(line(40, "Accepted publickey for alice from 198.51.100.4 port 50022 ssh2"));
  await withApp(async (page) => {
    await dropFile(page, "auth.log", lines.join("\n") + "\n");
    const end = await analysisEnds(page);
    assert.equal(end.state, "done", end.text);
    assert.equal(await page.locator('[data-testid="stat-format"]').textContent(), "syslog (RFC 3164)");
    await assertFigures(page, { lines: 16, parsed: 16, rejected: 0, clients: 2 });
    const findings = await page.locator('[data-testid="finding-row"]').evaluateAll((rows) =>
      rows.map((row) => `${row.dataset.kind} ${row.dataset.client}`),
    );
    assert.deepEqual(findings, ["brute_force 203.0.113.9"]);
  });
});

test("dropped JSON lines are read field by field", async () => {
  const request = (second, ip, uri, status) =>
    JSON.stringify({
      level: "info",
      ts: 1710147600 + second,
      logger: "http.log.access",
      msg: "handled request",
      request: { remote_ip: ip, method: "GET", uri, headers: { "User-Agent": ["curl/8.5.0"] } },
      duration: 0.004,
      size: 512,
      status,
      // Fields no mapping reads: kept and shown.
      resp_headers: { Server: ["Caddy"] },
      bytes_read: second,
    });
  const lines = [
    request(0, "203.0.113.7", "/", 200),
    request(1, "203.0.113.7", "/.env", 404),
    request(2, "198.51.100.4", "/products?id=1%20UNION%20SELECT%20NULL,NULL--", 200),
    "not json at all",
  ];
  await withApp(async (page) => {
    await dropFile(page, "caddy.jsonl", lines.join("\n"));
    const end = await analysisEnds(page);
    assert.equal(end.state, "done", end.text);
    assert.equal(await page.locator('[data-testid="stat-format"]').textContent(), "JSON lines");
    await assertFigures(page, { lines: 4, parsed: 3, rejected: 1, clients: 2 });
    const findings = await page.locator('[data-testid="finding-row"]').evaluateAll((rows) =>
      rows.map((row) => `${row.dataset.kind} ${row.dataset.client}`).sort(),
    );
    assert.deepEqual(findings, ["sensitive_file_probe 203.0.113.7", "sql_injection 198.51.100.4"]);
    assert.equal(await page.locator('[data-testid="stat-extra-fields"]').textContent(), "bytes_read 3 · resp_headers 3");
    assert.equal(
      await page.locator('[data-testid="row-extra"]').first().textContent(),
      'bytes_read=0, resp_headers={"Server":["Caddy"]}',
    );
  });
});

test("an nginx error log is read as such, its clients and their requests checked", async () => {
  const lines = [1, 2, 3].map(
    (i) =>
      `2024/03/11 10:00:0${i} [error] 550#0: *1913${i} open() "/var/www/html/.env" failed (2: No such file or directory), client: 203.0.113.${i}, server: shop.example, request: "GET /.env HTTP/1.1"`,
  );
  await withApp(async (page) => {
    await dropFile(page, "error.log", lines.join("\n"));
    const end = await analysisEnds(page);
    assert.equal(end.state, "done", end.text);
    assert.equal(await page.locator('[data-testid="stat-format"]').textContent(), "nginx error log");
    await assertFigures(page, { lines: 3, parsed: 3, rejected: 0, clients: 3 });
    // Each client asked for /.env: the request in the error's trailer is a probe.
    const probes = await page
      .locator('[data-testid="finding-row"][data-kind="sensitive_file_probe"]')
      .evaluateAll((rows) => rows.map((row) => row.dataset.client).sort());
    assert.deepEqual(probes, ["203.0.113.1", "203.0.113.2", "203.0.113.3"]);
  });
});

test("a binary file gets a plain message, not an empty report", async () => {
  await withApp(async (page) => {
    await dropFile(page, "photo.png", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]));
    const end = await analysisEnds(page);
    assert.equal(end.state, "done", end.text);
    assert.match(await page.locator('[data-testid="input-problem"]').textContent(), /looks binary/);
  });
});

test("a large file shows progress and can be cancelled", async () => {
  await withApp(async (page) => {
    // About 380 MB, made in the page so the test needs no fixture: seconds of work even on
    // a fast machine, so Cancel is pressed while the worker is busy.
    const dataTransfer = await page.evaluateHandle(() => {
      const line = '10.2.2.2 - - [01/Jan/2024:10:00:00 +0000] "GET /big HTTP/1.1" 200 1 "-" "x"\n';
      const block = line.repeat(10_000);
      const transfer = new DataTransfer();
      transfer.items.add(new File(Array(500).fill(block), "big.log"));
      return transfer;
    });
    await page.locator('[data-testid="drop-zone"]').dispatchEvent("drop", { dataTransfer });
    await page.locator('[data-testid="progress"]').waitFor();
    assert.equal(await page.locator('[data-testid="analysis-status"]').getAttribute("data-state"), "running");
    await page.locator('[data-testid="cancel"]').click();
    await page.locator('[data-testid="analysis-status"][data-state="idle"]').waitFor();
    assert.match(await page.locator('[data-testid="analysis-status"]').textContent(), /Cancelled/);
    assert.equal(await page.locator('[data-testid="progress"]').count(), 0);

    // The page is still usable, and nothing from the cancelled run leaks into the next.
    await page.locator('[data-testid="file-input"]').setInputFiles(SAMPLE);
    assert.equal((await analysisEnds(page)).state, "done");
    await assertFigures(page, expectedFigures(readFileSync(SAMPLE, "utf8")));
  });
});

test("several files are read as one log, pasted lines too, and .gz is not mixed with plain", async () => {
  const text = readFileSync(SAMPLE, "utf8");
  const cut = text.indexOf("\n", text.length / 2);
  await withApp(async (page) => {
    // The first part without its last line ending: no line may run into the next file.
    await page.locator('[data-testid="file-input"]').setInputFiles([
      { name: "access.log.1", mimeType: "text/plain", buffer: Buffer.from(text.slice(0, cut)) },
      { name: "access.log", mimeType: "text/plain", buffer: Buffer.from(text.slice(cut + 1)) },
    ]);
    const end = await analysisEnds(page);
    assert.equal(end.state, "done", end.text);
    assert.match(end.text, /\(2 files\)/);
    await assertFigures(page, expectedFigures(text));

    // Lines pasted into the page.
    await page.locator(".paste summary").click();
    await page.locator('[data-testid="paste-text"]').fill(text.split("\n").slice(0, 50).join("\n"));
    await page.locator('[data-testid="paste-analyze"]').click();
    const pasted = await analysisEnds(page);
    assert.equal(pasted.state, "done", pasted.text);
    assert.match(pasted.text, /pasted text/);
    assert.equal(await stat(page, "lines"), 50);

    // A .gz and a plain file together: said plainly, nothing analysed.
    await page.locator('[data-testid="file-input"]').setInputFiles([
      { name: "a.log.gz", mimeType: "application/gzip", buffer: gzipSync("x\n") },
      { name: "b.log", mimeType: "text/plain", buffer: Buffer.from("y\n") },
    ]);
    assert.match(await page.locator('[data-testid="drop-problem"]').textContent(), /separately/);
  });
});

test("a failed analysis says why, can be tried again, and leaves the page usable", async () => {
  const gz = gzipSync(readFileSync(SAMPLE));
  await withApp(async (page) => {
    // A .gz cut short: the worker stops with an error.
    await dropFile(page, "cut.log.gz", gz.subarray(0, Math.floor(gz.length / 2)));
    let end = await analysisEnds(page);
    assert.equal(end.state, "error", end.text);
    assert.match(end.text, /Could not analyse cut\.log\.gz/);
    // Trying again reads the same file again, with the same answer.
    await page.locator('[data-testid="retry"]').click();
    end = await analysisEnds(page);
    assert.equal(end.state, "error", end.text);
    // Anything else still works.
    await page.locator('[data-testid="try-sample"]').click();
    end = await analysisEnds(page);
    assert.equal(end.state, "done", end.text);
    assert.equal(await page.locator('[data-testid="retry"]').count(), 0);
  });
});
