// Writing credentials so that a crash leaves either the old file or the new one, never half of one, and a
// private key is never readable by others, not even for a moment: write a temp file with the final mode
// in the same directory, flush it, rename it over the target.
import { closeSync, fchmodSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Writes `content` to `file` atomically with permission bits `mode` (creating the directory, 0700). */
export function writeFileAtomic(file: string, content: string, mode: number): void {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `.${basename(file)}.${process.pid}.tmp`);
  rmSync(tmp, { force: true });
  const fd = openSync(tmp, 'wx', mode);
  try {
    fchmodSync(fd, mode); // exact bits, whatever the umask
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
