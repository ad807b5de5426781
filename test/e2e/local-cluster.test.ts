// A real cluster of three nodes on this machine, made by `hack/local-cluster.sh up 3`: each node a network
// namespace with its own Docker engine and agent, joined to the control plane on the host bridge. The
// test drives it with the real kubectl over HTTPS, sends bounded requests from inside the node namespaces
// and from pods, stops one node, and checks that `down` leaves nothing behind.
//
// The script owns fixed names (netns skiff-lc-node<i>, bridge skiff-lc0, /var/lib/skiff-lc, /run/skiff-lc),
// so a cluster left by an earlier interrupted run is taken down first. Traffic goes only to addresses on
// the bridge and inside the namespaces this script made.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { kubectlFor, type Kubectl } from '../support/kubectl.js';

const root = join(import.meta.dirname, '..', '..');
const script = join(root, 'hack', 'local-cluster.sh');
const kubeconfigPath = '/var/lib/skiff-lc/server/admin.kubeconfig';
const nodes = ['node1', 'node2', 'node3'] as const;
const nodeIP = (node: string): string => `10.250.0.${10 + Number(node.replace('node', ''))}`;
const netnsOf = (node: string): string => `/var/run/netns/skiff-lc-${node}`;
const ns = 'lc';
const logsDir = '/var/lib/skiff-lc/logs';

/** The end of every cluster log, printed after a failure: `down` removes the logs with everything else. */
function printLogTails(): void {
  if (!existsSync(logsDir)) return;
  for (const file of readdirSync(logsDir).sort()) {
    const lines = readFileSync(join(logsDir, file), 'utf8').trimEnd().split('\n').slice(-25);
    console.error(`--- ${logsDir}/${file} (last ${lines.length} lines)\n${lines.join('\n')}`);
  }
}

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion (killed after `timeoutMs`), never rejecting: the exit code tells. */
function run(argv: readonly string[], options: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<Ran> {
  return new Promise((resolve) => {
    const [cmd, ...args] = argv;
    const child = spawn(cmd as string, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ code: -1, stdout, stderr: `${stderr}\n${err.message}` });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

async function localCluster(args: readonly string[], timeoutMs: number, proxyMode: 'iptables' | 'nftables' = 'iptables'): Promise<string> {
  const r = await run([script, ...args], {
    timeoutMs,
    env: {
      // hack/test.sh has prepared the machine and built dist/ already.
      SKIFF_LC_SKIP_BUILD: existsSync(join(root, 'dist', 'skiff.js')) ? '1' : '0',
      SKIFF_LC_TOLERATION_SECONDS: '10',
      SKIFF_LC_PROXY_MODE: proxyMode,
    },
  });
  if (r.code !== 0) throw new Error(`local-cluster.sh ${args.join(' ')} exited ${r.code}\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
  return r.stdout;
}

const httpRequest = 'GET / HTTP/1.0\r\n\r\n';

/** One HTTP GET from inside a node's network namespace with busybox nc; the body's last line, or ''. */
async function getFromNode(node: string, ip: string, port: number): Promise<string> {
  const r = await run(['nsenter', `--net=${netnsOf(node)}`, 'timeout', '5', 'busybox', 'nc', ip, String(port)], { input: httpRequest, timeoutMs: 10_000 });
  return r.code === 0 ? (r.stdout.trim().split('\n').pop() ?? '').trim() : '';
}

function deployment(replicas: number): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'hello', namespace: ns },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'hello' } },
      template: {
        metadata: { labels: { app: 'hello' } },
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [{
            name: 'web',
            image: 'skiff/busybox:v1',
            imagePullPolicy: 'IfNotPresent',
            command: ['sh', '-c', 'mkdir -p /www && echo "hello from $POD_NAME" > /www/index.html && exec httpd -f -p 8080 -h /www'],
            env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
            ports: [{ name: 'http', containerPort: 8080 }],
            readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 2 },
          }],
        },
      },
    },
  });
}

const service = JSON.stringify({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'hello', namespace: ns },
  spec: { type: 'NodePort', selector: { app: 'hello' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
});

interface PodRow {
  name: string;
  node: string;
  ready: boolean;
  terminating: boolean;
}

// One cluster per proxy mode, one after the other. CI runs the default mode (iptables);
// SKIFF_E2E_PROXY_MODES=iptables,nftables runs both. The nftables mode passed here twice and once lost 4 of 9
// requests from a pod under the full suite's load, which later runs did not reproduce (see issue 5's note).
const proxyModes = (process.env['SKIFF_E2E_PROXY_MODES'] ?? 'iptables').split(',').map((m) => {
  if (m !== 'iptables' && m !== 'nftables') throw new Error(`SKIFF_E2E_PROXY_MODES: unknown mode "${m}"`);
  return m;
});
describe.each(proxyModes)('hack/local-cluster.sh: three nodes on one machine, proxy mode %s', (proxyMode) => {
  let kubectl: Kubectl | undefined;
  let clusterIP = '';
  let nodePort = 0;
  let failed = false;

  const pods = async (): Promise<PodRow[]> => {
    const list = JSON.parse(await kubectl!.ok(['get', 'pods', '-n', ns, '-l', 'app=hello', '-o', 'json'])) as {
      items: Array<{ metadata: { name: string; deletionTimestamp?: string }; spec: { nodeName?: string }; status: { conditions?: Array<{ type: string; status: string }> } }>;
    };
    return list.items.map((p) => ({
      name: p.metadata.name,
      node: p.spec.nodeName ?? '',
      ready: p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
      terminating: p.metadata.deletionTimestamp !== undefined,
    }));
  };
  const podNode = async (): Promise<Map<string, string>> => new Map((await pods()).map((p) => [p.name, p.node]));

  beforeAll(async () => {
    await localCluster(['down'], 180_000, proxyMode);
    await localCluster(['up', '3'], 600_000, proxyMode);
    kubectl = kubectlFor(kubeconfigPath);
  }, 900_000);

  beforeEach(({ onTestFailed }) => {
    onTestFailed(() => {
      // Now, while the logs exist: the last test and afterAll run `down`, which removes them.
      if (!failed) printLogTails();
      failed = true;
    });
  });

  afterAll(async () => {
    if (kubectl === undefined) printLogTails(); // up itself failed
    await kubectl?.cleanup();
    // Even after a failure: nothing of the cluster may outlive the test.
    await run([script, 'down'], { timeoutMs: 180_000 });
  }, 240_000);

  it('serves kubectl over HTTPS with the admin kubeconfig, and all three nodes are Ready', async () => {
    const kubeconfig = readFileSync(kubeconfigPath, 'utf8');
    expect(kubeconfig).toMatch(/server: https:\/\/10\.250\.0\.1:6443/);
    expect(kubeconfig).toMatch(/client-certificate-data:/);
    expect(await kubectl!.ok(['get', '--raw', '/readyz'])).toBe('ok');
    const out = await kubectl!.ok(['get', 'nodes', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Ready")].status} {end}']);
    expect(out.trim().split(' ').sort()).toEqual(nodes.map((n) => `${n}=True`));
    const ips = await kubectl!.ok(['get', 'nodes', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.addresses[?(@.type=="InternalIP")].address} {end}']);
    expect(ips.trim().split(' ').sort()).toEqual(nodes.map((n) => `${n}=${nodeIP(n)}`));
  });

  it('leaves a running cluster alone when up runs again', async () => {
    const pidFiles = ['/run/skiff-lc/server.pid', ...nodes.flatMap((n) => [`/run/skiff-lc/${n}/agent.pid`, `/run/skiff-lc/${n}/docker.pid`])];
    const before = pidFiles.map((f) => readFileSync(f, 'utf8').trim());
    await localCluster(['up', '3'], 300_000, proxyMode);
    expect(pidFiles.map((f) => readFileSync(f, 'utf8').trim())).toEqual(before);
    for (const pid of before) expect(existsSync(`/proc/${pid}`), `process ${pid}`).toBe(true);
    const names = (await run(['ip', 'netns', 'list'])).stdout.split('\n').filter((l) => l.startsWith('skiff-lc-'));
    expect(names.map((l) => l.split(' ')[0]).sort()).toEqual(nodes.map((n) => `skiff-lc-${n}`));
  }, 320_000);

  it('spreads a Deployment of 6 replicas over the 3 nodes', async () => {
    await kubectl!.ok(['create', 'namespace', ns]);
    await kubectl!.ok(['apply', '-f', '-'], { input: deployment(6) });
    await kubectl!.ok(['apply', '-f', '-'], { input: service });
    await kubectl!.ok(['rollout', 'status', 'deployment/hello', '-n', ns, '--timeout=240s'], { timeoutMs: 260_000 });
    const running = (await pods()).filter((p) => p.ready && !p.terminating);
    expect(running).toHaveLength(6);
    expect(new Set(running.map((p) => p.node))).toEqual(new Set(nodes));
    // The proxies route to what the EndpointSlices hold: wait until they hold all six.
    await eventually('6 ready endpoints for the Service', async () => {
      const ready = await kubectl!.ok(['get', 'endpointslices', '-n', ns, '-l', 'kubernetes.io/service-name=hello', '-o',
        'jsonpath={range .items[*].endpoints[?(@.conditions.ready==true)]}{.addresses[0]} {end}']);
      return ready.trim().split(' ').filter((a) => a !== '').length === 6;
    }, 60_000, 1000);
    clusterIP = (await kubectl!.ok(['get', 'service', 'hello', '-n', ns, '-o', 'jsonpath={.spec.clusterIP}'])).trim();
    nodePort = Number(await kubectl!.ok(['get', 'service', 'hello', '-n', ns, '-o', 'jsonpath={.spec.ports[0].nodePort}']));
    expect(clusterIP).toMatch(/^10\.\d+\.\d+\.\d+$/);
    expect(nodePort).toBeGreaterThanOrEqual(30000);
  }, 300_000);

  it('answers through the ClusterIP and every NodePort from every node, reaching pods on other nodes', async () => {
    const where = await podNode();
    const targets = [{ ip: clusterIP, port: 80 }, ...nodes.map((n) => ({ ip: nodeIP(n), port: nodePort }))];
    for (const node of nodes) {
      // The node's proxy syncs the endpoints shortly after they are ready: wait until the ClusterIP has
      // reached a pod on another node once, then count bounded requests.
      await eventually(`${node}: an answer through the ClusterIP from a pod on another node`, async () => {
        const served = where.get((await getFromNode(node, clusterIP, 80)).replace('hello from ', ''));
        return served !== undefined && served !== node;
      }, 60_000, 500);
      for (const target of targets) {
        const answers: string[] = [];
        for (let i = 0; i < 9; i++) answers.push(await getFromNode(node, target.ip, target.port));
        const bad = answers.filter((a) => !a.startsWith('hello from '));
        expect(bad, `${node} -> ${target.ip}:${target.port}: ${JSON.stringify(answers)}`).toEqual([]);
        // Nine picks among six pods, four of them elsewhere: all local only with probability (1/3)^9.
        const servedBy = new Set(answers.map((a) => where.get(a.replace('hello from ', ''))));
        expect([...servedBy].some((n) => n !== node), `${node} -> ${target.ip}:${target.port} served only by ${[...servedBy].join(',')}`).toBe(true);
      }
    }
  }, 300_000);

  it('answers through the ClusterIP and another node\'s NodePort from a pod on each node', async () => {
    const all = (await pods()).filter((p) => p.ready && !p.terminating);
    const where = new Map(all.map((p) => [p.name, p.node]));
    for (const node of nodes) {
      const client = all.find((p) => p.node === node);
      expect(client, `a pod on ${node}`).toBeDefined();
      const other = nodes.find((n) => n !== node) as string;
      const script = [
        `for i in 1 2 3 4 5 6; do printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 5 ${clusterIP} 80 | tail -n 1; done`,
        `for i in 1 2 3; do printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 5 ${nodeIP(other)} ${nodePort} | tail -n 1; done`,
      ].join('; ');
      const out = await kubectl!.ok(['exec', '-n', ns, client!.name, '--', 'sh', '-c', script], { timeoutMs: 120_000 });
      const answers = out.trim().split('\n').map((l) => l.trim());
      expect(answers, `from ${client!.name} on ${node}`).toHaveLength(9);
      for (const a of answers) expect(a, `from ${client!.name} on ${node}: ${JSON.stringify(answers)}`).toMatch(/^hello from hello-/);
      const servedBy = new Set(answers.map((a) => where.get(a.replace('hello from ', ''))));
      expect([...servedBy].some((n) => n !== node), `from ${node}: served only by ${[...servedBy].join(',')}`).toBe(true);
    }
  }, 300_000);

  it("marks a node whose agent and engine stopped NotReady and recreates its pods on the others", async () => {
    const lost = (await pods()).filter((p) => p.node === 'node3' && !p.terminating).map((p) => p.name);
    expect(lost.length).toBeGreaterThan(0);
    await localCluster(['stop-node', '3'], 120_000, proxyMode);
    // Upstream's grace period (40 s) without heartbeats, then Ready=Unknown.
    await eventually('node3 NotReady', async () => {
      const ready = await kubectl!.ok(['get', 'node', 'node3', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']);
      return ready.trim() !== 'True' && ready.trim() !== '';
    }, 180_000, 2000);
    // The unreachable taint evicts after the 10 s toleration the server gave the pods; the ReplicaSet
    // replaces them on node1 and node2.
    await eventually('6 ready pods on node1 and node2, none of the lost ones among them', async () => {
      const live = (await pods()).filter((p) => !p.terminating && p.ready);
      return live.length === 6 && live.every((p) => p.node !== 'node3' && !lost.includes(p.name));
    }, 240_000, 2000);
    const answer = await eventually('the ClusterIP answering from node1 after the move', async () => {
      const a = await getFromNode('node1', clusterIP, 80);
      return a.startsWith('hello from ') ? a : undefined;
    }, 60_000, 1000);
    expect(answer).toMatch(/^hello from hello-/);
  }, 480_000);

  it('down removes every process, namespace, link, rule, mount and directory it made', async () => {
    const pidFiles = ['/run/skiff-lc/server.pid', ...nodes.flatMap((n) => [`/run/skiff-lc/${n}/agent.pid`, `/run/skiff-lc/${n}/docker.pid`])];
    const pids = pidFiles.filter((f) => existsSync(f)).map((f) => Number(readFileSync(f, 'utf8').trim()));
    expect(pids.length).toBeGreaterThanOrEqual(5); // server, 3 agents minus node3's, 3 engines minus node3's

    await localCluster(['down'], 180_000, proxyMode);

    for (const pid of pids) expect(existsSync(`/proc/${pid}`), `process ${pid} still running`).toBe(false);
    expect((await run(['ip', 'netns', 'list'])).stdout).not.toMatch(/skiff-lc-/);
    expect((await run(['ip', '-o', 'link', 'show'])).stdout).not.toMatch(/skiff-lc/);
    // Both backends: the rule goes wherever the host's FORWARD chain is (a Docker engine may sit on either).
    for (const save of ['iptables-legacy-save', 'iptables-nft-save']) {
      expect((await run([save, '-t', 'filter'])).stdout, save).not.toMatch(/skiff-local-cluster|skiff-lc0/);
    }
    expect(readFileSync('/proc/mounts', 'utf8')).not.toMatch(/skiff-lc/);
    const leftovers = await run(['pgrep', '-af', '/run/skiff-lc/|/var/lib/skiff-lc/']);
    expect(leftovers.stdout.split('\n').filter((l) => l.trim() !== '' && !l.includes('pgrep'))).toEqual([]);
    expect(existsSync('/var/lib/skiff-lc')).toBe(false);
    expect(existsSync('/run/skiff-lc')).toBe(false);
  }, 240_000);
});
