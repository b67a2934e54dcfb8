// The forecast task's Automatic mode in headless Chromium: the first-screen promise (defaults,
// press play, and within 10 s the forecaster's free-running forecast of the validation part beats
// naive and seasonal naive, read from the page's own table, with its bands drawn), augurs' ETS
// loaded from the page's own origin under its CSP, the main thread never busy for 50 ms at a time
// while fitting (measured in a trace),
// pause aborting the fits, and the mode carried in the link.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OUT, browserSuite, longestMainThreadTask, openPage, screenshot, waitReady } from './_browser.mjs';

const suite = browserSuite();

async function open(hash = '', viewport) {
  const p = await openPage(suite.browser, suite.site.origin, viewport);
  await p.page.goto(suite.site.url + hash);
  await waitReady(p.page);
  return p;
}

const play = (page) => page.getByRole('button', { name: 'Train', exact: true }).click();

/** The free-running table as the page shows it: {forecaster, naive, seasonal-naive, ETS} -> {mae, best}. */
async function freeRunning(page) {
  return page.$$eval('#free-running tbody tr', (rows) => Object.fromEntries(rows.map((r) => [/** @type {HTMLElement} */ (r).dataset.row, {
    mae: Number(/** @type {HTMLElement} */ (r.querySelector('[data-metric="mae"]')).dataset.value || NaN),
    best: r.classList.contains('best'),
    label: r.querySelector('th')?.textContent ?? '',
  }])));
}

test('first screen: defaults, press play, and within 10 s the forecaster beats naive and seasonal naive on the validation part, bands drawn', async () => {
  const { page, problems, context } = await open();
  assert.equal(await page.getByLabel('Forecaster').inputValue(), 'auto', 'Automatic is the default');
  assert.equal(await page.getByLabel('Data set').inputValue(), 'nottingham');
  assert.ok(await page.getByLabel('Learning rate').isHidden(), 'the settings the forecaster chooses are hidden');
  assert.ok(await page.getByLabel('Time budget (s)').isVisible());
  assert.ok(!suite.site.requests.some((r) => /etsWorker|ets_bg|mstl_bg/.test(r)), 'augurs is not loaded before a fit starts');
  let t0 = 0;
  let seconds = NaN;
  const longest = await longestMainThreadTask(suite.browser, page, async () => {
    t0 = Date.now();
    await play(page);
    // Bounded wait on the page's state: the validation fit's forecast is in the table.
    await page.waitForFunction(() => /** @type {HTMLElement | null} */ (document.querySelector('.metrics-host'))?.dataset.fitted === 'true', null, { timeout: 10000 });
    seconds = (Date.now() - t0) / 1000;
  });
  const m = await freeRunning(page);
  console.log(`first screen: fitted after ${seconds.toFixed(1)} s; free-running MAE ${Object.entries(m).map(([k, v]) => `${k} ${v.mae.toFixed(3)}${v.best ? ' (best)' : ''}`).join(', ')}`);
  assert.ok(m.forecaster.mae < m.naive.mae, `forecaster MAE ${m.forecaster.mae} < naive ${m.naive.mae}`);
  assert.ok(m['seasonal-naive'].mae < m.naive.mae || Number.isFinite(m['seasonal-naive'].mae));
  assert.ok(m.forecaster.mae < m['seasonal-naive'].mae, `forecaster MAE ${m.forecaster.mae} < seasonal naive ${m['seasonal-naive'].mae}`);
  // The validation part's forecast has its two bands on the chart.
  assert.ok(Number(await page.locator('#task-main .chart').getAttribute('data-bands')) >= 2, 'the validation forecast’s 80% and 95% bands are drawn');
  // Then the whole-series fit and ETS: four bands, ETS in the table, the best row marked.
  await page.waitForFunction(() => document.body.dataset.training === 'paused' && Number(document.querySelector('#task-main .chart')?.getAttribute('data-bands')) === 4, null, { timeout: 30000 });
  await page.waitForFunction(() => Number(document.querySelector('#free-running tr[data-row="ETS"] [data-metric="mae"]')?.getAttribute('data-value')) > 0, null, { timeout: 30000 });
  const after = await freeRunning(page);
  console.log(`ETS: ${after.ETS.label.trim()} MAE ${after.ETS.mae.toFixed(3)}`);
  assert.match(after.ETS.label, /augurs/);
  assert.equal(Object.values(after).filter((r) => r.best).length, 1, 'exactly one row is marked best');
  const best = Object.values(after).find((r) => r.best);
  assert.equal(best?.mae, Math.min(...Object.values(after).map((r) => r.mae)), 'the best mark is on the lowest MAE');
  const choice = await page.locator('#forecaster-choice').textContent() ?? '';
  assert.match(choice, /season/);
  // The forecaster runs in a worker: its networks train side by side in workers of their own
  // (nested workers) where the browser reports 2 cores or more.
  const networks = choice.match(/Its LSTM networks[^.]*\./)?.[0] ?? '';
  console.log(`the page's words on the networks: ${networks || '(none trained)'}`);
  assert.ok(networks, 'the networks trained');
  if (await page.evaluate(() => navigator.hardwareConcurrency >= 2)) assert.match(networks, /side by side/);
  console.log(`longest main-thread task while fitting: ${longest.cpuMs.toFixed(1)} ms of processor time (${longest.wallMs.toFixed(0)} ms wall time on this machine)`);
  assert.ok(suite.site.requests.some((r) => /ets_bg.*\.wasm$|mstl_bg.*\.wasm$/.test(r)), 'augurs’ wasm came from the page’s own origin');
  await screenshot(page, 'forecast-auto-1280x800');
  await page.locator('#task-main .chart').screenshot({ path: `${OUT}/forecast-auto-chart.png` });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  await screenshot(page, 'forecast-auto-phone');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 1, `no sideways scrolling on a phone-sized screen (overflow ${overflow} px)`);
  assert.ok(longest.cpuMs < 50, `longest main-thread task while fitting: ${longest.cpuMs} ms of processor time`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('pause aborts the fits; play fits again; the mode is in the link and Manual keeps its settings', async () => {
  const { page, problems, context } = await open('#task=forecast&data=air&time=30');
  await play(page);
  await page.waitForFunction(() => /network|classical/.test(document.getElementById('fit-progress')?.textContent ?? ''), null, { timeout: 15000 });
  await page.getByRole('button', { name: 'Pause training' }).click();
  await page.waitForFunction(() => document.body.dataset.training === 'paused');
  assert.match(await page.locator('#fit-progress').textContent() ?? '', /paused|not fitted/);
  assert.notEqual(await page.locator('.metrics-host').getAttribute('data-fitted'), 'true', 'a paused fit shows no forecast');
  assert.match(await page.evaluate(() => location.hash), /mode=auto/);
  // Manual: today's settings and behaviour, all in the link.
  await page.getByLabel('Forecaster').selectOption('manual');
  await page.waitForFunction(() => location.hash.includes('mode=manual') && !document.getElementById('status')?.textContent);
  assert.ok(await page.getByLabel('Learning rate').isVisible());
  assert.ok(await page.getByLabel('Time budget (s)').isHidden());
  await page.getByLabel('Learning rate').fill('0.01');
  await page.getByLabel('Learning rate').press('Enter');
  await page.waitForFunction(() => location.hash.includes('lr=0.01'));
  const reopened = await open(await page.evaluate(() => location.hash));
  assert.equal(await reopened.page.getByLabel('Forecaster').inputValue(), 'manual');
  assert.equal(await reopened.page.getByLabel('Learning rate').inputValue(), '0.01');
  await reopened.context.close();
  // Back to Automatic, fitting, then another task: the fits end with the page's move.
  await page.getByLabel('Forecaster').selectOption('auto');
  await page.waitForFunction(() => location.hash.includes('mode=auto') && !document.getElementById('status')?.textContent);
  await play(page);
  await page.waitForFunction(() => document.body.dataset.training === 'playing');
  await page.getByRole('tab', { name: 'Generate text' }).click();
  await page.waitForFunction(() => location.hash.includes('task=text') && !document.getElementById('status')?.textContent);
  await page.getByRole('tab', { name: 'Forecast a series' }).click();
  await page.waitForFunction(() => location.hash.includes('mode=auto') && !document.getElementById('status')?.textContent);
  assert.equal(await page.locator('.metrics-host').getAttribute('data-fitted'), null, 'a new forecast task starts unfitted');
  assert.deepEqual(problems, []);
  await context.close();
});
