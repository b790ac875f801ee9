// Issue 26, item 1: a time range on a real access log, typed, clicked and dragged, with a
// log scale and the way back out. Expected counts were made with awk over the file, not
// with loglens: awk '{print substr($5,2,14)}' access_vhost_scanner_2024.log | uniq -c
// gives 1,244 lines in 05:00-05:59 on 27 July (a scanner) and 60 to 103 in other hours.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { ROOT, SCREENSHOTS, analysisEnds, dropFile, startSite, withApp as withAppOn } from "./harness.mjs";

const NAME = "access_vhost_scanner_2024.log";
const TEXT = readFileSync(path.join(ROOT, "example_logs", "real", NAME), "utf8");
const FIVE_AM = Date.UTC(2024, 6, 27, 5) / 1000;
let site;

before(async () => {
  site = await startSite();
});
after(async () => {
  await site?.close();
});
const withApp = (journey) => withAppOn(site, journey);

/** Lines of the file whose time is in [first, last] (epoch seconds), by awk's reading. */
function linesBetween(first, last) {
  const months = { Jul: 6 };
  return TEXT.split("\n").filter((line) => {
    const m = line.match(/\[(\d\d)\/(\w\w\w)\/(\d{4}):(\d\d):(\d\d):(\d\d) \+0000\]/);
    if (!m) return false;
    const t = Date.UTC(+m[3], months[m[2]], +m[1], +m[4], +m[5], +m[6]) / 1000;
    return t >= first && t <= last;
  }).length;
}

/** Waits until the activity chart shows what was asked of it. */
async function chartDrawn(page) {
  await page.waitForFunction(() => document.querySelector('[data-testid="chart-traffic"]')?.hasAttribute("data-drawn"));
}

/** Pixels of the activity chart's plot that are not its background. */
async function inkedPixels(page) {
  return page.locator('[data-testid="chart-traffic"]').evaluate((canvas) => {
    const [left, top, right, bottom] = canvas.dataset.plot.split(" ").map(Number);
    const scale = canvas.width / canvas.clientWidth;
    const data = canvas
      .getContext("2d")
      .getImageData(left * scale + 2, top * scale, (right - left) * scale - 4, (bottom - top) * scale - 2).data;
    let inked = 0;
    for (let i = 0; i < data.length; i += 4) {
      // The bars' blue, not the white background nor the grey grid.
      if (data[i + 2] > 150 && data[i] < 120) inked += 1;
    }
    return inked;
  });
}

async function typeRange(page, from, to) {
  await page.locator('[data-testid="range-from"]').fill(from);
  await page.locator('[data-testid="range-to"]').fill(to);
  await page.locator('[data-testid="range-to"]').press("Enter");
  await page.waitForSelector('[data-testid="range-count"]');
}

test("a typed range, a clicked bar, a drag, a log scale and the way back out", async () => {
  await withApp(async (page) => {
    await dropFile(page, NAME, TEXT);
    assert.equal((await analysisEnds(page)).state, "done");
    await chartDrawn(page);
    assert.equal(await page.locator('[data-testid="range-back"]').isDisabled(), true);
    assert.equal(await page.locator('[data-testid="range-clear"]').isDisabled(), true);

    // The scanner's hour, typed: its lines counted from the report, with no second read.
    await typeRange(page, "2024-07-27T05:00", "2024-07-27T05:59");
    const count = page.locator('[data-testid="range-count"]');
    assert.equal(await count.getAttribute("data-count"), String(linesBetween(FIVE_AM, FIVE_AM + 3599)));
    assert.equal(await count.getAttribute("data-count"), "1244");
    const chip = page.locator('[data-testid="filter-time"]');
    assert.equal(await chip.getAttribute("data-start"), String(FIVE_AM));
    assert.equal(await chip.getAttribute("data-end"), String(FIVE_AM + 3599));
    // Every finding the table lists was active in that hour, and there is one at least.
    const rows = await page.locator('[data-testid="finding-row"]').evaluateAll((rows) =>
      rows.map((row) => [Number(row.dataset.firstSeen), Number(row.dataset.lastSeen)]),
    );
    assert.ok(rows.length > 0, "the scanner's hour has findings");
    for (const [first, last] of rows) {
      assert.ok(first <= FIVE_AM + 3599 && last >= FIVE_AM, `${first}-${last} is outside the hour`);
    }
    await chartDrawn(page);
    await page.locator('[data-testid="range-bar"]').screenshot({ path: path.join(SCREENSHOTS, "range-bar.png") });
    await page.locator('[data-testid="chart-traffic"]').screenshot({ path: path.join(SCREENSHOTS, "range-zoomed.png") });

    // A click on a bar zooms into it; zooming out comes back to the hour.
    const canvas = page.locator('[data-testid="chart-traffic"]');
    await canvas.scrollIntoViewIfNeeded();
    const plot = (await canvas.getAttribute("data-plot")).split(" ").map(Number);
    const box = await canvas.boundingBox();
    const middle = box.y + (plot[1] + plot[3]) / 2;
    await page.mouse.click(box.x + (plot[0] + plot[2]) / 2, middle);
    await page.waitForFunction(() => document.querySelector('[data-testid="filter-time"]')?.dataset.start !== String(1722056400));
    const bar = await chip.evaluate((c) => [Number(c.dataset.start), Number(c.dataset.end)]);
    assert.ok(bar[0] >= FIVE_AM && bar[1] <= FIVE_AM + 3599 && bar[1] - bar[0] < 3599, `${bar}`);
    assert.equal(await count.getAttribute("data-count"), String(linesBetween(bar[0], bar[1])));
    await page.locator('[data-testid="range-back"]').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="filter-time"]')?.dataset.end === String(1722056400 + 3599));
    assert.equal(await page.locator('[data-testid="range-from"]').inputValue(), "2024-07-27T05:00:00");

    // The whole file again; then a drag across the first hours of the day.
    await page.locator('[data-testid="range-clear"]').click();
    await page.waitForFunction(() => !document.querySelector('[data-testid="filter-time"]'));
    await chartDrawn(page);
    // The bar above lost its figures: measure the chart where it is now.
    await canvas.scrollIntoViewIfNeeded();
    const moved = await canvas.boundingBox();
    const across = moved.y + (plot[1] + plot[3]) / 2;
    const width = plot[2] - plot[0];
    await page.mouse.move(moved.x + plot[0] + 1, across);
    await page.mouse.down();
    await page.mouse.move(moved.x + plot[0] + width / 8, across, { steps: 5 });
    await page.mouse.up();
    await page.waitForSelector('[data-testid="filter-time"]');
    const dragged = await chip.evaluate((c) => [Number(c.dataset.start), Number(c.dataset.end)]);
    assert.ok(dragged[1] - dragged[0] > 3600 && dragged[1] - dragged[0] < 6 * 3600, `${dragged}`);
    assert.equal(await count.getAttribute("data-count"), String(linesBetween(dragged[0], dragged[1])));

    // On a log scale the quiet hours' bars are no longer flattened by the scanner's spike.
    await page.locator('[data-testid="range-clear"]').click();
    await page.waitForFunction(() => !document.querySelector('[data-testid="filter-time"]'));
    await chartDrawn(page);
    const linear = await inkedPixels(page);
    await page.locator('[data-testid="range-log"]').check();
    await chartDrawn(page);
    const log = await inkedPixels(page);
    assert.ok(log > 3 * linear, `log scale inks ${log} pixels, linear ${linear}`);
    await page.locator('[data-testid="chart-traffic"]').screenshot({ path: path.join(SCREENSHOTS, "range-log-scale.png") });

    // From the keyboard: an arrow picks a bar, Enter zooms into it, Backspace zooms out.
    await page.locator('[data-testid="chart-traffic"]').focus();
    await page.keyboard.press("ArrowRight");
    assert.match(await page.locator('[data-testid="traffic-readout"]').textContent(), /lines in 10m/);
    await page.keyboard.press("Enter");
    await page.waitForSelector('[data-testid="filter-time"]');
    assert.equal(await chip.getAttribute("data-end"), String(Number(await chip.getAttribute("data-start")) + 599));
    await page.keyboard.press("Backspace");
    await page.waitForFunction(() => !document.querySelector('[data-testid="filter-time"]'));

    // A mistyped time says why; the range's lines are read again in the query view.
    await page.locator('[data-testid="range-from"]').fill("27/Jul/2024");
    await page.locator('[data-testid="range-from"]').press("Enter");
    assert.match(await page.locator('[data-testid="range-problem"]').textContent(), /"27\/Jul\/2024" is not a time/);
    await typeRange(page, "2024-07-27T05:00", "2024-07-27T05:59");
    await page.locator('[data-testid="range-lines"]').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="query-count"]')?.dataset.count !== undefined, null, {
      timeout: 30_000,
    });
    assert.equal(await page.locator('[data-testid="query-count"]').getAttribute("data-count"), "1244");
    assert.equal(
      await page.locator('[data-testid="query-input"]').inputValue(),
      "time>=2024-07-27T05:00:00+00:00 and time<=2024-07-27T05:59:59+00:00",
    );
    await page.screenshot({ path: path.join(SCREENSHOTS, "range-page.png"), fullPage: false });
  });
});

test("every chart answers the keyboard", async () => {
  await withApp(async (page) => {
    await dropFile(page, NAME, TEXT);
    assert.equal((await analysisEnds(page)).state, "done");
    await chartDrawn(page);
    const readout = (id) => page.locator(`[data-testid="${id}"]`).textContent();
    // The first ten minutes: awk '$5 ~ /27\/Jul\/2024:00:0/' gives 10 lines, all 200.
    await page.locator('[data-testid="chart-statuses"]').focus();
    await page.keyboard.press("ArrowRight");
    assert.equal(await readout("statuses-readout"), "2024-07-27 00:00: 2xx 10 · 3xx 0 · 4xx 0 · 5xx 0");
    await page.locator('[data-testid="chart-bytes"]').focus();
    await page.keyboard.press("ArrowRight");
    assert.match(await readout("bytes-readout"), /^2024-07-27 00:00: [\d.]+ (B|KiB|MiB) sent$/);
    await page.keyboard.press("Enter");
    await page.waitForSelector('[data-testid="filter-time"]');
    assert.equal(await page.locator('[data-testid="range-count"]').getAttribute("data-count"), "10");
    await page.keyboard.press("Backspace");
    await page.waitForFunction(() => !document.querySelector('[data-testid="filter-time"]'));
    await page.locator('[data-testid="chart-scores"]').focus();
    await page.keyboard.press("ArrowRight");
    assert.match(await readout("scores-readout"), /^scores 0–9: \d+ findings, (shown|hidden|partly shown) at this sensitivity \(1 of 10\)$/);
    // The query's chart: grep -c cgi-bin gives 28 lines, all in the scanner's hour.
    await page.locator('[data-testid="query-input"]').fill("/cgi-bin/");
    await page.locator('[data-testid="query-run"]').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="query-count"]')?.dataset.count === "28", null, { timeout: 30_000 });
    await page.locator('[data-testid="chart-query"]').focus();
    await page.keyboard.press("ArrowRight");
    assert.match(await readout("query-chart-readout"), /^2024-07-27 \d\d:\d\d: \d+ matching lines in /);
  });
});
