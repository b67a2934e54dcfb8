// The playground with hostile input: script text in link values, in a model file's metadata,
// in CSV headers and cells and in pasted text is shown as text and never runs; the page's
// Content-Security-Policy allows only its own origin and compiling WebAssembly, and nothing
// violates it; a 50 MB CSV or text is refused with a message, and a large CSV is read in
// slices without freezing the tab.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { init } from 'rnnlab';
import { browserSuite, longestMainThreadTask, openPage, screenshot, waitReady } from './_browser.mjs';

const suite = browserSuite();

/** A page that records script execution (window.__pwned), dialogs and CSP violations. */
async function open(hash = '') {
  const p = await openPage(suite.browser, suite.site.origin);
  /** @type {string[]} */
  const dialogs = [];
  p.page.on('dialog', (d) => {
    dialogs.push(d.message());
    d.dismiss().catch(() => {});
  });
  await p.page.addInitScript(() => {
    /** @type {any} */ (window).__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => /** @type {any} */ (window).__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await p.page.goto(suite.site.url + hash);
  await waitReady(p.page);
  return { ...p, dialogs };
}

/** Nothing ran, nothing was injected as markup, nothing broke the policy. */
async function assertInert(page, dialogs, problems) {
  await page.waitForTimeout(500);
  const found = await page.evaluate(() => ({
    pwned: /** @type {any} */ (window).__pwned ?? null,
    injected: document.querySelectorAll('[onerror], [onclick], [onload], [onmouseover], body script:not([src])').length,
    violations: /** @type {any} */ (window).__violations,
  }));
  assert.deepEqual(found, { pwned: null, injected: 0, violations: [] });
  assert.deepEqual(dialogs, []);
  assert.deepEqual(problems, []);
}

const PAYLOAD = (n) => `<img src=x onerror="window.__pwned=${n}"><script>window.__pwned=${n}</script>`;

test('the page carries a Content-Security-Policy: only its own origin, plus compiling WebAssembly', async () => {
  const { page, problems, dialogs, context } = await open('#task=forecast&mode=manual');
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  console.log(`CSP: ${csp}`);
  assert.match(csp ?? '', /default-src 'self'/);
  assert.match(csp ?? '', /script-src 'self' 'wasm-unsafe-eval'(;|$)/);
  assert.doesNotMatch(csp ?? '', /'unsafe-inline'|'unsafe-eval'|\*|https?:/);
  // Train a little under the policy: the worker, the charts and rnnlab itself comply.
  await page.getByRole('button', { name: 'Train one step' }).click();
  await page.waitForFunction(() => document.querySelector('.metrics-host')?.getAttribute('data-step') === '1', null, { timeout: 20000 });
  await assertInert(page, dialogs, problems);
  await context.close();
});

test('script text in link values is ignored or shown as text, never run', async () => {
  const hash = `#task=text&prime=${encodeURIComponent(PAYLOAD(1))}&data=${encodeURIComponent(PAYLOAD(2))}&${encodeURIComponent(PAYLOAD(3))}=1`;
  const { page, problems, dialogs, context } = await open(hash);
  const notices = await page.locator('#notices').textContent() ?? '';
  assert.ok(notices.includes('<script>window.__pwned=2</script>'), 'the bad data value is quoted in the notice, as text');
  assert.equal(await page.getByLabel('Priming text').inputValue(), PAYLOAD(1).slice(0, 200), 'the priming text holds the text itself');
  await page.getByRole('button', { name: 'Train one step' }).click();
  await page.waitForFunction(() => /Next character after/.test(document.getElementById('probs-title')?.textContent ?? ''), null, { timeout: 20000 });
  await assertInert(page, dialogs, problems);
  await context.close();
});

test('script text in CSV headers and cells is shown as text', async () => {
  const { page, problems, dialogs, context } = await open();
  await page.locator('#own-series summary').click();
  const rows = Array.from({ length: 60 }, (_, i) => `2020-${String((i % 12) + 1).padStart(2, '0')},${10 + Math.sin(i)}`);
  await page.getByLabel('Or paste CSV text').fill(`date,${PAYLOAD(4)}\n${rows.join('\n')}\n`);
  await page.getByRole('button', { name: 'Read pasted text' }).click();
  await page.getByRole('button', { name: 'Use this series' }).waitFor();
  assert.ok((await page.locator('#csv-value option').first().textContent())?.includes('<script>'), 'the header is an option’s text');
  await page.getByLabel('Or paste CSV text').fill(`date,value\n2020-01,1\n2020-02,${PAYLOAD(5)}\n`);
  await page.getByRole('button', { name: 'Read pasted text' }).click();
  await page.getByRole('button', { name: 'Use this series' }).click();
  await page.waitForFunction(() => /is not a number/.test(document.getElementById('csv-message')?.textContent ?? ''));
  assert.ok((await page.locator('#csv-message').textContent())?.includes('<img src=x'), 'the cell is quoted as text');
  await assertInert(page, dialogs, problems);
  await context.close();
});

test('script text in a model file’s metadata is shown as text', async () => {
  const rnn = await init();
  const m = rnn.createModel({ cell: 'lstm', inputSize: 1, hiddenSize: 4 });
  const bytes = m.save({ metadata: JSON.stringify({ app: 'rnnlab-playground', format: 1, state: { task: 'forecast', data: 'custom', prime: PAYLOAD(6) }, dataTitle: PAYLOAD(7), steps: 3 }) });
  const plain = m.save({ metadata: PAYLOAD(8) });
  m.dispose();
  const { page, problems, dialogs, context } = await open();
  await page.locator('#model-file').setInputFiles({ name: `${PAYLOAD(9)}.rnnlab`, mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) });
  await page.waitForFunction(() => /trained on data of its own/.test(document.getElementById('io-message')?.textContent ?? ''));
  assert.ok((await page.locator('#io-message').textContent())?.includes('window.__pwned=7'), 'the title is quoted as text');
  // Metadata that is not the playground's: the model loads as a plain forecaster.
  await page.locator('#model-file').setInputFiles({ name: 'plain.rnnlab', mimeType: 'application/octet-stream', buffer: Buffer.from(plain) });
  await page.waitForFunction(() => /Loaded plain\.rnnlab/.test(document.getElementById('io-message')?.textContent ?? ''), null, { timeout: 20000 });
  await assertInert(page, dialogs, problems);
  await context.close();
});

test('script text in pasted training text is shown as text in the samples', async () => {
  const { page, problems, dialogs, context } = await open('#task=text');
  await page.locator('#own-text summary').click();
  await page.getByLabel('Paste text').fill(`${PAYLOAD(10)}\nAnd the earth was without form, and void.\n`.repeat(40));
  await page.getByRole('button', { name: 'Train on this text' }).click();
  await page.waitForFunction(() => location.hash.includes('data=custom') && !document.getElementById('status')?.textContent);
  await page.getByLabel('Priming text').fill('<scr');
  await page.getByRole('button', { name: 'Train one step' }).click();
  await page.waitForSelector('[data-testid="sample"]', { timeout: 20000 });
  await assertInert(page, dialogs, problems);
  await context.close();
});

test('a 50 MB CSV or text is refused at once with a message; a large CSV is read off the page’s thread', async (t) => {
  const { page, problems, dialogs, context } = await open();
  // Playwright hands over buffers up to 50 MB; a file on disk has no such limit.
  const dir = mkdtempSync(path.join(tmpdir(), 'rnnlab-big-'));
  const big = path.join(dir, 'huge.csv');
  writeFileSync(big, Buffer.alloc(50 * 1024 * 1024 + 1, 'x'));
  const bigText = path.join(dir, 'huge.txt');
  writeFileSync(bigText, Buffer.alloc(50 * 1024 * 1024 + 1, 'y'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  await page.locator('#own-series summary').click();
  // Measured from here: the page has settled after loading its first model.
  await page.waitForTimeout(1000);
  const longest = await longestMainThreadTask(suite.browser, page, async () => {
    await page.locator('#csv-file').setInputFiles(big);
    await page.waitForFunction(() => /reads CSV files up to 20 MB/.test(document.getElementById('csv-message')?.textContent ?? ''));
    // 400,000 rows (8 MB): read in slices, then refused for its length.
    // (Files on disk: a buffer would be copied into the page by the test driver, on its thread.)
    const long = path.join(dir, 'long.csv');
    writeFileSync(long, `date,value\n${Array.from({ length: 400000 }, (_, i) => `${i},${(i * 7919) % 1000}`).join('\n')}\n`);
    await page.locator('#csv-file').setInputFiles(long);
    await page.waitForFunction(() => /more than 200,000 rows/.test(document.getElementById('csv-message')?.textContent ?? ''), null, { timeout: 30000 });
    // 150,000 rows (3 MB) are fine: read in slices and used.
    const ok = path.join(dir, 'ok.csv');
    writeFileSync(ok, `date,value\n${Array.from({ length: 150000 }, (_, i) => `${i},${Math.sin(i / 20).toFixed(4)}`).join('\n')}\n`);
    await page.locator('#csv-file').setInputFiles(ok);
    await page.getByRole('button', { name: 'Use this series' }).waitFor({ timeout: 30000 });
  });
  console.log(`large CSV files: longest main-thread task while reading ${longest.cpuMs.toFixed(1)} ms of processor time (${longest.wallMs.toFixed(0)} ms wall time)`);
  assert.ok(longest.cpuMs < 50, `the page stayed responsive (longest task ${longest.cpuMs} ms of processor time)`);
  // A 50 MB text for the text task.
  await page.getByRole('tab', { name: 'Generate text' }).click();
  await page.waitForFunction(() => document.getElementById('tab-text')?.getAttribute('aria-selected') === 'true' && !document.getElementById('status')?.textContent);
  await page.locator('#own-text summary').click();
  await page.locator('#text-file').setInputFiles(bigText);
  await page.waitForFunction(() => /trains on texts up to 5 MB/.test(document.getElementById('text-message')?.textContent ?? ''));
  await screenshot(page, 'hostile-large-files');
  await assertInert(page, dialogs, problems);
  await context.close();
});
