// Node-only helpers of the JS benchmarks: paths, the corpus file, the machine load.
import { readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALL_IDS, Data, parseArgs } from './common.mjs';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '..', '..');

/** The CHAR corpus: --text, else the repository's data/text/kjv-genesis.txt. */
export function corpusPath(override) {
  const candidates = [override, path.join(ROOT, 'data/text/kjv-genesis.txt')];
  for (const p of candidates) if (p && existsSync(p)) return p;
  throw new Error(`no text corpus found (tried ${candidates.filter(Boolean).join(' and ')}; use --text PATH)`);
}

export function nodeData(textOverride) {
  let p = null;
  return new Data(() => {
    p ??= corpusPath(textOverride);
    return new Uint8Array(readFileSync(p));
  }, path.relative(ROOT, corpusPath(textOverride)) || corpusPath(textOverride));
}

export const loadavg = () => os.loadavg().map((x) => Math.round(x * 100) / 100);

export function cpuModel() {
  const c = os.cpus();
  return `${c.length} x ${c[0]?.model ?? 'unknown CPU'}`;
}

/**
 * CPU time of the main thread in ms (Linux: its time on a CPU in ns, /proc/self/task/<pid>/schedstat),
 * or null where there is no such file. Node's own background threads and a pool's workers are
 * other tasks of the process.
 */
export function mainThreadCpuMs() {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return null;
  }
}

/**
 * Node's hooks of a run for the runners (opt): the process's peak RSS and CPU time, the main
 * thread's CPU time, and with --cap-ms the markers the sweep's driver reads on stderr
 * ('sweep:start' before the first step, 'sweep:first <ms>' after it).
 */
export function nodeHooks(o) {
  const hooks = {
    peakRssBytes: () => process.resourceUsage().maxRSS * 1024,
    // user + system time of every thread of the process (V8's compiler and GC helpers included)
    cpuNow: () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    },
  };
  if (mainThreadCpuMs() !== null) hooks.threadCpuNow = mainThreadCpuMs;
  if (o.capMs > 0) {
    hooks.onStart = () => process.stderr.write('sweep:start\n');
    hooks.onFirst = (ms) => process.stderr.write(`sweep:first ${ms.toFixed(3)}\n`);
  }
  return hooks;
}

export function fail(usage, err) {
  console.error(err instanceof Error ? err.message : String(err));
  if (usage) console.error(usage);
  process.exit(2);
}

/**
 * A benchmark script's command line: common.mjs's parseArgs over process.argv with the script's
 * `extra` options. --help prints `usage` and --list the configuration ids (both exit 0); then
 * validate(o) fills defaults and throws on a bad value. A bad argument prints its error and
 * the usage (exit 2).
 */
export function parseCli(usage, extra, validate = () => {}) {
  try {
    const o = parseArgs(process.argv.slice(2), extra);
    if (o.help || o.list) {
      console.log(o.help ? usage : ALL_IDS.join('\n'));
      process.exit(0);
    }
    validate(o);
    return o;
  } catch (e) {
    fail(usage, e);
  }
}
