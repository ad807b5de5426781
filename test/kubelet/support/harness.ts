// A kubelet sync context over the FakeRuntime and a FakeClock, with recording status writer and deleter,
// and a scripted prober, for the kubelet's unit tests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { ConfigMap, Pod, PodStatus, Probe, Secret } from '../../../api/index.js';
import { FakeClock } from '../../../client/index.js';
import { Backoff } from '../../../agent/kubelet/backoff.js';
import { FakeRuntime } from '../../../agent/kubelet/fake-runtime.js';
import { ImagePuller } from '../../../agent/kubelet/image-puller.js';
import type { ObjectSource } from '../../../agent/kubelet/object-source.js';
import { PodManager, type PodDeleter } from '../../../agent/kubelet/pod-manager.js';
import { ProbeManager, type Prober, type ProbeOutcome, type ProbeTarget } from '../../../agent/kubelet/probes/index.js';
import { StatusManager, type StatusWriter } from '../../../agent/kubelet/status/index.js';
import type { SyncContext } from '../../../agent/kubelet/sync-context.js';

export class MapObjects implements ObjectSource {
  readonly configMaps = new Map<string, ConfigMap>();
  readonly secrets = new Map<string, Secret>();
  async configMap(ns: string, name: string): Promise<ConfigMap | undefined> {
    return this.configMaps.get(`${ns}/${name}`);
  }
  async secret(ns: string, name: string): Promise<Secret | undefined> {
    return this.secrets.get(`${ns}/${name}`);
  }
}

export class RecordingStatusWriter implements StatusWriter {
  readonly writes: { pod: string; status: PodStatus }[] = [];
  async patchStatus(pod: Pod, status: PodStatus): Promise<void> {
    this.writes.push({ pod: pod.metadata.name ?? '', status: structuredClone(status) });
  }
  last(): PodStatus | undefined {
    return this.writes[this.writes.length - 1]?.status;
  }
}

export class RecordingDeleter implements PodDeleter {
  readonly deleted: string[] = [];
  constructor(private readonly calls: string[]) {}
  async deletePod(pod: Pod): Promise<void> {
    this.deleted.push(pod.metadata.name ?? '');
    this.calls.push(`DeletePod ${pod.metadata.name ?? ''}`);
  }
}

/** Answers probes from a script: `results(containerName, probe)`. */
export class ScriptedProber implements Prober {
  readonly calls: string[] = [];
  constructor(public answer: (target: ProbeTarget, probe: Probe) => ProbeOutcome['result'] = () => 'success') {}
  async probe(probe: Probe, target: ProbeTarget): Promise<ProbeOutcome> {
    this.calls.push(target.container.name);
    return { result: this.answer(target, probe), output: '' };
  }
}

export interface Harness {
  clock: FakeClock;
  runtime: FakeRuntime;
  objects: MapObjects;
  prober: ScriptedProber;
  status: RecordingStatusWriter;
  deleter: RecordingDeleter;
  ctx: SyncContext;
  manager: PodManager;
  dataDir: string;
  cleanup(): void;
}

export function newHarness(): Harness {
  const clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
  const runtime = new FakeRuntime(clock);
  const objects = new MapObjects();
  const prober = new ScriptedProber();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-kubelet-unit-'));
  const log = pino({ level: process.env.SKIFF_TEST_LOG ?? 'silent' });
  let manager: PodManager | undefined;
  const ctx: SyncContext = {
    runtime,
    clock,
    backoff: new Backoff(clock),
    images: new ImagePuller(runtime, new Backoff(clock)),
    probes: new ProbeManager(clock, prober, (uid) => manager?.wake(uid)),
    objects,
    dataDir,
    logsRoot: path.join(dataDir, 'logs'),
    hostIP: '10.0.0.1',
    allocatable: { cpu: '4', memory: '8Gi' },
    log,
  };
  const status = new RecordingStatusWriter();
  const deleter = new RecordingDeleter(runtime.calls);
  manager = new PodManager(ctx, new StatusManager(status, log), deleter, { resyncMs: 60_000 });
  return { clock, runtime, objects, prober, status, deleter, ctx, manager, dataDir, cleanup: () => {
    manager?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  } };
}

let uidSeq = 0;

/** A pod bound to node-1 with busybox containers. */
export function makePod(name: string, spec: Partial<NonNullable<Pod['spec']>> = {}, meta: Partial<Pod['metadata']> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'ns', uid: `uid-${name}-${++uidSeq}`, ...meta },
    spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'skiff/busybox:v1' }], ...spec },
  };
}

/** Waits until the manager has no sync running (after fake clock steps and wakes). */
export async function settle(h: Harness): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setImmediate(r));
    await h.manager.workers.idle();
  }
}
