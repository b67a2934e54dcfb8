// rnnlab loads under a strict Content-Security-Policy (script-src 'self' 'wasm-unsafe-eval'):
// its glue builds no code from strings (Emscripten's DYNAMIC_EXECUTION=0), so a page that
// forbids eval can still use it. The playground's browser tests load it under such a policy.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

for (const variant of ['simd', 'baseline']) {
  test(`the ${variant} glue has no eval and no new Function`, () => {
    const glue = readFileSync(new URL(`../../dist/wasm/rnnlab-${variant}.mjs`, import.meta.url), 'utf8');
    const found = [...glue.matchAll(/new Function\b|\bnew_\(Function\b|[^.\w]eval\(/g)].map((m) => glue.slice(Math.max(0, m.index - 40), m.index + 40));
    assert.deepEqual(found, [], 'code built from strings');
  });
}
