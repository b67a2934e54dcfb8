// Runs in the benchmark page that browser_bench.mjs serves (headless Chromium): loads one
// implementation (rnnlab SIMD, rnnlab baseline or TF.js wasm) and runs configurations of
// CONFIGS.md, resolving with the same JSON layout as the Node scripts.
import { Data } from './common.mjs';
import { rnnlabInfo, runRnnlabConfig } from './rnnlab_runner.mjs';
import { runTfjsConfig, setupTfjs } from './tfjs_runner.mjs';

const TFJS_DIST = '/bench/js/node_modules/@tensorflow/tfjs/dist/';
const TFJS_WASM_DIST = '/bench/js/node_modules/@tensorflow/tfjs-backend-wasm/dist/';

function script(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = resolve;
    s.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.appendChild(s);
  });
}

async function loadTfjs() {
  if (!globalThis.tf?.wasm) {
    await script(`${TFJS_DIST}tf.min.js`);
    await script(`${TFJS_WASM_DIST}tf-backend-wasm.min.js`);
  }
  const tf = globalThis.tf;
  // Unless rnnlab-threads runs, the page is not cross-origin isolated (no SharedArrayBuffer), so
  // tfjs-backend-wasm picks its single-threaded SIMD binary; setThreadsCount(1) keeps TF.js on
  // one thread either way.
  tf.wasm.setWasmPaths(TFJS_WASM_DIST);
  const info = await setupTfjs(tf);
  return { tf, info };
}

const data = new Data(async () => new Uint8Array(await (await fetch('/data/text/kjv-genesis.txt')).arrayBuffer()), 'data/text/kjv-genesis.txt');

/**
 * @param {{impl: 'rnnlab-simd' | 'rnnlab-baseline' | 'rnnlab-threads' | 'tfjs-wasm', ids: string[],
 *   opt: {steps: number, warmup: number, tfjsInfer?: string}}} args
 */
export async function run({ impl, ids, opt }) {
  let info;
  let runOne;
  if (impl === 'tfjs-wasm') {
    const { tf, info: i } = await loadTfjs();
    info = i;
    runOne = (id) => runTfjsConfig(tf, id, opt, data);
  } else {
    const variant = impl === 'rnnlab-baseline' ? 'baseline' : impl === 'rnnlab-threads' ? 'simd-threads' : 'simd';
    const { init } = await import('/bindings/js/index.js');
    const rnn = await init({ simd: variant !== 'baseline', threads: variant === 'simd-threads' ? 2 : 1 });
    info = rnnlabInfo(rnn, variant);
    runOne = (id) => runRnnlabConfig(rnn, id, opt, data);
  }
  info = { ...info, runtime: navigator.userAgent.match(/(Headless)?Chrom(e|ium)\/[\d.]+/)?.[0] ?? navigator.userAgent, crossOriginIsolated: globalThis.crossOriginIsolated === true, warmup: opt.warmup, warmup_ms: opt.warmupMs, steps: opt.steps };
  const results = [];
  for (const id of ids) {
    console.log(`[${impl}] ${id} ...`);
    results.push(await runOne(id));
  }
  return { ...info, results };
}
