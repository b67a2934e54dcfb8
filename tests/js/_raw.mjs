// Loads a fresh raw Emscripten module (the `_`-prefixed bindings without the JS layer).
const glue = {
  simd: () => import('../../dist/wasm/rnnlab-simd.mjs'),
  baseline: () => import('../../dist/wasm/rnnlab-baseline.mjs'),
};

/** @param {'simd' | 'baseline'} variant */
export async function loadModule(variant) {
  const factory = (await glue[variant]()).default;
  return factory({ printErr: () => {} });
}
