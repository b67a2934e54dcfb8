// Accessibility: axe-core (a devDependency, injected into the page through the DevTools
// protocol, so the page's Content-Security-Policy stays as it is) on every task after it has
// trained a few steps, at a desktop and a phone width. No violation of serious or critical
// impact, every block of content inside a landmark and no empty table header (axe's `region`
// and `empty-table-header` rules, moderate and minor by its own rating, are held to the same
// standard). Screenshots go to build/web-test-output/.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { browserSuite, openPage, screenshot, waitReady } from './_browser.mjs';

const suite = browserSuite();
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TASKS = ['forecast', 'text', 'classify', 'translate', 'memory'];
/** Rules of lesser impact held to the same standard: blocks outside landmarks, empty table headers. */
const HELD = ['region', 'empty-table-header'];
const WIDTHS = [{ width: 1280, height: 800 }, { width: 390, height: 844 }];

/**
 * Runs axe on the page; returns the violations that fail the playground's standard, each as
 * `rule (impact): help — selectors`.
 * @param {import('playwright-core').Page} page
 */
async function violations(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const result = await page.evaluate(() => /** @type {any} */ (window).axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((/** @type {any} */ v) => v.impact === 'serious' || v.impact === 'critical' || HELD.includes(v.id))
    .map((/** @type {any} */ v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 6).map((n) => n.target.join(' ')).join(' | ')}${v.nodes.length > 6 ? ` and ${v.nodes.length - 6} more` : ''}`);
}

for (const viewport of WIDTHS) {
  test(`axe-core at ${viewport.width} px: no serious or critical violation and every block in a landmark, on every task after training`, async () => {
    const { page, problems, context } = await openPage(suite.browser, suite.site.origin, viewport);
    await page.goto(suite.site.url);
    await waitReady(page);
    /** @type {Record<string, string[]>} */
    const found = {};
    for (const task of TASKS) {
      await page.evaluate((t) => { location.hash = `#task=${t}`; }, task);
      await page.waitForFunction((t) => document.getElementById(`tab-${t}`)?.getAttribute('aria-selected') === 'true' && document.getElementById('status')?.textContent === '', task, { timeout: 30000 });
      // A few steps of training, then paused, so the views show a trained model.
      // (A race ignores a step while its racers are still busy with the last.)
      const steps = () => page.evaluate(() => Number(document.getElementById('counter-steps')?.dataset.value));
      for (let i = 0; i < 40 && (await steps()) < 3; i++) {
        await page.locator('#step').click();
        await page.waitForTimeout(250);
      }
      assert.ok((await steps()) >= 3, `${task}: three steps trained`);
      if (task === 'text') {
        // Older samples are drawn differently from the newest: have both on screen.
        await page.getByRole('button', { name: 'Train', exact: true }).click();
        await page.waitForFunction(() => document.querySelectorAll('.sample').length >= 2, null, { timeout: 60000 });
        await page.getByRole('button', { name: 'Pause training' }).click();
      }
      await page.waitForTimeout(800);
      // The inside views draw once scrolled to.
      await page.locator('#inside-panel').scrollIntoViewIfNeeded().catch(() => {});
      await page.waitForTimeout(600);
      found[task] = await violations(page);
      await screenshot(page, `a11y-${task}-${viewport.width}`);
    }
    const failing = Object.entries(found).filter(([, v]) => v.length);
    assert.deepEqual(failing, [], failing.map(([t, v]) => `${t}:\n  ${v.join('\n  ')}`).join('\n'));
    assert.deepEqual(problems, []);
    await context.close();
  });
}
