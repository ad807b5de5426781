// emptyDir with medium Memory: a tmpfs mounted on the volume directory (sizeLimit becomes its size), as
// upstream's emptyDir plugin does; unmounted before the pod directory is removed. Needs root (mount(8)).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseQuantity, type QuantityValue } from '../../api/index.js';

function mountPoints(): string[] {
  try {
    // mountinfo's fifth field is the mount point (spaces escaped as \040).
    return fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => (l.split(' ')[4] ?? '').replace(/\\040/g, ' ')).filter(Boolean);
  } catch {
    return [];
  }
}

/** Mounts a tmpfs on `dir` unless one is there already. */
export function mountTmpfs(dir: string, sizeLimit?: QuantityValue): void {
  if (mountPoints().includes(dir)) return;
  const opts = ['mode=0777'];
  if (sizeLimit !== undefined) opts.push(`size=${parseQuantity(String(sizeLimit)).value()}`);
  execFileSync('mount', ['-t', 'tmpfs', '-o', opts.join(','), 'tmpfs', dir], { stdio: 'pipe' });
}

/** Unmounts every mount below `root` (deepest first), so the directory can be removed. */
export function unmountBelow(root: string): void {
  const prefix = root.endsWith(path.sep) ? root : root + path.sep;
  const below = mountPoints().filter((m) => m.startsWith(prefix)).sort((a, b) => b.length - a.length);
  for (const m of below) execFileSync('umount', [m], { stdio: 'pipe' });
}
