// `skiff kubeconfig --data-dir DIR`: prints the admin kubeconfig `skiff server` wrote into its data dir,
// so `skiff kubeconfig --data-dir D > ~/.kube/config` sets kubectl up (as `kubeadm kubeconfig user`
// or reading /etc/kubernetes/admin.conf would).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const usage = `usage: skiff kubeconfig --data-dir DIR

Prints <DIR>/admin.kubeconfig (written by \`skiff server --data-dir DIR\` once it serves) to stdout.

flags:
  --data-dir DIR   the server's data directory (required)
  -h, --help       show this help`;

export function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    return Promise.resolve();
  }
  const dataDir = values['data-dir'];
  if (!dataDir) return Promise.reject(new Error(`--data-dir is required\n\n${usage}`));
  const file = join(dataDir, 'admin.kubeconfig');
  if (!existsSync(file)) {
    return Promise.reject(new Error(`${file} does not exist: has \`skiff server --data-dir ${dataDir}\` started?`));
  }
  process.stdout.write(readFileSync(file, 'utf8'));
  return Promise.resolve();
}
