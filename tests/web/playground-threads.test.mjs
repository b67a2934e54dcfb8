// The built playground (what `npm run build:web` makes and a static host serves) on rnnlab's
// threads build: cross-origin isolated, the text task's model trains in a worker whose rnnlab
// runs the reported cores (at most 4) on rnnlab-simd-threads (its worker script and module
// fetched from the site), with the very losses of one thread; a small model (the forecaster's)
// keeps one thread; served without COOP/COEP the page falls back to one thread, silently.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserSuite, openPage, serveSite, waitReady } from './_browser.mjs';

const suite = browserSuite();

/** Opens `hash` on `site`; trains `steps` steps one at a time; what the page showed. */
async function train(site, hash, steps) {
  const { page, problems, context } = await openPage(suite.browser, site.origin);
  try {
    await page.goto(site.url + hash);
    await waitReady(page, 60000);
    const losses = [];
    for (let k = 1; k <= steps; k++) {
      await page.locator('#step').click();
      await page.waitForFunction((n) => Number(document.getElementById('counter-steps')?.dataset.value) >= n, k, { timeout: 60000 });
      // The counters redraw on the app's clock: wait for this step's loss.
      await page.waitForFunction((prev) => {
        const v = document.getElementById('counter-loss')?.dataset.value;
        return v !== undefined && v !== '' && v !== prev;
      }, losses.at(-1) ?? '', { timeout: 10000 });
      losses.push(/** @type {string} */ (await page.locator('#counter-loss').getAttribute('data-value')));
    }
    const facts = await page.evaluate(() => ({
      threads: Number(document.getElementById('counters')?.dataset.threads),
      isolated: globalThis.crossOriginIsolated,
      cores: navigator.hardwareConcurrency,
    }));
    return { ...facts, losses, problems };
  } finally {
    await context.close();
  }
}

test('text task: the built page trains on the threads build, with the losses of one thread', async () => {
  const from = suite.site.requests.length;
  const threaded = await train(suite.site, '#task=text&seed=3', 4);
  const fetched = suite.site.requests.slice(from);
  assert.deepEqual(threaded.problems, []);
  assert.equal(threaded.isolated, true);
  const want = Math.min(4, threaded.cores);
  assert.equal(threaded.threads, want, 'the model\'s worker runs the reported cores, at most 4');
  if (want > 1) {
    // Only rnnlab-simd-threads runs more than one thread; its files came from the site.
    assert.ok(fetched.some((p) => /\/assets\/rnnlab-simd-threads\.worker-[\w-]+\.js$/.test(p)), `the pool's worker script was fetched: ${fetched.join(' ')}`);
    assert.ok(fetched.some((p) => /\/assets\/rnnlab-simd-threads-[\w-]+\.wasm$/.test(p)), 'the threads module was fetched');
  }
  const plain = await serveSite({ isolated: false });
  try {
    const single = await train(plain, '#task=text&seed=3', 4);
    assert.deepEqual(single.problems, [], 'no isolation: one thread, silently');
    assert.equal(single.isolated, false);
    assert.equal(single.threads, 1);
    assert.ok(!plain.requests.some((p) => p.includes('rnnlab-simd-threads')), 'nothing of the threads build is fetched');
    assert.ok(single.losses.every((l) => Number.isFinite(Number(l))));
    console.log(`text task, ${threaded.cores} cores: ${threaded.threads} threads (isolated) vs 1 (not isolated); losses ${threaded.losses.join(', ')}`);
    assert.deepEqual(threaded.losses, single.losses, 'the same losses, bit for bit');
  } finally {
    plain.server.close();
  }
});

test('a small model (the forecaster in Manual mode) keeps one thread', async () => {
  const small = await train(suite.site, '#task=forecast&mode=manual', 1);
  assert.deepEqual(small.problems, []);
  assert.equal(small.isolated, true);
  assert.equal(small.threads, 1);
});
