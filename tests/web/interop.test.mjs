// The playground's other formats, in headless Chromium: a trained forecaster exported as ONNX,
// as a TF.js/Keras model.json + weights file and as PyTorch weights JSON loads back on a fresh
// page and predicts exactly as before; unsupported files and models that fit another task get
// an in-page message naming why, and the current model keeps training.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { browserSuite, openPage, screenshot, stepsShown, waitReady } from './_browser.mjs';

const suite = browserSuite();

async function open(hash) {
  const p = await openPage(suite.browser, suite.site.origin);
  await p.page.goto(suite.site.url + hash);
  await waitReady(p.page);
  return p;
}

async function assertMessage(page, pattern) {
  await page.waitForFunction((src) => new RegExp(src).test(document.querySelector('#io-message')?.textContent ?? ''), pattern.source, { timeout: 30000 })
    .catch(async () => assert.fail(`#io-message should say ${pattern}, says "${await page.locator('#io-message').textContent()}"`));
}

async function settled(page) {
  await page.waitForFunction(() => document.body.dataset.training === 'paused');
  await page.waitForTimeout(250);
  await page.waitForFunction(() => {
    const steps = document.getElementById('counter-steps')?.dataset.value;
    const host = /** @type {HTMLElement | null} */ (document.querySelector('.metrics-host'));
    return !host || host.dataset.step === steps;
  });
}

async function metrics(page) {
  return page.$$eval('table.metrics tbody tr:not(.group)', (rows) => rows.map((r) => ({
    label: r.querySelector('th')?.textContent ?? '',
    mae: Number(/** @type {HTMLElement} */ (r.querySelector('[data-metric="mae"]')).dataset.value),
    rmse: Number(/** @type {HTMLElement} */ (r.querySelector('[data-metric="rmse"]')).dataset.value),
  })));
}

/** Clicks a button and returns the files it downloads. */
async function downloads(page, name, count) {
  const waits = [];
  const files = [];
  const onDownload = (d) => files.push(d);
  page.on('download', onDownload);
  await page.getByRole('button', { name }).click();
  for (let i = 0; i < 100 && files.length < count; i++) await page.waitForTimeout(100);
  page.off('download', onDownload);
  assert.equal(files.length, count, `${name}: ${count} download(s)`);
  for (const d of files) waits.push((async () => ({ name: d.suggestedFilename(), buffer: readFileSync(/** @type {string} */ (await d.path())) }))());
  return Promise.all(waits);
}

const mime = (name) => (name.endsWith('.json') ? 'application/json' : 'application/octet-stream');

test('export ONNX, TF.js/Keras and PyTorch JSON; each loads on a fresh page and predicts the same', async () => {
  const { page, problems, context } = await open('#task=forecast&data=air&mode=manual');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.waitForFunction(() => Number(document.getElementById('counter-steps')?.dataset.value) >= 120, null, { timeout: 60000 });
  await page.getByRole('button', { name: 'Pause training' }).click();
  await settled(page);
  const before = await metrics(page);
  const onnx = await downloads(page, 'Export ONNX', 1);
  assert.match(onnx[0].name, /\.onnx$/);
  const keras = await downloads(page, 'Export TF.js / Keras', 2);
  assert.deepEqual(keras.map((f) => f.name.replace(/^.*?\./, '')).sort(), ['model.json', 'weights.bin']);
  assert.equal(JSON.parse(keras.find((f) => f.name.endsWith('.json')).buffer.toString()).weightsManifest[0].paths[0], keras.find((f) => f.name.endsWith('.bin')).name);
  const torch = await downloads(page, /Export weights/, 1);
  for (const [what, files] of [['ONNX', onnx], ['TF.js/Keras', keras], ['PyTorch JSON', torch]]) {
    const other = await open('#task=forecast&data=air&mode=manual');
    await other.page.locator('#model-file').setInputFiles(files.map((f) => ({ name: f.name, mimeType: mime(f.name), buffer: f.buffer })));
    await assertMessage(other.page, /Loaded .*optimizer starts fresh/);
    await settled(other.page);
    assert.deepEqual(await metrics(other.page), before, `${what}: the same predictions`);
    // It trains on.
    const steps = await stepsShown(other.page);
    await other.page.getByRole('button', { name: 'Train one step' }).click();
    await other.page.waitForFunction((k) => Number(document.getElementById('counter-steps')?.dataset.value) > k, steps, { timeout: 30000 });
    if (what === 'ONNX') await screenshot(other.page, 'interop-loaded-onnx');
    assert.deepEqual(other.problems, [], what);
    await other.context.close();
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('unsupported files and models for another task are refused in the page; the model keeps working', async () => {
  const { page, problems, context } = await open('#task=forecast&data=air&mode=manual');
  const fixture = (n) => readFileSync(new URL(`../fixtures/interop/${n}`, import.meta.url));
  const pick = (files) => page.locator('#model-file').setInputFiles(files);
  await pick([{ name: 'bi.onnx', mimeType: 'application/octet-stream', buffer: fixture('torch_lstm_bidirectional.onnx') }]);
  await assertMessage(page, /bi\.onnx is not a model this page can load: .*attribute direction.*bidirectional.*The current model is unchanged/);
  await pick([{ name: 'chars.onnx', mimeType: 'application/octet-stream', buffer: fixture('torch_gru_embedding_sequence_softmax.onnx') }]);
  await assertMessage(page, /chars\.onnx cannot be used here: .*it fits Text/);
  await pick([{ name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ modelTopology: {}, weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: [] }] })) }]);
  await assertMessage(page, /needs its weight file group1-shard1of1\.bin/);
  await pick([{ name: 'junk.onnx', mimeType: 'application/octet-stream', buffer: Buffer.from('not protobuf at all \u00ff\u00ff\u00ff') }]);
  await assertMessage(page, /junk\.onnx is not a model this page can load/);
  // The page's own model still trains.
  const steps = await stepsShown(page);
  await page.getByRole('button', { name: 'Train one step' }).click();
  await page.waitForFunction((k) => Number(document.getElementById('counter-steps')?.dataset.value) > k, steps, { timeout: 30000 });
  await screenshot(page, 'interop-refused');
  assert.deepEqual(problems, []);
  await context.close();
});
