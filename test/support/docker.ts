// Helpers for tests that drive the real Docker engine: one client, a per-run label to find everything a
// test made, removal by that label, and poll-until with a deadline (never fixed sleeps).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { startCriServer, CriClient, type CriServer, type DeepPartial, type PodSandboxConfig, type ContainerConfig } from '../../agent/cri/index.js';
import net from 'node:net';
import Dockerode from 'dockerode';
import { eventually } from './eventually.js';

/** The engine the tests use (DOCKER_HOST is not consulted: tests only ever touch the local socket). */
export const docker = new Dockerode({ socketPath: '/var/run/docker.sock' });

/** The user label key every test object carries; CRI stores it on Docker under this encoded key. */
export const testLabelKey = 'skiff-test';
export const encodedTestLabelKey = `io.skiff.label/${testLabelKey}`;

/** A fresh value for this run's label. */
export function newRunId(prefix = 'run'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/**
 * Force-removes every container carrying this run's label, whether made through the CRI (encoded key)
 * or directly with dockerode (plain key).
 */
export async function removeContainersLabelled(runId: string): Promise<number> {
  const seen = new Set<string>();
  for (const key of [encodedTestLabelKey, testLabelKey]) {
    const list = await docker.listContainers({ all: true, filters: { label: [`${key}=${runId}`] } });
    for (const c of list) seen.add(c.Id);
  }
  await Promise.all(
    [...seen].map((id) =>
      docker.getContainer(id).remove({ force: true, v: true }).catch((err: { statusCode?: number }) => {
        if (err.statusCode !== 404 && err.statusCode !== 409) throw err;
      }),
    ),
  );
  return seen.size;
}

/** Ids of the containers carrying this run's label (CRI-encoded or plain). */
export async function containersLabelled(runId: string): Promise<string[]> {
  const ids = new Set<string>();
  for (const key of [encodedTestLabelKey, testLabelKey]) {
    for (const c of await docker.listContainers({ all: true, filters: { label: [`${key}=${runId}`] } })) ids.add(c.Id);
  }
  return [...ids];
}

/** Polls faster than the default: CRI calls answer in milliseconds. */
export function waitFor<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000, intervalMs = 100): Promise<T> {
  return eventually(what, fn, timeoutMs, intervalMs);
}

// ---- a CRI server on a temp socket, for the cri-*.test.ts integration tests ----

/** A CRI server and client on a temp socket, with a temp log root; `cleanup` removes all of it. */
export interface CriHarness {
  runId: string;
  dir: string;
  socketPath: string;
  server: CriServer;
  client: CriClient;
  /** A sandbox config labelled with the run id, logs under the temp dir. */
  sandboxConfig(name: string, extra?: DeepPartial<PodSandboxConfig>): DeepPartial<PodSandboxConfig>;
  /** A container config on skiff/busybox:v1 labelled with the run id. */
  containerConfig(name: string, command: string[], extra?: DeepPartial<ContainerConfig>): DeepPartial<ContainerConfig>;
  /** Where the CRI log of `container` (attempt 0) of sandbox `name` is. */
  logPath(sandboxName: string, container: string): string;
  /** Starts another server on the same socket (after `server` was closed or killed). */
  restart(): Promise<void>;
  cleanup(): Promise<void>;
}

export async function startCriHarness(prefix: string): Promise<CriHarness> {
  const runId = newRunId(prefix);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `skiff-${prefix}-`));
  const socketPath = path.join(dir, 'run', 'cri.sock');
  const logger = pino({ level: process.env.SKIFF_TEST_LOG ?? 'silent' });
  const namespace = 'cri-test';
  const uid = (name: string): string => `${runId}-${name}`;
  const logDir = (name: string): string => path.join(dir, 'pods', `${namespace}_${name}_${uid(name)}`);
  const h: CriHarness = {
    runId,
    dir,
    socketPath,
    server: await startCriServer({ socketPath, logger, adoptSelector: { [testLabelKey]: runId } }),
    client: new CriClient(socketPath),
    sandboxConfig: (name, extra = {}) => ({
      metadata: { name, namespace, uid: uid(name), attempt: 0 },
      hostname: name,
      log_directory: logDir(name),
      labels: { [testLabelKey]: runId },
      ...extra,
    }),
    containerConfig: (name, command, extra = {}) => ({
      metadata: { name, attempt: 0 },
      image: { image: 'skiff/busybox:v1' },
      command,
      log_path: `${name}/0.log`,
      labels: { [testLabelKey]: runId },
      ...extra,
    }),
    logPath: (sandboxName, container) => path.join(logDir(sandboxName), container, '0.log'),
    async restart() {
      h.client.close();
      h.server = await startCriServer({ socketPath, logger, adoptSelector: { [testLabelKey]: runId } });
      h.client = new CriClient(socketPath);
    },
    async cleanup() {
      h.client.close();
      try {
        // Bounded: a server that cannot shut down must not keep the containers below alive.
        await Promise.race([h.server.close(), new Promise((r) => setTimeout(r, 15_000))]);
      } finally {
        await removeContainersLabelled(runId);
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  return h;
}

/** Runs a sandbox and starts one container per entry in it; returns the ids. */
export async function runPod(
  h: CriHarness,
  name: string,
  containers: { name: string; command: string[]; extra?: DeepPartial<ContainerConfig> }[],
  sandboxExtra?: DeepPartial<PodSandboxConfig>,
): Promise<{ sandboxId: string; containerIds: string[] }> {
  const sandbox_config = h.sandboxConfig(name, sandboxExtra);
  const { pod_sandbox_id: sandboxId } = await h.client.runPodSandbox({ config: sandbox_config });
  const containerIds: string[] = [];
  for (const c of containers) {
    const { container_id } = await h.client.createContainer({ pod_sandbox_id: sandboxId, sandbox_config, config: h.containerConfig(c.name, c.command, c.extra) });
    await h.client.startContainer({ container_id });
    containerIds.push(container_id);
  }
  return { sandboxId, containerIds };
}

/** A free TCP port on loopback, for host-port tests. */
export function freePortForTest(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
