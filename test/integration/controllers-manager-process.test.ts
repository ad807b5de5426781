// `skiff controller-manager` as its own process (the built dist/) against a `skiff server` process: it
// reads the kubeconfig, runs the chosen controllers, and exits cleanly on SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment, Pod, ReplicaSet } from '../../api/index.js';
import { RestClient } from '../../client/index.js';
import { deploymentsResource, podsResource, replicaSetsResource } from '../../control-plane/controllers/resources.js';
import { skiffEntry, startSkiffServer, type SkiffServer } from '../support/skiff-server.js';
import { createNamespace, eventually, listIn, ns } from '../controllers/harness.js';

// From the same build as the server (dist/, or $SKIFF_TEST_ENTRY's).
const entry = join(dirname(skiffEntry), 'control-plane', 'cmd', 'controller-manager.js');

describe('skiff controller-manager process', () => {
  let server: SkiffServer | undefined;
  let client: RestClient;
  let child: ChildProcess | undefined;
  let output = '';

  beforeAll(async () => {
    server = await startSkiffServer();
    client = RestClient.fromKubeconfig(server.kubeconfigPath, { rateLimit: false });
  }, 90_000);

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const c = child;
      c.kill('SIGKILL');
      await new Promise((r) => c.once('exit', r));
    }
    client?.close();
    await server?.stop();
  });

  it('runs the chosen controllers against the server and stops on SIGTERM', async () => {
    const kubeconfig = (server as SkiffServer).kubeconfigPath;
    const code = `import(${JSON.stringify(entry)}).then((m) => m.main(['--kubeconfig', ${JSON.stringify(kubeconfig)}, '--controllers', 'rs,deployment,gc'])).catch((e) => { console.error(e); process.exit(1); })`;
    const proc = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    proc.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    proc.stderr?.on('data', (d: Buffer) => (output += d.toString()));

    const namespace = ns('cm');
    await createNamespace(client, namespace);
    const d: Deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'web:1' }] } } },
    };
    await client.create(deploymentsResource, d, { namespace });
    await eventually(async () => (await listIn<ReplicaSet>(client, replicaSetsResource, namespace)).length === 1, 60_000, `a ReplicaSet (controller-manager output: ${output})`);
    await eventually(async () => (await listIn<Pod>(client, podsResource, namespace)).length === 2, 60_000, 'two pods');
    expect(output).toContain('controllers started');

    const exited = new Promise<number | null>((r) => proc.once('exit', (c) => r(c)));
    proc.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
