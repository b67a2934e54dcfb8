// The teaching presets in headless Chromium: the inside views (heatmaps, gradient flow) fill
// and change as training proceeds without blocking the page, the classifier, the
// encoder-decoder and the memory races train and report what they measured, and the four
// shapes link to their presets. Screenshots of every preset go to build/web-test-output/.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OUT, browserSuite, longestMainThreadTask, openPage, screenshot, stepsShown, waitReady } from './_browser.mjs';

const suite = browserSuite();

async function open(hash) {
  const p = await openPage(suite.browser, suite.site.origin);
  await p.page.goto(suite.site.url + hash);
  await waitReady(p.page);
  return p;
}

const play = (page) => page.getByRole('button', { name: 'Train', exact: true }).click();
const pause = (page) => page.getByRole('button', { name: 'Pause training' }).click();

/** What the inside views show now: the step they are from, and pictures of every canvas. */
async function insideSnapshot(page) {
  return page.evaluate(() => {
    const status = /** @type {HTMLElement} */ (document.getElementById('inside-status'));
    const maps = [...document.querySelectorAll('#inside-panel .heatmap canvas')].map((c) => /** @type {HTMLCanvasElement} */ (c).toDataURL());
    const gates = [...document.querySelectorAll('#inside-panel .heatmap')].map((f) => /** @type {HTMLElement} */ (f).dataset.gate);
    const grad = /** @type {HTMLCanvasElement | null} */ (document.querySelector('#inside-panel .inside-side .chart canvas'));
    return { step: Number(status.dataset.step ?? -1), maps, gates, grad: grad?.toDataURL() ?? '' };
  });
}

async function untilInsideStep(page, min) {
  await page.waitForFunction((k) => Number(document.getElementById('inside-status')?.dataset.step ?? -1) >= k, min, { timeout: 30000 });
}

for (const [task, hash, gates] of [
  ['forecast', '#task=forecast&mode=manual', ['i', 'f', 'g', 'o', 'c', 'h']],
  ['text', '#task=text&cell=gru', ['r', 'z', 'n', 'h']],
  ['classify', '#task=classify', ['i', 'f', 'g', 'o', 'c', 'h']],
  ['translate', '#task=translate', ['r', 'z', 'n', 'h']],
]) {
  test(`${task}: the inside views fill, change as training proceeds, and training stays smooth with them open`, async () => {
    const { page, problems, context } = await open(hash);
    await page.locator('#inside-panel').scrollIntoViewIfNeeded();
    await page.getByRole('button', { name: 'Train one step' }).click();
    await untilInsideStep(page, 1);
    const first = await insideSnapshot(page);
    assert.deepEqual(first.gates, gates, 'a heatmap for every gate and state of the cell');
    assert.ok(first.maps.every((m) => m.length > 1000), 'heatmaps are drawn');
    await play(page);
    await page.waitForFunction(() => Number(document.getElementById('counter-steps')?.dataset.value) >= 60, null, { timeout: 60000 });
    // The page's own work per task (processor time in a trace), not the machine's waits.
    const measured = await longestMainThreadTask(suite.browser, page, () => page.waitForTimeout(3000));
    const longest = measured.cpuMs;
    await pause(page);
    const steps = await stepsShown(page);
    await untilInsideStep(page, steps);
    const later = await insideSnapshot(page);
    console.log(`${task}: inside views at steps ${first.step} and ${later.step}; longest main-thread task while training with them open ${longest.toFixed(1)} ms of processor time (${measured.wallMs.toFixed(0)} ms wall time)`);
    assert.ok(later.step > first.step);
    assert.ok(later.maps.some((m, i) => m !== first.maps[i]), 'the heatmaps changed as the model trained');
    assert.notEqual(later.grad, first.grad, 'the gradient plot changed');
    assert.ok(longest < 50, `longest main-thread task while training: ${longest} ms`);
    // Hovering a heatmap reads out what the network saw at that step.
    await page.locator('#inside-panel .heatmap canvas').first().hover();
    await page.waitForFunction(() => /Step \d+/.test(document.getElementById('inside-readout')?.textContent ?? ''));
    assert.match(await page.locator('#inside-readout').textContent() ?? '', /the network read/);
    await page.locator('#inside-panel').screenshot({ path: `${OUT}/inside-${task}.png` });
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test('classify: held-out accuracy beats always answering the larger book; a typed sentence is classified as it is typed', async () => {
  const { page, problems, context } = await open('#task=classify');
  await play(page);
  await page.waitForFunction(() => {
    const v = /** @type {HTMLElement | null} */ (document.querySelector('.classify-results .verdict'));
    return v && Number(v.dataset.accuracy) > 0.75;
  }, null, { timeout: 90000 });
  await pause(page);
  const verdict = await page.locator('.classify-results .verdict').textContent();
  console.log(`classify: ${verdict}`);
  const cells = await page.$$eval('#confusion td', (tds) => tds.map((t) => Number(t.textContent)));
  assert.equal(cells.reduce((a, b) => a + b, 0), 570, 'the confusion matrix counts every held-out verse');
  await page.getByLabel(/Type anything/).fill('And Jacob said unto Joseph');
  await page.waitForFunction(() => /25|26|2\d characters read/.test(document.getElementById('classify-note')?.textContent ?? ''));
  const genesis = Number(await page.locator('#classify-probs .bar-value').first().getAttribute('data-p'));
  await page.getByLabel(/Type anything/).fill('O LORD, my soul shall praise thee');
  await page.waitForFunction((g) => Number(document.querySelector('#classify-probs .bar-value')?.getAttribute('data-p')) !== g, genesis);
  const psalmsNow = Number(await page.locator('#classify-probs .bar-value').first().getAttribute('data-p'));
  console.log(`classify: P(Genesis) ${genesis.toFixed(3)} for a Genesis-like sentence, ${psalmsNow.toFixed(3)} for a Psalms-like one`);
  assert.ok(genesis > psalmsNow, 'the probabilities follow what is typed');
  await screenshot(page, 'classify');
  assert.deepEqual(problems, []);
  await context.close();
});

test('translate: the encoder-decoder learns to rewrite dates; exact matches are measured per format; typed dates are rewritten', async () => {
  const { page, problems, context } = await open('#task=translate');
  await play(page);
  await page.waitForFunction(() => Number(/** @type {HTMLElement | null} */ (document.querySelector('#task-main .verdict'))?.dataset.exact ?? 0) > 0.05, null, { timeout: 120000 });
  await pause(page);
  const verdict = await page.locator('#task-main .verdict').textContent();
  console.log(`translate: ${verdict}`);
  assert.equal(await page.locator('#per-format tr').count(), 5);
  await page.getByLabel(/Write a date/).fill('25 December 1999');
  await page.waitForFunction(() => /^\d{4}-\d{2}-\d{2}$/.test(document.getElementById('translate-output')?.textContent ?? '') && /16 characters read/.test(document.getElementById('translate-note')?.textContent ?? ''), null, { timeout: 10000 });
  await screenshot(page, 'translate');
  assert.deepEqual(problems, []);
  await context.close();
});

test('memory, gap race: the page reports what it measured; the gated cells end ahead of the plain RNN', async () => {
  const { page, problems, context } = await open('#task=memory&data=gap');
  // The racers train side by side on every core (min(cores, 4) at once): the page's own work
  // per task (processor time in a trace), not the waits of a machine busier than its cores.
  const started = Date.now();
  const measured = await longestMainThreadTask(suite.browser, page, async () => {
    await play(page);
    await page.waitForFunction(() => /After 3,000 steps each/.test(document.getElementById('race-verdict')?.textContent ?? ''), null, { timeout: 240000 });
  });
  const longest = measured.cpuMs;
  const verdict = await page.locator('#race-verdict').textContent() ?? '';
  console.log(`memory: ${verdict}; race ${((Date.now() - started) / 1000).toFixed(1)} s; longest main-thread task during the race ${longest.toFixed(1)} ms of processor time (${measured.wallMs.toFixed(0)} ms wall time)`);
  const mse = await page.$$eval('#race-table tbody tr', (rows) => Object.fromEntries(rows.map((r) => [/** @type {HTMLElement} */ (r).dataset.racer, Number(/** @type {HTMLElement} */ (r.querySelector('[data-value]')).dataset.value)])));
  assert.ok(mse.lstm < 0.1 * mse.rnn && mse.gru < 0.1 * mse.rnn, `gated cells far ahead: ${JSON.stringify(mse)}`);
  assert.match(verdict, /Both gated cells learned/);
  assert.ok(longest < 50, `longest main-thread task during the race: ${longest} ms`);
  await page.locator('#inside-panel').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelectorAll('#inside-panel .heatmap canvas').length > 0, null, { timeout: 15000 });
  await screenshot(page, 'memory-gap');
  assert.deepEqual(problems, []);
  await context.close();
});

test('memory, clipping: without it the gradient explodes and the run blows up; with it the run stays bounded', async () => {
  const { page, problems, context } = await open('#task=memory&data=clip');
  await play(page);
  await page.waitForFunction(() => /After 400 steps each/.test(document.getElementById('race-verdict')?.textContent ?? ''), null, { timeout: 120000 });
  const verdict = await page.locator('#race-verdict').textContent() ?? '';
  console.log(`clip: ${verdict}`);
  assert.match(verdict, /blew up/);
  assert.match(verdict, /clipping stops the explosion, not the vanishing/);
  // The counters catch up on the next redraw tick; the table names the diverged racer.
  await page.waitForFunction(() => document.getElementById('counter-steps')?.dataset.value === '400');
  assert.match(await page.locator('#race-table').textContent() ?? '', /diverged at step \d+/);
  await screenshot(page, 'memory-clip');
  assert.deepEqual(problems, []);
  await context.close();
});

test('memory, with and without memory: sequences of 64 end below sequences of 1', async () => {
  const { page, problems, context } = await open('#task=memory&data=nomemory');
  await play(page);
  await page.waitForFunction(() => /After 600 steps each/.test(document.getElementById('race-verdict')?.textContent ?? ''), null, { timeout: 180000 });
  const verdict = await page.locator('#race-verdict').textContent() ?? '';
  console.log(`nomemory: ${verdict}`);
  assert.match(verdict, /memory of the earlier characters is worth/);
  await screenshot(page, 'memory-nomemory');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the four shapes link to their presets', async () => {
  const { page, problems, context } = await open('#task=forecast');
  await page.getByRole('link', { name: 'Classify: Genesis or Psalms?' }).click();
  await page.waitForFunction(() => document.getElementById('tab-classify')?.getAttribute('aria-selected') === 'true' && document.documentElement.dataset.ready === 'true');
  await page.waitForFunction(() => !document.getElementById('status')?.textContent);
  await page.getByRole('link', { name: 'Forecast from one value' }).click();
  await page.waitForFunction(() => document.getElementById('tab-forecast')?.getAttribute('aria-selected') === 'true');
  await page.waitForFunction(() => !document.getElementById('status')?.textContent);
  assert.equal(await page.getByLabel('Forecast context').inputValue(), '1');
  await page.getByRole('button', { name: 'Train one step' }).click();
  await page.waitForFunction(() => /from the last 1 value/.test(document.getElementById('context-note')?.textContent ?? ''), null, { timeout: 15000 });
  await screenshot(page, 'shapes');
  assert.deepEqual(problems, []);
  await context.close();
});
