// Helpers the scripts share (the benches, the pre-commit demonstration, the package check).
import { chmodSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Makes a copy of the read-only corpus writable (directories 755, files 644), as a user's checkout is. */
export function makeWritable(dir) {
  chmodSync(dir, 0o755);
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) makeWritable(p);
    else chmodSync(p, 0o644);
  }
}

/** Expectations counted as a test runner counts them: `check(name, ok, detail)`, then `summary()` prints `N passed, N failed` and sets the exit code. */
export function checks() {
  let passed = 0;
  let failed = 0;
  return {
    check(name, ok, detail = '') {
      if (ok) passed++;
      else failed++;
      console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${!ok && detail ? `\n${detail}` : ''}`);
    },
    summary() {
      console.log(`\n${passed} passed, ${failed} failed`);
      process.exitCode = failed ? 1 : 0;
      return failed;
    },
  };
}
