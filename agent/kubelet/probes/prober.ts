// Runs one probe or lifecycle action against a container: exec through CRI ExecSync (with its timeout),
// httpGet to the pod IP (success 200-399), tcpSocket connect. Each is bounded by timeoutSeconds.
import http from 'node:http';
import net from 'node:net';
import type { Container, HTTPGetAction, LifecycleHandler, Probe } from '../../../api/index.js';
import type { RuntimeService } from '../runtime.js';

export type ProbeResult = 'success' | 'failure';

export interface ProbeOutcome {
  result: ProbeResult;
  /** Why it failed, for events and logs. */
  output: string;
}

export interface ProbeTarget {
  containerId: string;
  container: Container;
  podIP: string;
}

/** Resolves a named or numeric port against the container's ports. */
export function resolvePort(port: number | string, container: Container): number {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  const p = container.ports?.find((x) => x.name === port);
  if (!p) throw new Error(`port "${port}" not found in container ${container.name}`);
  return p.containerPort;
}

function httpProbe(action: HTTPGetAction, target: ProbeTarget, timeoutMs: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    let port: number;
    try {
      port = resolvePort(action.port, target.container);
    } catch (err) {
      resolve({ result: 'failure', output: String(err) });
      return;
    }
    const headers: Record<string, string> = { 'user-agent': 'kube-probe/1.33', accept: '*/*' };
    for (const h of action.httpHeaders ?? []) headers[h.name.toLowerCase()] = h.value;
    const p = action.path ?? '/';
    const req = http.request(
      { host: action.host || target.podIP, port, path: p.startsWith('/') ? p : `/${p}`, method: 'GET', headers, timeout: timeoutMs },
      (res) => {
        res.resume();
        const code = res.statusCode ?? 0;
        resolve(code >= 200 && code < 400 ? { result: 'success', output: '' } : { result: 'failure', output: `HTTP probe failed with statuscode: ${code}` });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`Get "http://${target.podIP}:${port}${p}": context deadline exceeded`)));
    req.on('error', (err) => resolve({ result: 'failure', output: err.message }));
    req.end();
  });
}

function tcpProbe(port: number | string, host: string | undefined, target: ProbeTarget, timeoutMs: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    let p: number;
    try {
      p = resolvePort(port, target.container);
    } catch (err) {
      resolve({ result: 'failure', output: String(err) });
      return;
    }
    const sock = net.connect({ host: host || target.podIP, port: p });
    const timer = setTimeout(() => {
      sock.destroy();
      resolve({ result: 'failure', output: `dial tcp ${target.podIP}:${p}: i/o timeout` });
    }, timeoutMs);
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.destroy();
      resolve({ result: 'success', output: '' });
    });
    sock.once('error', (err) => {
      clearTimeout(timer);
      resolve({ result: 'failure', output: err.message });
    });
  });
}

async function execProbe(runtime: RuntimeService, cmd: string[], target: ProbeTarget, timeoutSeconds: number): Promise<ProbeOutcome> {
  try {
    const r = await runtime.execSync({ container_id: target.containerId, cmd, timeout: timeoutSeconds });
    if (r.exit_code === 0) return { result: 'success', output: '' };
    return { result: 'failure', output: `command exited ${r.exit_code}: ${Buffer.from(r.stdout ?? '').toString()}${Buffer.from(r.stderr ?? '').toString()}` };
  } catch (err) {
    return { result: 'failure', output: err instanceof Error ? err.message : String(err) };
  }
}

/** Runs a probe or a lifecycle handler once. */
export async function runAction(runtime: RuntimeService, action: Probe | LifecycleHandler, target: ProbeTarget, timeoutSeconds: number): Promise<ProbeOutcome> {
  const timeoutMs = Math.max(1, timeoutSeconds) * 1000;
  if (action.exec) return execProbe(runtime, action.exec.command ?? [], target, Math.max(1, timeoutSeconds));
  if (action.httpGet) return httpProbe(action.httpGet, target, timeoutMs);
  if (action.tcpSocket) return tcpProbe(action.tcpSocket.port, action.tcpSocket.host, target, timeoutMs);
  if ('sleep' in action && action.sleep) {
    await new Promise((r) => setTimeout(r, Math.min(action.sleep!.seconds, timeoutSeconds) * 1000));
    return { result: 'success', output: '' };
  }
  return { result: 'failure', output: 'unsupported probe handler' };
}

/** The seam probe workers call: real probing, or a scripted fake in tests. */
export interface Prober {
  probe(probe: Probe, target: ProbeTarget): Promise<ProbeOutcome>;
}

/** Probes for real through the runtime and the network. */
export class RuntimeProber implements Prober {
  constructor(private readonly runtime: RuntimeService) {}

  probe(probe: Probe, target: ProbeTarget): Promise<ProbeOutcome> {
    return runAction(this.runtime, probe, target, probe.timeoutSeconds ?? 1);
  }
}
