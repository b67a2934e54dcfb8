// The converters to and from ONNX and Keras load on first use: no file of bindings/js/interop/
// is in the static import graph of the package's entry points (a page that only creates and
// trains a model does not download them), and they are reached through import() only.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const JS = fileURLToPath(new URL('../../bindings/js/', import.meta.url));

/** Files reached from `entry` through static `import ... from` / `export ... from`. */
function staticGraph(entry) {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gms)) visit(path.resolve(path.dirname(file), m[1]));
    for (const m of src.matchAll(/^\s*import\s+'(\.[^']+)'/gm)) visit(path.resolve(path.dirname(file), m[1]));
  };
  visit(path.join(JS, entry));
  return [...seen].map((f) => path.relative(JS, f));
}

test('bindings/js/interop/ is outside the static import graph of index.js and worker.js', () => {
  for (const entry of ['index.js', 'worker.js', 'worker_entry.js']) {
    const graph = staticGraph(entry);
    assert.ok(graph.includes('model.js') || entry !== 'index.js', `${entry}: the graph walk sees model.js`);
    assert.deepEqual(graph.filter((f) => f.startsWith('interop')), [], `${entry} statically imports the converters`);
  }
  // They are loaded with import() from the methods that need them.
  const dynamic = ['model.js', 'seq2seq.js', 'index.js', 'worker.js'].flatMap((f) => [...readFileSync(path.join(JS, f), 'utf8').matchAll(/import\('\.\/interop\/(\w+)\.js'\)/g)].map((m) => m[1]));
  assert.deepEqual([...new Set(dynamic)].sort(), ['keras_export', 'keras_import', 'onnx_export', 'onnx_import']);
});
