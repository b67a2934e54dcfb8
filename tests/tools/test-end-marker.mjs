// Preloaded by run-tests.mjs into every test file's process: writes "start" and "end" lines
// for each test (subtests included) to file descriptor 3, a pipe read by the runner, which
// so knows when the file's last test has ended and how long its process outlives it.
import { writeSync } from 'node:fs';
import { afterEach, beforeEach } from 'node:test';

function mark(line) {
  try {
    writeSync(3, `${line}\n`);
  } catch {
    // Not started by run-tests.mjs (no descriptor 3): nothing to tell.
  }
}

beforeEach(() => mark('start'));
afterEach(() => mark('end'));
