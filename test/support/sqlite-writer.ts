// Child process for the kill -9 durability test: opens a SqliteStore in the data dir given as argv[2] and
// creates objects forever, several in flight at once (so group commit batches them), printing
// `<key> <resourceVersion>` for each acknowledged create. The parent SIGKILLs it mid-stream.
import type { KubeObject } from '../../api/object.js';
import { SqliteStore } from '../../control-plane/storage/sqlite-store.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: sqlite-writer.ts <dataDir>');
const inFlight = 16;
const store = new SqliteStore({ dataDir });
let next = 0;

async function writer(): Promise<never> {
  for (;;) {
    const name = `obj-${next++}`;
    const key = `/registry/configmaps/default/${name}`;
    const object: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { n: String(next) } };
    const created = await store.create(key, object);
    // Writes to a pipe are synchronous on Linux: once this returns the parent can read the line.
    process.stdout.write(`${key} ${created.object.metadata.resourceVersion}\n`);
  }
}

process.stdout.write('ready\n');
await Promise.all(Array.from({ length: inFlight }, writer));
