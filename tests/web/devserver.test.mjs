// `npm start` serves the playground with Vite's dev server (web/vite.config.js): the page
// loads unbundled there, with the COOP/COEP headers, and trains in its worker (the text
// task's on rnnlab's threads build, whose pthread worker script the server sends as it is).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ROOT, launch, openPage, stepsShown, waitReady } from './_browser.mjs';

test('the dev server (npm start) serves a page that trains, cross-origin isolated, without errors', async () => {
  const { createServer } = await import('vite');
  const server = await createServer({ configFile: `${ROOT}web/vite.config.js`, server: { port: 0, strictPort: false }, logLevel: 'warn' });
  await server.listen();
  const url = /** @type {string} */ (server.resolvedUrls?.local[0]);
  const browser = await launch();
  try {
    const res = await fetch(url);
    assert.equal(res.headers.get('cross-origin-opener-policy'), 'same-origin');
    assert.equal(res.headers.get('cross-origin-embedder-policy'), 'require-corp');
    const { page, problems } = await openPage(browser, url.replace(/\/$/, ''));
    await page.goto(url);
    await waitReady(page, 60000);
    assert.equal(await page.evaluate(() => window.crossOriginIsolated), true);
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await page.waitForFunction(() => Number(document.getElementById('counter-steps')?.dataset.value) >= 50, null, { timeout: 60000 });
    console.log(`dev server ${url}: ${await stepsShown(page)} steps`);
    assert.deepEqual(problems, []);
    // The text task's model is worth the threads build: its worker script and module are served too.
    const text = await openPage(browser, url.replace(/\/$/, ''));
    await text.page.goto(`${url}#task=text`);
    await waitReady(text.page, 60000);
    await text.page.getByRole('button', { name: 'Train one step' }).click();
    await text.page.waitForFunction(() => Number(document.getElementById('counter-steps')?.dataset.value) >= 1, null, { timeout: 60000 });
    const { threads, cores } = await text.page.evaluate(() => ({ threads: Number(document.getElementById('counters')?.dataset.threads), cores: navigator.hardwareConcurrency }));
    assert.equal(threads, Math.min(4, cores), 'the text task trains on the reported cores');
    assert.deepEqual(text.problems, []);
  } finally {
    await browser.close();
    await server.close();
  }
});
