// Upstream's AtomicWriter for configMap/secret/downwardAPI volumes: the payload goes into a fresh timestamped
// directory, then the `..data` symlink is swapped to it with a rename (atomic), and each top-level name is a
// symlink through `..data`. A container never sees a half-written set of files. Unchanged payloads are not
// rewritten.
import fs from 'node:fs';
import path from 'node:path';

export interface FileProjection {
  data: Buffer;
  /** Permission bits (e.g. 0o644). */
  mode: number;
}

const dataLink = '..data';

function sameAsCurrent(dir: string, payload: Map<string, FileProjection>): boolean {
  const current = path.join(dir, dataLink);
  if (!fs.existsSync(current)) return false;
  for (const [rel, f] of payload) {
    const p = path.join(current, rel);
    if (!fs.existsSync(p)) return false;
    if (!fs.readFileSync(p).equals(f.data)) return false;
    if ((fs.statSync(p).mode & 0o777) !== f.mode) return false;
  }
  const top = new Set([...payload.keys()].map((k) => k.split('/')[0]!));
  const existing = fs.readdirSync(dir).filter((n) => !n.startsWith('..'));
  return existing.length === top.size && existing.every((n) => top.has(n));
}

/** Writes `payload` (relative path → file) into `dir` atomically; answers whether anything changed. */
export function writeAtomically(dir: string, payload: Map<string, FileProjection>): boolean {
  fs.mkdirSync(dir, { recursive: true });
  if (sameAsCurrent(dir, payload)) return false;
  const tsDir = `..${Date.now()}_${Math.random().toString(36).slice(2, 8)}`;
  const full = path.join(dir, tsDir);
  fs.mkdirSync(full);
  for (const [rel, f] of payload) {
    const p = path.join(full, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, f.data);
    fs.chmodSync(p, f.mode);
  }
  fs.chmodSync(full, 0o755);
  const tmpLink = path.join(dir, '..data_tmp');
  fs.rmSync(tmpLink, { force: true });
  fs.symlinkSync(tsDir, tmpLink);
  const old = fs.existsSync(path.join(dir, dataLink)) ? fs.readlinkSync(path.join(dir, dataLink)) : undefined;
  fs.renameSync(tmpLink, path.join(dir, dataLink));
  const top = new Set([...payload.keys()].map((k) => k.split('/')[0]!));
  for (const name of top) {
    const link = path.join(dir, name);
    if (!fs.existsSync(link)) fs.symlinkSync(path.join(dataLink, name), link);
  }
  for (const name of fs.readdirSync(dir)) {
    if (name.startsWith('..') || top.has(name)) continue;
    fs.rmSync(path.join(dir, name), { recursive: true, force: true });
  }
  if (old && old !== tsDir) fs.rmSync(path.join(dir, old), { recursive: true, force: true });
  return true;
}
