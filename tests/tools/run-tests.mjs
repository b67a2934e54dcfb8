#!/usr/bin/env node
// Runs Node test files, each in its own process, and fails a file whose process outlives its
// last test: a timer, worker, server or socket left open keeps a process alive (with 0% CPU)
// long after its tests passed, which slows every run and hides a leak a user would inherit.
//
//   node tests/tools/run-tests.mjs [--grace S] [--jobs N] [--test-...] <folder | file.test.mjs> ... [-- node-args]
//
// A folder stands for its `*.test.mjs` files (not recursive). Each file runs as
// `node --import <this folder>/test-end-marker.mjs --test-reporter=spec <file>` (node:test runs
// the file's tests in the process itself); the marker reports each test's start and end on a
// pipe. When no test is running and the process is still alive GRACE seconds (default 5) after
// the last one ended, the file fails and its process group is stopped. node-args after `--` go
// to every child, and so do options starting with --test- (e.g. --test-name-pattern=gap). Exit status: 0 when every file passed.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MARKER = fileURLToPath(new URL('./test-end-marker.mjs', import.meta.url));

function usage(message) {
  if (message) console.error(`run-tests: ${message}`);
  console.error('usage: node tests/tools/run-tests.mjs [--grace S] [--jobs N] <folder | file> ... [-- node-args]');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { grace: 5, jobs: 1, targets: [], nodeArgs: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { opts.nodeArgs = argv.slice(i + 1); break; }
    if (a === '--grace' || a === '--jobs') {
      const v = Number(argv[++i]);
      if (!(v > 0)) usage(`${a} needs a positive number`);
      opts[a.slice(2)] = v;
    } else if (a.startsWith('--test-')) opts.nodeArgs.push(a); // e.g. --test-name-pattern=gap
    else if (a.startsWith('-')) usage(`unknown option ${a}`);
    else opts.targets.push(a);
  }
  if (opts.targets.length === 0) usage('no test files or folders given');
  return opts;
}

function testFiles(targets) {
  const files = [];
  for (const t of targets) {
    let st;
    try { st = statSync(t); } catch { usage(`${t} does not exist`); }
    if (st.isDirectory()) {
      const found = readdirSync(t).filter((f) => f.endsWith('.test.mjs')).sort().map((f) => path.join(t, f));
      if (found.length === 0) usage(`${t} holds no *.test.mjs file`);
      files.push(...found);
    } else files.push(t);
  }
  return files;
}

/**
 * Runs one file. Resolves with { file, ok, reason, seconds, lag } where lag is the time from the
 * end of its last test to the end of its process (null when no test ran).
 */
function runFile(file, { grace, nodeArgs }, output) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', MARKER, '--test-reporter=spec', ...nodeArgs, file], {
      stdio: ['ignore', output, output, 'pipe'],
      detached: true, // its own process group: stopping it stops what it started too
    });
    children.add(child);
    let running = 0, ended = 0, lastEnd = null, idleTimer = null, overstayed = false, buffered = '';
    const out = [];
    if (output === 'pipe') {
      child.stdout.on('data', (d) => out.push(d));
      child.stderr.on('data', (d) => out.push(d));
    }
    const stopGroup = () => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ } };
    child.stdio[3].on('data', (chunk) => {
      buffered += chunk;
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (line === 'start') {
          running++;
          clearTimeout(idleTimer);
        } else if (line === 'end') {
          running = Math.max(0, running - 1);
          ended++;
          lastEnd = Date.now();
          if (running === 0) {
            clearTimeout(idleTimer);
            idleTimer = setTimeout(() => { overstayed = true; stopGroup(); }, grace * 1000);
          }
        }
      }
    });
    let exited = null, exitCode = null, exitSignal = null, finished = false;
    child.on('exit', (code, signal) => {
      exited = Date.now();
      exitCode = code, exitSignal = signal;
      clearTimeout(idleTimer);
      // What the file's process started and left running in its group goes with it.
      stopGroup();
      // Its pipes close when the last process holding them ends: do not wait for a stray one.
      setTimeout(() => finish(code, signal), 2000).unref();
    });
    child.on('close', (code, signal) => finish(code ?? exitCode, signal ?? exitSignal));
    const finish = (code, signal) => {
      if (finished) return;
      finished = true;
      clearTimeout(idleTimer);
      children.delete(child);
      const now = exited ?? Date.now();
      const lag = lastEnd === null ? null : (now - lastEnd) / 1000;
      let reason = null;
      if (overstayed) {
        reason = `its process was still running ${grace} s after its last test ended (${ended} test(s) had run): ` +
          'a timer, worker, server or open handle keeps it alive; it was stopped';
      } else if (lag !== null && lag > grace) {
        reason = `its process ended ${lag.toFixed(1)} s after its last test ended (more than ${grace} s): ` +
          'something (a timer, worker, server or open handle) kept it alive';
      } else if (code !== 0) {
        reason = signal ? `its process was killed by ${signal}` : `exit status ${code}`;
      } else if (ended === 0) {
        reason = 'no test ran';
      }
      if (output === 'pipe') process.stdout.write(Buffer.concat(out));
      resolve({ file, ok: reason === null, reason, seconds: (now - started) / 1000, lag });
    };
  });
}

const children = new Set();
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    for (const c of children) { try { process.kill(-c.pid, 'SIGKILL'); } catch { /* gone */ } }
    process.exit(130);
  });
}

const opts = parseArgs(process.argv.slice(2));
const files = testFiles(opts.targets);
// One file at a time shows its output as it comes; several at once, each file's output at its end.
const output = opts.jobs > 1 ? 'pipe' : 'inherit';
const results = [];
let next = 0;
async function worker() {
  while (next < files.length) {
    const file = files[next++];
    if (output === 'inherit') console.log(`\n── ${file}`);
    const r = await runFile(file, opts, output);
    if (!r.ok) console.error(`\nrun-tests: FAILED ${file}: ${r.reason}`);
    results.push(r);
  }
}
const t0 = Date.now();
await Promise.all(Array.from({ length: Math.min(opts.jobs, files.length) }, worker));

results.sort((a, b) => files.indexOf(a.file) - files.indexOf(b.file));
console.log(`\nrun-tests: ${files.length} file(s) in ${((Date.now() - t0) / 1000).toFixed(1)} s (process end after the last test: at most ${opts.grace} s)`);
for (const r of results) {
  const lag = r.lag === null ? '-' : `${r.lag.toFixed(1)} s`;
  console.log(`  ${r.ok ? 'ok  ' : 'FAIL'} ${r.file.padEnd(44)} ${r.seconds.toFixed(1).padStart(7)} s   end after last test ${lag}${r.ok ? '' : `\n       ${r.reason}`}`);
}
const failed = results.filter((r) => !r.ok);
if (failed.length) {
  console.error(`run-tests: ${failed.length} of ${files.length} file(s) failed`);
  process.exit(1);
}
