// The playground in headless Chromium, driven as a person would (roles and labels): the built
// site served from a sub-folder with COOP/COEP, no console errors or outside requests, the first
// run beating the naive forecast, every data set of both tasks learning, reproducible links,
// bad input refused beside its control with the model kept, save/reload/load, a worker crash
// recovered, and the main thread never blocked for 50 ms while training. Screenshots of each
// view go to build/web-test-output/ for people to look at.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { init } from 'rnnlab';
import { SERIES, TEXTS } from '../../web/src/data/catalog.js';
import { browserSuite, longestMainThreadTask, openPage, screenshot, stepsShown, waitReady } from './_browser.mjs';

const suite = browserSuite();

/** A fresh page at `hash`, ready, with a Worker wrapper that lets a test crash the worker. */
async function open(hash = '', viewport) {
  const p = await openPage(suite.browser, suite.site.origin, viewport);
  await p.page.addInitScript(() => {
    const Real = window.Worker;
    /** @type {any} */ (window).__workers = [];
    window.Worker = class extends Real {
      constructor(...args) {
        // @ts-ignore
        super(...args);
        /** @type {any} */ (window).__workers.push(this);
      }
    };
  });
  await p.page.goto(suite.site.url + hash);
  await waitReady(p.page);
  return p;
}

const play = (page) => page.getByRole('button', { name: 'Train', exact: true }).click();
const pause = (page) => page.getByRole('button', { name: 'Pause training' }).click();

/** Waits until the page shows at least `n` completed steps. */
async function untilSteps(page, n, timeout = 60000) {
  await page.waitForFunction((k) => Number(document.getElementById('counter-steps')?.dataset.value) >= k, n, { timeout });
}

/** Trains until `n` steps are shown, then pauses and waits for training and the views to settle. */
async function trainSteps(page, n) {
  await play(page);
  await untilSteps(page, n);
  await pause(page);
  await settled(page);
}

/** Waits until the steps in flight are done and the forecast views show the last of them. */
async function settled(page) {
  await page.waitForFunction(() => document.body.dataset.training === 'paused');
  await page.waitForTimeout(250);
  await page.waitForFunction(() => {
    const steps = document.getElementById('counter-steps')?.dataset.value;
    const host = /** @type {HTMLElement | null} */ (document.querySelector('.metrics-host'));
    return !host || host.dataset.step === steps;
  });
}

/** The loss history as the page offers it for download: per-step losses (exact below 1024 steps). */
async function lossHistory(page) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download loss (CSV)' }).click()]);
  const text = readFileSync(/** @type {string} */ (await dl.path()), 'utf8');
  const [trainPart, valPart] = text.split('\n\n');
  const train = trainPart.split('\n').slice(1).map((l) => l.split(',').map(Number)).map(([step, mean]) => ({ step, mean }));
  const val = (valPart ?? '').split('\n').slice(1).filter(Boolean).map((l) => l.split(',').map(Number)).map(([step, loss]) => ({ step, loss }));
  return { train, val };
}

/** The numbers of the metrics table: {label: {mae, rmse, mape}} per section. */
async function metrics(page) {
  return page.$$eval('table.metrics tbody tr:not(.group)', (rows) => rows.map((r) => ({
    label: r.querySelector('th')?.textContent ?? '',
    kind: r.className,
    mae: Number(/** @type {HTMLElement} */ (r.querySelector('[data-metric="mae"]')).dataset.value),
    rmse: Number(/** @type {HTMLElement} */ (r.querySelector('[data-metric="rmse"]')).dataset.value),
  })));
}

/** The longest main-thread task recorded since `since` (ms on the page's clock). */
async function longestTaskSince(page, since) {
  return page.evaluate((t) => Math.max(0, .../** @type {any} */ (window).__longTasks.filter((e) => e.start >= t).map((e) => e.duration)), since);
}

test('loads from a sub-folder with no errors, no outside requests, and paints at once', async () => {
  const { page, problems, context } = await open();
  const fcp = await page.evaluate(() => performance.getEntriesByType('paint').find((e) => e.name === 'first-contentful-paint')?.startTime ?? NaN);
  console.log(`first contentful paint: ${fcp.toFixed(0)} ms`);
  assert.ok(Number.isFinite(fcp), 'the page painted');
  assert.equal(await page.getByRole('tab', { name: 'Forecast a series' }).getAttribute('aria-selected'), 'true');
  assert.equal(await page.getByLabel('Data set').inputValue(), 'nottingham');
  assert.ok(await page.locator('#loss-panel').isHidden(), 'Automatic (the default) has no single loss curve to show');
  assert.ok(await page.getByText('Press play: the forecaster fits').isVisible(), 'it says what play will do');
  assert.ok(await page.locator('#task-main canvas').count() > 0, 'the series chart is drawn');
  const isolated = await page.evaluate(() => window.crossOriginIsolated);
  assert.equal(isolated, true, 'COOP/COEP make the page cross-origin isolated');
  assert.ok(suite.site.requests.every((r) => r.startsWith('/some/sub/folder/')), 'every request stays inside the sub-folder');
  assert.deepEqual(problems, []);
  await context.close();
});

test('Manual: press play and the network beats the naive baseline one step ahead within 10 s', async () => {
  const { page, problems, context } = await open('#task=forecast&mode=manual');
  const t0 = Date.now();
  await play(page);
  let won = null;
  while (Date.now() - t0 < 10000) {
    const m = await metrics(page).catch(() => []);
    const model = m.find((r) => r.kind === 'model');
    const naive = m.find((r) => /naive \(last value\)/.test(r.label));
    if (model && naive && model.mae < naive.mae) {
      won = { seconds: (Date.now() - t0) / 1000, model: model.mae, naive: naive.mae, steps: await stepsShown(page) };
      break;
    }
    await page.waitForTimeout(200);
  }
  console.log(`first run: ${JSON.stringify(won)}`);
  assert.ok(won, 'within 10 s the model’s one-step MAE on the validation part is below the naive baseline’s');
  // Let it run on; the main thread must stay responsive while training.
  const longest = await longestMainThreadTask(suite.browser, page, () => page.waitForTimeout(5000));
  const steps = await stepsShown(page);
  console.log(`forecast: ${steps} steps after ${((Date.now() - t0) / 1000).toFixed(1)} s; longest main-thread task while training ${longest.cpuMs.toFixed(1)} ms of processor time (${longest.wallMs.toFixed(0)} ms wall time)`);
  assert.ok(longest.cpuMs < 50, `longest main-thread task while training: ${longest.cpuMs} ms of processor time`);
  const verdict = await page.locator('.verdict').textContent();
  assert.match(verdict ?? '', /beats/);
  await screenshot(page, 'forecast-1280x800');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(500);
  await screenshot(page, 'forecast-phone');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 1, `no sideways scrolling on a phone-sized screen (overflow ${overflow} px)`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('Manual: every series trains: its loss falls and the forecast, metrics and both baselines are drawn', async () => {
  const { page, problems, context } = await open('#task=forecast&mode=manual');
  for (const s of SERIES) {
    await page.getByLabel('Data set').selectOption(s.id);
    await page.waitForFunction((id) => location.hash.includes(`data=${id}`) && !document.getElementById('status')?.textContent, s.id);
    await trainSteps(page, 120);
    const { train } = await lossHistory(page);
    const first = train.slice(0, 10).reduce((a, p) => a + p.mean, 0) / 10;
    const last = train.slice(-10).reduce((a, p) => a + p.mean, 0) / 10;
    const m = await metrics(page);
    console.log(`${s.id}: ${train.length} steps, loss ${first.toFixed(4)} -> ${last.toFixed(4)}; one-step MAE ${m.map((r) => `${r.label.trim()} ${r.mae.toFixed(3)}`).slice(0, 3).join(', ')}`);
    assert.ok(last < first, `${s.id}: loss falls (${first} -> ${last})`);
    assert.ok(m.length >= 4, `${s.id}: metrics table drawn`);
    assert.ok(m.filter((r) => r.kind === 'model').every((r) => Number.isFinite(r.mae)), `${s.id}: model errors are numbers`);
    assert.ok(Number.isFinite(m.find((r) => /naive \(last value\)/.test(r.label))?.mae ?? NaN), `${s.id}: naive baseline`);
    if (s.id === 'sunspots' || s.id === 'air') await screenshot(page, `forecast-${s.id}`);
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('text: samples refresh while training, loss falls, next-character chart follows the prefix', async () => {
  const { page, problems, context } = await open('#task=text');
  assert.equal(await page.getByRole('tab', { name: 'Generate text' }).getAttribute('aria-selected'), 'true');
  for (const t of TEXTS) {
    if (t.id !== 'genesis') {
      await page.getByLabel('Data set').selectOption(t.id);
      await page.waitForFunction((id) => location.hash.includes(`data=${id}`) && !document.getElementById('status')?.textContent, t.id);
    }
    await play(page);
    await page.waitForSelector('[data-testid="sample"]', { timeout: 30000 });
    const firstSample = await page.locator('[data-testid="sample"]').textContent();
    await untilSteps(page, 80);
    // A second sample arrives a few seconds later, from the same prime.
    await page.waitForFunction((s) => document.querySelector('[data-testid="sample"]')?.textContent !== s, firstSample, { timeout: 30000 });
    const since = await page.evaluate(() => performance.now());
    await page.waitForTimeout(3000);
    const longest = await longestTaskSince(page, since);
    await pause(page);
    const { train, val } = await lossHistory(page);
    const first = train.slice(0, 5).reduce((a, p) => a + p.mean, 0) / 5;
    const last = train.slice(-5).reduce((a, p) => a + p.mean, 0) / 5;
    console.log(`${t.id}: ${train.length} steps, loss ${first.toFixed(3)} -> ${last.toFixed(3)} nats/char, ${val.length} validation points, longest task ${longest} ms`);
    assert.ok(last < first - 0.5, `${t.id}: cross-entropy falls by more than 0.5 nats`);
    assert.ok(val.length > 0, 'validation loss measured');
    assert.ok(longest < 50, `longest main-thread task while training text: ${longest} ms`);
    const sample = await page.locator('[data-testid="sample"]').textContent();
    assert.ok((sample ?? '').startsWith('And God said'), 'samples continue the priming text');
    assert.ok((sample ?? '').length > 100, 'a sample of the chosen length');
    if (t.id === 'genesis') await screenshot(page, 'text-1280x800');
  }
  // The next-character chart follows the prefix.
  const before = await page.locator('#probs-title').textContent();
  await page.getByLabel('Priming text').fill('In the beginning God created the heaven');
  await page.waitForFunction((b) => document.getElementById('probs-title')?.textContent !== b, before);
  const bars = await page.$$eval('.bar-value', (els) => els.map((e) => Number(/** @type {HTMLElement} */ (e).dataset.p)));
  assert.ok(bars.length >= 10, 'bars for the likeliest characters');
  assert.ok(bars.every((p, i) => i === 0 || p <= bars[i - 1]), 'sorted by probability');
  assert.match(await page.evaluate(() => location.hash), /prime=In\+the\+beginning/);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  await screenshot(page, 'text-phone');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a link reproduces the run bit for bit: same losses step by step, however it was paused', async () => {
  const hash = '#task=forecast&mode=manual&data=sunspots&cell=gru&gru=classic&layers=1&hidden=24&seed=7&lr=0.01&batch=16&window=30';
  const a = await open(hash);
  assert.equal(await a.page.getByLabel('Cell', { exact: true }).inputValue(), 'gru');
  assert.equal(await a.page.getByLabel('Hidden units').inputValue(), '24');
  // One run pressed "one step" 40 times...
  for (let i = 0; i < 40; i++) await a.page.getByRole('button', { name: 'Train one step' }).click();
  await untilSteps(a.page, 40);
  await a.page.waitForTimeout(300);
  const runA = await lossHistory(a.page);
  // ...the other played, paused and played again.
  const b = await open(hash);
  await play(b.page);
  await untilSteps(b.page, 15);
  await pause(b.page);
  await b.page.waitForTimeout(200);
  await trainSteps(b.page, 50);
  const runB = await lossHistory(b.page);
  assert.ok(runA.train.length >= 40 && runB.train.length >= 40);
  const la = runA.train.slice(0, 40).map((p) => p.mean);
  const lb = runB.train.slice(0, 40).map((p) => p.mean);
  console.log(`link: loss after 40 steps ${la[39]} and ${lb[39]}`);
  assert.deepEqual(lb, la, 'the same loss at every one of the first 40 steps');
  assert.deepEqual([...a.problems, ...b.problems], []);
  await a.context.close();
  await b.context.close();
});

test('unknown and out-of-range link values are ignored with a notice', async () => {
  const { page, problems, context } = await open('#task=forecast&mode=manual&hidden=99999&cell=transformer&bogus=1&lr=0.02');
  const notices = await page.locator('#notices').textContent();
  assert.match(notices ?? '', /Hidden units "99999" ignored/);
  assert.match(notices ?? '', /Cell "transformer" ignored/);
  assert.match(notices ?? '', /unknown setting "bogus"/);
  assert.equal(await page.getByLabel('Hidden units').inputValue(), '32', 'default kept');
  assert.equal(await page.getByLabel('Learning rate').inputValue(), '0.02', 'valid values still apply');
  assert.deepEqual(problems, []);
  await context.close();
});

test('bad input is refused beside its control; the previous model and settings stay usable', async () => {
  const { page, problems, context } = await open('#task=forecast&mode=manual');
  await trainSteps(page, 30);
  const before = await metrics(page);
  const hashBefore = await page.evaluate(() => location.hash);

  // A malformed CSV (a quoted field never closed), then one with a non-numeric cell.
  await page.locator('#own-series summary').click();
  await page.getByLabel('Or paste CSV text').fill('date,value\n2020-01,"12\n2020-02,13\n');
  await page.getByRole('button', { name: 'Read pasted text' }).click();
  await assertMessage(page, '#csv-message', /quoted field is not closed/);
  await page.getByLabel('Or paste CSV text').fill('date,value\n2020-01,12\n2020-02,thirteen\n2020-03,14\n');
  await page.getByRole('button', { name: 'Read pasted text' }).click();
  await page.getByRole('button', { name: 'Use this series' }).click();
  await assertMessage(page, '#csv-message', /line 3, column "value": "thirteen" is not a number/);
  // Too few rows for the window.
  await page.getByLabel('Or paste CSV text').fill('date,value\n2020-01,12\n2020-02,13\n2020-03,14\n2020-04,15\n2020-05,13\n2020-06,12\n2020-07,11\n2020-08,12\n2020-09,16\n2020-10,13\n');
  await page.getByRole('button', { name: 'Read pasted text' }).click();
  await page.getByRole('button', { name: 'Use this series' }).click();
  await assertMessage(page, '[data-key="data"] .field-message', /window of 24 needs at least/);
  // A window too long for the series, typed into its box.
  await page.getByLabel('Window', { exact: true }).fill('500');
  await page.getByLabel('Window', { exact: true }).press('Enter');
  await assertMessage(page, '[data-key="window"] .field-message', /needs at least/);
  assert.equal(await page.getByLabel('Window', { exact: true }).inputValue(), '24', 'the window went back');
  // A model far too large for a browser tab.
  await page.getByLabel('Hidden units').fill('8192');
  await page.getByLabel('Hidden units').press('Enter');
  await assertMessage(page, '[data-key="hidden"] .field-message', /parameters, more than/);
  assert.equal(await page.getByLabel('Hidden units').inputValue(), '32', 'the hidden size went back');
  // 20 million parameters (2 LSTM layers of 1,300): refused beside the control, counted by the
  // core, against the core's cap (16,777,216), before any worker tries to build it.
  const twenty = (await init()).parameterCount({ cell: 'lstm', inputSize: 1, outputSize: 1, hiddenSize: [1300, 1300], dropout: 0, seed: 42 });
  assert.ok(twenty > 20e6 && twenty < 21e6);
  await page.getByLabel('Hidden units').fill('1300');
  await page.getByLabel('Hidden units').press('Enter');
  await assertMessage(page, '[data-key="hidden"] .field-message',
    new RegExp(`would have ${twenty.toLocaleString('en-US')} parameters, more than the 16,777,216 rnnlab can train`));
  assert.equal(await page.getByLabel('Hidden units').inputValue(), '32', 'the hidden size went back');
  // A corrupt model file.
  const bytes = Buffer.from('RNLM this is not a model file at all, just text');
  await page.locator('#model-file').setInputFiles({ name: 'broken.rnnlab', mimeType: 'application/octet-stream', buffer: bytes });
  await assertMessage(page, '#io-message', /is not a model this page can load/);

  // Still the same data set and a working model.
  assert.equal(await page.getByLabel('Data set').inputValue(), 'nottingham');
  const steps = await stepsShown(page);
  await page.getByRole('button', { name: 'Train one step' }).click();
  await untilSteps(page, steps + 1);
  await page.waitForTimeout(600);
  const afterM = await metrics(page);
  assert.ok(afterM.length === before.length && afterM.every((r) => Number.isFinite(r.mae)), 'the model still predicts');
  assert.equal(await page.evaluate(() => location.hash), hashBefore, 'the link is as before');
  await screenshot(page, 'errors');
  assert.deepEqual(problems, []);
  await context.close();
});

async function assertMessage(page, selector, pattern) {
  await page.waitForFunction(([sel, src]) => new RegExp(src).test(document.querySelector(sel)?.textContent ?? ''), [selector, pattern.source], { timeout: 15000 })
    .catch(async () => assert.fail(`${selector} should say ${pattern}, says "${await page.locator(selector).textContent()}"`));
}

test('save in the browser, reload the page, load: the same predictions', async () => {
  const { page, problems, context } = await open('#task=forecast&mode=manual&data=air');
  await trainSteps(page, 200);
  const before = await metrics(page);
  await page.getByLabel('Keep in this browser as').fill('air test');
  await page.getByRole('button', { name: 'Keep', exact: true }).click();
  await assertMessage(page, '#io-message', /Kept as/);
  // A downloaded model file too.
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download model' }).click()]);
  const file = readFileSync(/** @type {string} */ (await dl.path()));
  assert.ok(file.length > 1000, 'a model file');
  const [wdl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Export weights/ }).click()]);
  const weights = JSON.parse(readFileSync(/** @type {string} */ (await wdl.path()), 'utf8'));
  assert.deepEqual(Object.keys(weights.weights).slice(0, 4), ['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0']);
  assert.deepEqual(weights.weights.weight_hh_l0.shape, [128, 32], 'PyTorch layout: 4 LSTM gates x 32 units');

  // Reload (a new page on the same link: the default model), then load the kept one.
  await page.reload();
  await waitReady(page);
  await page.getByRole('button', { name: 'Load air test' }).click();
  await assertMessage(page, '#io-message', /Loaded/);
  await settled(page);
  const afterM = await metrics(page);
  assert.deepEqual(afterM, before, 'identical errors: the same predictions');
  // And from the downloaded file, on a fresh page.
  const other = await open('#task=forecast&mode=manual&data=air');
  await other.page.locator('#model-file').setInputFiles({ name: 'air.rnnlab', mimeType: 'application/octet-stream', buffer: file });
  await assertMessage(other.page, '#io-message', /Loaded/);
  await settled(other.page);
  assert.deepEqual(await metrics(other.page), before, 'the downloaded file predicts the same');
  assert.deepEqual([...problems, ...other.problems], []);
  await context.close();
  await other.context.close();
});

test('a crashed worker is reported and training restarts', async () => {
  const { page, problems, context } = await open('#task=forecast&mode=manual');
  await play(page);
  await untilSteps(page, 50);
  await page.evaluate(() => /** @type {any} */ (window).__workers.at(-1).dispatchEvent(new ErrorEvent('error', { message: 'simulated crash' })));
  await assertMessage(page, '#notices', /training worker stopped/);
  const restart = page.getByRole('button', { name: 'Restart training' });
  await restart.waitFor();
  await restart.click();
  await page.waitForFunction(() => document.body.dataset.training === 'paused' || document.body.dataset.training === 'playing');
  const steps = await stepsShown(page);
  await play(page);
  await untilSteps(page, steps + 20);
  await pause(page);
  // The crash produced the one console-free notice; nothing else went wrong.
  assert.deepEqual(problems.filter((p) => !/simulated crash/.test(p)), []);
  await context.close();
});

test('keyboard only: every control is reachable and labelled, play works with the keyboard', async () => {
  const { page, problems, context } = await open('#task=forecast&mode=manual');
  const unlabelled = await page.$$eval('input, select, textarea, button', (els) => els.filter((e) => {
    const el = /** @type {HTMLElement} */ (e);
    if (el.closest('[hidden]') || /** @type {HTMLInputElement} */ (el).type === 'file') return false;
    const label = el.getAttribute('aria-label') || (el.id && document.querySelector(`label[for="${el.id}"]`)) || el.closest('label') || el.textContent?.trim();
    return !label;
  }).map((e) => e.outerHTML.slice(0, 80)));
  assert.deepEqual(unlabelled, [], 'every control has a label');
  await page.getByRole('button', { name: 'Train', exact: true }).focus();
  await page.keyboard.press('Space');
  await untilSteps(page, 20);
  await page.keyboard.press('Space');
  await page.waitForFunction(() => document.body.dataset.training === 'paused');
  assert.deepEqual(problems, []);
  await context.close();
});

test('learning rate and clipping apply while training; a new cell says so and rebuilds', async () => {
  const { page, problems, context } = await open('#task=forecast&mode=manual&data=sunspots');
  await play(page);
  await untilSteps(page, 100);
  await page.getByLabel('Learning rate').fill('0.001');
  await page.getByLabel('Learning rate').press('Enter');
  await page.getByLabel('Clip norm').fill('0.5');
  await page.getByLabel('Clip norm').press('Enter');
  const before = await stepsShown(page);
  await untilSteps(page, before + 100);
  assert.match(await page.evaluate(() => location.hash), /lr=0\.001&clip=0\.5/);
  assert.doesNotMatch(await page.locator('#notices').textContent() ?? '', /new model/, 'no rebuild for live settings');
  assert.ok(await stepsShown(page) > before, 'the same run goes on');
  await page.getByLabel('Cell', { exact: true }).selectOption('gru');
  await page.waitForFunction(() => /Cell changed: a new model was built; training starts again at step 0/.test(document.getElementById('notices')?.textContent ?? ''));
  assert.equal(await page.getByLabel('GRU variant').isVisible(), true, 'the GRU variant appears with the GRU');
  await untilSteps(page, 20);
  await pause(page);
  assert.deepEqual(problems, []);
  await context.close();
});
