// Publishing from a clean clone (scripts/prepack.sh, npm's prepack hook): `npm pack` never makes
// a tarball without the WebAssembly builds. In a fresh clone without dist/wasm it builds them,
// or, where it may not (RNNLAB_PREPACK_BUILD=0, or no Emscripten), stops and says how; with the
// builds present and newer than the sources it packs them. The package is MIT-licensed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let tmp;
let clone;

/** npm pack --dry-run --json in the clone: {status, files, stderr}. */
function pack(env = {}) {
  const r = spawnSync('npm', ['pack', '--dry-run', '--json'], {
    cwd: clone, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 16 << 20,
  });
  const files = r.status === 0 ? JSON.parse(r.stdout)[0].files.map((f) => f.path) : [];
  return { status: r.status, files, stderr: r.stderr };
}

before(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'rnnlab-prepack-'));
  clone = path.join(tmp, 'rnnlab');
  // The committed tree, as a user or CI checks it out (no dist/, no build/).
  const r = spawnSync('git', ['clone', '--quiet', '--no-hardlinks', ROOT, clone], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

after(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test('package.json and LICENSE: MIT, the rnnlab authors', () => {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  assert.equal(pkg.license, 'MIT');
  assert.equal(pkg.scripts.prepack, 'scripts/prepack.sh');
  const license = readFileSync(path.join(ROOT, 'LICENSE'), 'utf8');
  assert.match(license, /^MIT License/);
  assert.match(license, /Copyright \(c\) \d{4} the rnnlab authors/);
});

test('a clean clone without the builds does not pack; it says how to build them', () => {
  const r = pack({ RNNLAB_PREPACK_BUILD: '0' });
  assert.notEqual(r.status, 0, 'npm pack must fail');
  assert.match(r.stderr, /dist\/wasm\/rnnlab-simd\.mjs is missing/);
  assert.match(r.stderr, /npm run build:wasm/);
});

test('with both builds newer than the sources it packs them; an older build is refused', () => {
  cpSync(path.join(ROOT, 'dist/wasm'), path.join(clone, 'dist/wasm'), { recursive: true });
  const r = pack({ RNNLAB_PREPACK_BUILD: '0' });
  assert.equal(r.status, 0, r.stderr);
  for (const v of ['simd', 'baseline', 'simd-threads']) {
    for (const ext of ['mjs', 'wasm']) assert.ok(r.files.includes(`dist/wasm/rnnlab-${v}.${ext}`), `${v}.${ext}`);
  }
  assert.ok(r.files.includes('LICENSE'));
  // A source edited after the build: the modules are stale.
  const later = new Date(Date.now() + 60_000);
  utimesSync(path.join(clone, 'src/model/model.cpp'), later, later);
  const stale = pack({ RNNLAB_PREPACK_BUILD: '0' });
  assert.notEqual(stale.status, 0);
  assert.match(stale.stderr, /src\/model\/model\.cpp is newer than/);
});
