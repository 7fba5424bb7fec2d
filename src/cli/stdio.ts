// node:fs at the surface: the CLI's own output descriptors.
import * as nodeFs from 'node:fs';

// process.stdout and process.stderr are streams whose first use loads Node's tty, net and stream
// modules (several milliseconds of a run that takes about a hundred). The CLI writes its output
// once, synchronously, to the descriptors instead.

let closed = false;
let pause: Int32Array | undefined;

/**
 * Writes all of `text` to `fd` before returning: a non-blocking pipe that is full is waited on;
 * a reader that went away (EPIPE, as `| head` does) ends the output quietly.
 */
export function writeAll(fd: number, text: string): void {
  if (closed || text === '') return;
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += nodeFs.writeSync(fd, bytes, offset);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        Atomics.wait((pause ??= new Int32Array(new SharedArrayBuffer(4))), 0, 0, 1);
        continue;
      }
      if (code === 'EPIPE') {
        closed = true;
        return;
      }
      throw e;
    }
  }
}

/**
 * Whether `fd` is a terminal, without creating the stdio streams: a character device. (That
 * takes /dev/null for one too, where colours or a progress line go nowhere.)
 */
export function isTerminal(fd: number): boolean {
  try {
    return nodeFs.fstatSync(fd).isCharacterDevice();
  } catch {
    return false;
  }
}
