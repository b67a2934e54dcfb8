// What Model and Seq2Seq do alike with their C++ handle: write it as a model file, and let
// `using` dispose it.
import { options, text } from './check.js';

/**
 * The handle's model file: {metadata?: string} -> Uint8Array (a copy; the wasm buffer is freed).
 * @param {import('./runtime.js').Runtime} rt
 * @param {any} h
 * @param {unknown} opts
 */
export function saveBytes(rt, h, opts) {
  const o = options(opts, ['metadata'], 'save');
  const metadata = o.metadata === undefined ? '' : text(o.metadata, 'metadata');
  const view = h._save(metadata);
  rt.check();
  const bytes = rt.copy(view);
  h._releaseResults();
  return bytes;
}

/**
 * `using x = ...` calls x.dispose() at the end of the block, where the runtime has
 * Symbol.dispose (explicit resource management).
 * @param {{prototype: {dispose(): void}}} cls
 */
export function disposeWithUsing(cls) {
  if (typeof Symbol.dispose !== 'symbol') return;
  Object.defineProperty(cls.prototype, Symbol.dispose, {
    value: function dispose() {
      this.dispose();
    },
  });
}
