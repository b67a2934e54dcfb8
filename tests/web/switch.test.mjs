// No stale views: after switching task, no panel shows the previous task's example, cell or
// labels, in the inside views (its input strip, heatmaps, readout, unit trace, layers) nor in
// the task's own panels and counters, whether or not the inside panel is scrolled into view.
// Translate -> Memory -> Forecast, each trained a few steps and inspected before leaving it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserSuite, openPage, screenshot, waitReady } from './_browser.mjs';

const suite = browserSuite();

/** Selects a task by its tab and waits until its model is built. */
async function switchTo(page, task, name) {
  await page.evaluate(() => scrollTo(0, 0));
  await page.getByRole('tab', { name }).click();
  await page.waitForFunction((t) => document.getElementById(`tab-${t}`)?.getAttribute('aria-selected') === 'true'
    && document.documentElement.dataset.ready === 'true' && document.getElementById('status')?.textContent === '', task, { timeout: 30000 });
}

/** Trains a few steps, then shows the inside views until they hold an inspection; returns its title. */
async function trainAndInspect(page) {
  // One step at a time (a race ignores a step while its racers are still busy with the last).
  const steps = () => page.evaluate(() => Number(document.getElementById('counter-steps')?.dataset.value));
  for (let i = 0; i < 40 && (await steps()) < 3; i++) {
    await page.locator('#step').click();
    await page.waitForTimeout(250);
  }
  assert.ok((await steps()) >= 3, 'three steps trained');
  await page.locator('#inside-panel').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => !!document.querySelector('#inside-status')?.getAttribute('data-step')
    && document.querySelectorAll('#inside-panel [data-gate]').length > 0, null, { timeout: 60000 });
  return /** @type {string} */ (await page.locator('#inside-status').textContent());
}

/**
 * What the page shows of a task that is no longer selected: visible text that names it, and
 * elements of its own. Returns the findings (empty when nothing is stale).
 * @param {import('playwright-core').Page} page
 * @param {string[]} texts
 * @param {string[]} selectors
 */
async function staleFindings(page, texts, selectors) {
  return page.evaluate(([texts, selectors]) => {
    const found = [];
    const body = document.body.innerText;
    for (const t of texts) if (body.includes(t)) found.push(`text "${t}"`);
    for (const s of selectors) if (document.querySelector(s)) found.push(`element ${s}`);
    // The inside views' input strip: drawn only for the current task's example.
    const strip = /** @type {HTMLCanvasElement | null} */ (document.querySelector('#inside-panel .input-strip'));
    if (strip && strip.width > 0 && strip.height > 0 && !document.querySelector('#inside-status')?.getAttribute('data-step')) {
      const pixels = /** @type {CanvasRenderingContext2D} */ (strip.getContext('2d')).getImageData(0, 0, strip.width, strip.height).data;
      if (pixels.some((v, i) => i % 4 === 3 && v > 0)) found.push('the input strip still shows an example no inspection of this task drew');
    }
    if (document.querySelectorAll('#inside-panel [data-gate]').length && !document.querySelector('#inside-status')?.getAttribute('data-step')) {
      found.push('heatmaps without an inspection of this task');
    }
    return found;
  }, [texts, selectors]);
}

test('switching Translate -> Memory -> Forecast leaves no panel showing the previous task', async () => {
  const { page, problems, context } = await openPage(suite.browser, suite.site.origin);
  // Which scripts the page starts workers from: Translate's model lives in rnnlab/worker's
  // worker (worker_entry) like every other task's, not in a worker of the page's own.
  await page.addInitScript(() => {
    const Real = window.Worker;
    /** @type {any} */ (window).__workerUrls = [];
    window.Worker = class extends Real {
      constructor(/** @type {any} */ url, /** @type {any} */ opts) {
        super(url, opts);
        /** @type {any} */ (window).__workerUrls.push(String(url));
      }
    };
  });
  await page.goto(`${suite.site.url}#task=translate`);
  await waitReady(page);
  const urls = await page.evaluate(() => /** @type {any} */ (window).__workerUrls);
  assert.ok(urls.length >= 1 && urls.every((u) => /\/worker_entry[-.]/.test(u)), `Translate trains in rnnlab/worker's worker: ${urls}`);
  const translateTitle = await trainAndInspect(page);
  assert.match(translateTitle, /the encoder reading/);
  const gru = await page.$$eval('#inside-panel [data-gate]', (els) => els.map((e) => /** @type {HTMLElement} */ (e).dataset.gate));
  assert.ok(gru.includes('z') && gru.includes('r'), `Translate's GRU gates are shown first: ${gru}`);
  // Translate's example text (what its encoder read), its cell's gate names, its own panels.
  const example = /“(.*)”/.exec(translateTitle)?.[1] ?? '';
  assert.ok(example.length > 5, translateTitle);
  const translateTexts = [example, 'the encoder reading', 'the decoder writing', 'reset gate r', 'update gate z', 'candidate n',
    'Held-out dates rewritten exactly', 'Try a date', 'dates/s'];
  const translateSelectors = ['#translate-input', '#per-format', '#translations', '#inside-stack'];

  await switchTo(page, 'memory', 'Memory');
  // Scrolled away: the inside panel has not been asked for a new inspection, and must not show the old one.
  assert.deepEqual(await staleFindings(page, translateTexts, translateSelectors), [], 'Memory, before the inside panel is scrolled to');
  await page.locator('#inside-panel').scrollIntoViewIfNeeded();
  await page.waitForTimeout(500);
  assert.deepEqual(await staleFindings(page, translateTexts, translateSelectors), [], 'Memory, inside panel in view');
  await screenshot(page, 'switch-memory');
  const memoryTitle = await trainAndInspect(page);
  assert.match(memoryTitle, /held-out sequence 1/);
  const memoryTexts = [memoryTitle.split(' · ').at(-1), 'held-out sequence 1', 'steps (each)', 'training time (all)', 'the race’s gradient probe'];
  const memorySelectors = ['#inside-racer', '#race-verdict', '[data-racer]'];

  await switchTo(page, 'forecast', 'Forecast a series');
  assert.deepEqual(await staleFindings(page, memoryTexts, memorySelectors), [], 'Forecast, before the inside panel is scrolled to');
  assert.deepEqual(await staleFindings(page, translateTexts, translateSelectors), [], 'Forecast: nothing of Translate either');
  // Forecast opens in Automatic mode (an ensemble: no inside views, so the panel is hidden);
  // in Manual mode its own inspection then fills the same views.
  assert.equal(await page.locator('#inside-panel').isVisible(), false, 'Automatic forecasting shows no inside views');
  await page.getByLabel('Forecaster').selectOption('manual');
  await page.waitForFunction(() => location.hash.includes('mode=manual') && !document.getElementById('status')?.textContent);
  assert.deepEqual(await staleFindings(page, memoryTexts, memorySelectors), [], 'Forecast in Manual mode, before its inspection');
  const forecastTitle = await trainAndInspect(page);
  assert.doesNotMatch(forecastTitle, /held-out sequence|encoder/);
  assert.deepEqual(await staleFindings(page, memoryTexts, memorySelectors), [], 'Forecast, inspected');
  await screenshot(page, 'switch-forecast');
  assert.deepEqual(problems, []);
  await context.close();
});
