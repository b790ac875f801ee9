// Shared set-up for the browser tests: serves dist/ on 127.0.0.1, launches Debian's
// Chromium through Playwright, and watches every page for console errors, uncaught
// exceptions and requests that leave the page's own origin.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, statSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const SCREENSHOTS = path.join(ROOT, "e2e", "screenshots");

const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForServer(url, deadlineMs) {
  while (Date.now() < deadlineMs) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the static server did not answer at ${url}`);
}

/**
 * Starts the server and the browser; returns what the tests need, `stopServer` (the
 * network gone, the browser left) and `close`. `directory` is served at `/`, and the
 * app is expected at `subPath` in it (as a static host's /<repo>/ folder).
 */
export async function startSite({ directory = path.join(ROOT, "dist"), subPath = "" } = {}) {
  const port = await freePort();
  // With the headers the site ships for static hosts (its _headers, or dist/'s when it
  // is served from a sub-folder), as deployed.
  const own = path.join(directory, "_headers");
  const headers = existsSync(own) ? own : path.join(ROOT, "dist", "_headers");
  const server = spawn("python3", [path.join(ROOT, "scripts", "static_server.py"), directory, String(port), "--headers", headers], {
    cwd: ROOT,
    stdio: "ignore",
  });
  const baseUrl = `http://127.0.0.1:${port}/${subPath}`;
  let browser;
  try {
    await waitForServer(baseUrl, Date.now() + 15_000);
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      headless: true,
      // launch() gives every run a new, empty profile of its own.
      args: CHROMIUM_ARGS,
    });
  } catch (error) {
    server.kill();
    throw error;
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    baseUrl,
    browser,
    /** Where the served site's files are on disk. */
    files: path.join(directory, subPath),
    stopServer() {
      server.kill();
    },
    async close() {
      await browser.close();
      server.kill();
    },
  };
}

/**
 * Opens the app in a fresh page and records what must never happen: console errors,
 * uncaught exceptions, and requests to anything but the page's own origin.
 */
export async function openApp(site, viewport = { width: 1280, height: 900 }, { cores } = {}) {
  const context = await site.browser.newContext({ viewport });
  // The cores the page believes it has: it shares an analysis between that many workers.
  if (cores !== undefined) {
    await context.addInitScript((n) => {
      Object.defineProperty(Navigator.prototype, "hardwareConcurrency", { get: () => n });
    }, cores);
  }
  const page = await context.newPage();
  const problems = [];
  const origin = new URL(site.baseUrl).origin;
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`uncaught exception: ${error.message}`));
  // Every request must be a GET of one of the site's own files: nothing else, and so
  // nothing that could carry log content, may leave the page.
  context.on("request", (request) => {
    const url = request.url();
    if (url.startsWith("data:") || url.startsWith("blob:")) return;
    if (new URL(url).origin !== origin) {
      problems.push(`request to another origin: ${url}`);
      return;
    }
    if (request.method() !== "GET" || request.postData() !== null) {
      problems.push(`a ${request.method()} request with a body: ${url}`);
      return;
    }
    const relative = decodeURIComponent(new URL(url).pathname).slice(new URL(site.baseUrl).pathname.length);
    const file = path.join(site.files, relative === "" ? "index.html" : relative);
    if (!file.startsWith(site.files) || !existsSync(file) || !statSync(file).isFile()) {
      problems.push(`a request for something that is not one of the site's files: ${url}`);
    }
  });
  await page.goto(site.baseUrl);
  await page.locator('[data-testid="analysis-status"][data-state="idle"]').waitFor();
  return { page, problems, close: () => context.close() };
}

/** Runs `journey` on a fresh page of `site`; fails on any console error or foreign request. */
export async function withApp(site, journey, viewport) {
  const app = await openApp(site, viewport);
  try {
    await journey(app.page);
    assert.deepEqual(app.problems, [], "the page misbehaved");
  } finally {
    await app.close();
  }
}

/** Waits for the analysis to end and returns its final state (done or error). */
export async function analysisEnds(page, timeoutMs = 60_000) {
  const status = page.locator('[data-testid="analysis-status"]');
  await page.waitForFunction(
    () => ["done", "error"].includes(document.querySelector('[data-testid="analysis-status"]')?.dataset.state),
    null,
    { timeout: timeoutMs },
  );
  return { state: await status.getAttribute("data-state"), text: await status.textContent() };
}

/** The integer a summary figure carries in data-value. */
export async function stat(page, name) {
  return Number(await page.locator(`[data-testid="stat-${name}"]`).getAttribute("data-value"));
}

/**
 * Drops a file onto the drop zone, as a drag from the desktop would. `content` is text,
 * or a Buffer for binary files (a .gz).
 */
export async function dropFile(page, name, content) {
  const bytes = typeof content === "string" ? null : Array.from(content);
  const dataTransfer = await page.evaluateHandle(
    ({ name, content, bytes }) => {
      const transfer = new DataTransfer();
      const body = bytes ? new Uint8Array(bytes) : content;
      transfer.items.add(new File([body], name, { type: bytes ? "application/gzip" : "text/plain" }));
      return transfer;
    },
    { name, content: bytes ? null : content, bytes },
  );
  await page.locator('[data-testid="drop-zone"]').dispatchEvent("drop", { dataTransfer });
}

/** Rows of CSV text (RFC 4180: quoted cells, doubled quotes), the header first. */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else if (c !== "\r") {
      cell += c;
    }
  }
  if (cell !== "" || row.length > 0) rows.push([...row, cell]);
  return rows;
}
