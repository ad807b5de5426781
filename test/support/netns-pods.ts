// Real Docker containers as the pods of a test "node" network namespace. Each container runs with
// `--network none` (so Docker adds no interface, bridge or iptables rule of its own) and is wired by the
// test: a veth pair made inside the node namespace, one end moved into the container's namespace and
// the other attached to a bridge the test made there. Nothing touches the machine's own network: the
// veths and the bridge live and die with the node namespace, the containers carry a per-run label and
// are removed by it, also after a failure.
import { runCommand } from '../../agent/proxy/run-command.js';
import type { Netns } from './netns.js';

/** The label every container made here carries, with the run id as value. */
export const podLabelKey = 'skiff-test';

export interface TestPod {
  /** What the pod's HTTP server answers with (its body), e.g. `pod-1`. */
  name: string;
  ip: string;
  containerId: string;
  pid: number;
}

/** Whether the local Docker engine answers and has the busybox test image. */
export async function dockerPodsSupported(image: string): Promise<boolean> {
  try {
    await runCommand({}, ['docker', 'image', 'inspect', image]);
    return true;
  } catch {
    return false;
  }
}

/**
 * A bridge `name` with `gatewayCidr` (e.g. 10.250.0.1/24) inside `node`, up, with forwarding on and
 * bridged IPv4 traffic passed to iptables: replies from one pod to another travel bridge-only, and must
 * still meet conntrack there to be un-DNATed (kube-proxy needs br_netfilter for the same reason).
 */
export async function createPodBridge(node: Netns, name: string, gatewayCidr: string): Promise<void> {
  await node.exec(['ip', 'link', 'add', name, 'type', 'bridge']);
  await node.exec(['ip', 'addr', 'add', gatewayCidr, 'dev', name]);
  await node.exec(['ip', 'link', 'set', name, 'up']);
  // Both are per network namespace and read/written from a process inside it; written only when not
  // already on, so a kernel where one of them were global is left exactly as it was.
  await node.exec(['sh', '-c', 'f=/proc/sys/net/ipv4/ip_forward; [ "$(cat $f)" = 1 ] || echo 1 > $f']);
  await node.exec(['sh', '-c', 'f=/proc/sys/net/bridge/bridge-nf-call-iptables; [ ! -e $f ] || [ "$(cat $f)" = 1 ] || echo 1 > $f']);
}

/**
 * Starts a container answering HTTP on `port` with its own `name`, and wires it into `node` behind
 * `bridge` at `ip`/`prefix`, with its default route via `gateway`. `index` names the veth pair.
 */
export async function startPod(opts: {
  runId: string;
  image: string;
  node: Netns;
  bridge: string;
  index: number;
  name: string;
  ip: string;
  prefix: number;
  gateway: string;
  port: number;
}): Promise<TestPod> {
  const { runId, image, node, bridge, index, name, ip, prefix, gateway, port } = opts;
  const script = `mkdir -p /tmp/www && echo ${name} > /tmp/www/index.html && exec httpd -f -p ${port} -h /tmp/www`;
  const containerId = (
    await runCommand({}, ['docker', 'run', '-d', '--network', 'none', '--label', `${podLabelKey}=${runId}`, image, 'sh', '-c', script])
  ).trim();
  const pid = Number((await runCommand({}, ['docker', 'inspect', '-f', '{{.State.Pid}}', containerId])).trim());
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`container ${containerId} has no pid (${pid})`);
  // Both ends are made inside the node namespace, so no interface ever appears in the machine's own.
  const nodeEnd = `vp${index}`;
  const podEnd = `vc${index}`;
  await node.exec(['ip', 'link', 'add', nodeEnd, 'type', 'veth', 'peer', 'name', podEnd]);
  await node.exec(['ip', 'link', 'set', podEnd, 'netns', String(pid)]);
  await node.exec(['ip', 'link', 'set', nodeEnd, 'master', bridge]);
  await node.exec(['ip', 'link', 'set', nodeEnd, 'up']);
  const inPod = (argv: string[]): Promise<string> => runCommand({}, ['nsenter', '-t', String(pid), '-n', ...argv]);
  await inPod(['ip', 'link', 'set', podEnd, 'name', 'eth0']);
  await inPod(['ip', 'addr', 'add', `${ip}/${prefix}`, 'dev', 'eth0']);
  await inPod(['ip', 'link', 'set', 'eth0', 'up']);
  await inPod(['ip', 'link', 'set', 'lo', 'up']);
  await inPod(['ip', 'route', 'add', 'default', 'via', gateway]);
  return { name, ip, containerId, pid };
}

/** Ids of every container (running or not) with this run's label. */
export async function podsLabelled(runId: string): Promise<string[]> {
  const out = await runCommand({}, ['docker', 'ps', '-aq', '--filter', `label=${podLabelKey}=${runId}`]);
  return out.split('\n').map((l) => l.trim()).filter(Boolean);
}

/** Force-removes every container with this run's label; safe to call twice. */
export async function removePodsLabelled(runId: string): Promise<void> {
  const ids = await podsLabelled(runId);
  if (ids.length > 0) await runCommand({}, ['docker', 'rm', '-f', ...ids]);
}

export interface HttpProbeResult {
  /** Requests answered, by body (the answering pod's name). */
  answers: Record<string, number>;
  /** Failed requests, by error code (ECONNREFUSED, TIMEOUT, EMPTY, ...). */
  errors: Record<string, number>;
}

// Sequential HTTP/1.0 GETs, each on a fresh connection (a new flow, so a new load-balancing choice),
// each bounded by timeoutMs; prints a JSON summary of bodies and errors.
const httpClientScript = `
const net = require('node:net');
const [host, port, count, timeoutMs] = process.argv.slice(1).map((v, i) => i === 0 ? v : Number(v));
const answers = {}, errors = {};
const once = () => new Promise((resolve) => {
  const s = net.connect({ host, port });
  let data = '';
  let finished = false;
  const done = (key, map) => { if (finished) return; finished = true; map[key] = (map[key] || 0) + 1; s.destroy(); resolve(); };
  s.setTimeout(timeoutMs, () => done('TIMEOUT', errors));
  s.on('connect', () => s.write('GET / HTTP/1.0\\r\\nHost: x\\r\\n\\r\\n'));
  s.on('data', (d) => { data += d; });
  s.on('end', () => {
    const body = data.split('\\r\\n\\r\\n').slice(1).join('').trim();
    if (body) done(body, answers); else done('EMPTY', errors);
  });
  s.on('error', (e) => done(e.code || String(e), errors));
});
(async () => {
  for (let i = 0; i < count; i++) await once();
  console.log(JSON.stringify({ answers, errors }));
})();
`;

/** `count` HTTP GETs from inside `ns` (a node program run there) to host:port. */
export async function httpProbeFromNetns(ns: Netns, host: string, port: number, count: number, timeoutMs = 3000): Promise<HttpProbeResult> {
  const out = await ns.exec([process.execPath, '-e', httpClientScript, host, String(port), String(count), String(timeoutMs)]);
  return JSON.parse(out) as HttpProbeResult;
}

/**
 * `count` HTTP GETs from inside a pod's container (busybox nc through `docker exec`) to host:port,
 * each bounded by `timeoutSec`. Each answer's last line is its body.
 */
export async function httpProbeFromPod(pod: TestPod, host: string, port: number, count: number, timeoutSec = 3): Promise<HttpProbeResult> {
  const loop =
    `i=0; while [ $i -lt ${count} ]; do i=$((i+1)); ` +
    `r=$(printf 'GET / HTTP/1.0\\r\\nHost: x\\r\\n\\r\\n' | timeout ${timeoutSec + 2} nc -w ${timeoutSec} ${host} ${port} 2>/dev/null | tail -n 1); ` +
    `echo "R:$r"; done`;
  const out = await runCommand({}, ['docker', 'exec', pod.containerId, 'sh', '-c', loop]);
  const result: HttpProbeResult = { answers: {}, errors: {} };
  for (const line of out.split('\n')) {
    if (!line.startsWith('R:')) continue;
    const body = line.slice(2).trim();
    const [key, map] = body ? [body, result.answers] : ['EMPTY', result.errors];
    map[key] = (map[key] ?? 0) + 1;
  }
  return result;
}
