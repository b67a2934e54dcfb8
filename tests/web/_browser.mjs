// Shared by the browser tests: build the playground once, serve it from a sub-folder (as a
// static host would, with the COOP/COEP headers), drive Debian's Chromium with playwright-core,
// and record what the page complains about.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SITE = path.join(ROOT, 'web/dist');
/** Screenshots and other artefacts for people to look at (git-ignored). */
export const OUT = path.join(ROOT, 'build/web-test-output');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
/** The sub-folder the site is served from: relative paths must work there. */
export const BASE = '/some/sub/folder/';

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png' };

let built = false;
/** Builds the site once per test process (npm run build:web). */
export function buildSite() {
  if (built && existsSync(path.join(SITE, 'index.html'))) return;
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'web/vite.config.js', '--logLevel', 'warn'],
    { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  built = true;
}

/**
 * Serves SITE under BASE on 127.0.0.1 with the headers the playground's own server sends
 * (without COOP/COEP when not `isolated`: a static host that sends no headers).
 * Records every request so tests can check that none leaves the origin.
 */
export async function serveSite({ isolated = true } = {}) {
  const requests = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url.pathname);
    if (!url.pathname.startsWith(BASE)) {
      res.writeHead(404).end();
      return;
    }
    const rel = decodeURIComponent(url.pathname.slice(BASE.length)) || 'index.html';
    const file = path.join(SITE, path.normalize(rel));
    if (!file.startsWith(SITE) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      ...(isolated ? {
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
        'cross-origin-resource-policy': 'same-origin',
      } : {}),
    });
    createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return { server, origin: `http://127.0.0.1:${port}`, url: `http://127.0.0.1:${port}${BASE}`, requests };
}

/** Launches Chromium (a fresh profile) and returns the browser. */
export async function launch() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (scripts/setup.sh does), or set CHROMIUM`);
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/**
 * A new page whose console errors, page errors, failed requests and requests to other
 * origins are collected in `problems`.
 * @param {import('playwright-core').Browser | import('playwright-core').BrowserContext} browser
 * @param {string} origin
 * @param {{width?: number, height?: number}} [viewport]
 */
export async function openPage(browser, origin, viewport = { width: 1280, height: 800 }) {
  const context = 'newContext' in browser ? await browser.newContext({ viewport, acceptDownloads: true }) : browser;
  const page = await context.newPage();
  /** @type {string[]} */
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) problems.push(`request outside the origin: ${u}`);
  });
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  // Long tasks on the main thread, from the very start.
  await page.addInitScript(() => {
    /** @type {any} */ (window).__longTasks = [];
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) /** @type {any} */ (window).__longTasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
    } catch { /* not supported */ }
  });
  return { context, page, problems };
}

/**
 * Runs `fn` under a Chromium trace and returns the page's longest main-thread task: its wall
 * time and the processor time the thread spent in it. On a machine busier than its cores a task
 * can wait for the processor in the middle (wall time), but what the page itself does in one
 * task is its processor time: that is what must stay under 50 ms.
 * @param {import('playwright-core').Browser} browser
 * @param {import('playwright-core').Page} page
 * @param {() => Promise<void>} fn
 */
export async function longestMainThreadTask(browser, page, fn) {
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
  await fn();
  const events = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
  const scripted = new Set(events.filter((e) => e.name === 'FunctionCall' || e.name === 'EvaluateScript').map((e) => e.tid));
  const main = events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && scripted.has(e.tid)).map((e) => e.tid);
  assert.equal(main.length, 1, 'the page’s main thread is in the trace');
  const tasks = events.filter((e) => e.tid === main[0] && e.name === 'RunTask' && e.ph === 'X');
  assert.ok(tasks.length > 100, 'the trace holds the main thread’s tasks');
  return {
    wallMs: Math.max(...tasks.map((e) => e.dur)) / 1000,
    cpuMs: Math.max(...tasks.map((e) => e.tdur ?? e.dur)) / 1000,
  };
}

/** Saves a screenshot for people to look at; returns its path. */
export async function screenshot(page, name) {
  mkdirSync(OUT, { recursive: true });
  const file = path.join(OUT, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Waits until the app has loaded rnnlab and built its first model. */
export async function waitReady(page, timeout = 30000) {
  await page.waitForFunction(() => document.documentElement.dataset.ready === 'true', null, { timeout });
}

/** Steps completed, as the page shows them. */
export async function stepsShown(page) {
  return Number(await page.locator('#counter-steps').getAttribute('data-value'));
}

/**
 * One built site and one Chromium for a test file: registers the before/after hooks and
 * returns where the tests find them once they run.
 * @returns {{site: Awaited<ReturnType<typeof serveSite>>, browser: import('playwright-core').Browser}}
 */
export function browserSuite() {
  const ctx = /** @type {any} */ ({ site: null, browser: null });
  before(async () => {
    buildSite();
    ctx.site = await serveSite();
    ctx.browser = await launch();
  });
  after(async () => {
    await ctx.browser?.close();
    ctx.site?.server.close();
  });
  return ctx;
}
