// The actual state of one pod in the runtime, read from the CRI by the pod uid label: its sandboxes (newest
// first, with the IP of the newest) and its containers with their full status. Every pod sync starts here,
// so the kubelet's decisions never rest on memory that a restart would lose.
import type { ContainerState, PodSandboxState } from '../cri/types.js';
import type { RuntimeService } from './runtime.js';
import { containerNameLabel, podUidLabel } from './labels.js';

export interface SandboxRecord {
  id: string;
  attempt: number;
  state: PodSandboxState;
  createdAtMs: number;
  /** Set for the newest sandbox only (from PodSandboxStatus); '' with host networking. */
  ip: string;
}

export interface ContainerRecord {
  id: string;
  sandboxId: string;
  name: string;
  attempt: number;
  state: ContainerState;
  createdAtMs: number;
  startedAtMs: number;
  finishedAtMs: number;
  exitCode: number;
  reason: string;
  message: string;
  image: string;
  imageRef: string;
}

export interface PodRuntimeState {
  /** Newest first. */
  sandboxes: SandboxRecord[];
  containers: ContainerRecord[];
}

/** Nanoseconds since the epoch (decimal string) to milliseconds. */
export function nanosToMs(ns: string | undefined): number {
  if (!ns || ns === '0') return 0;
  return Number(BigInt(ns) / 1_000_000n);
}

/** Reads the pod's sandboxes and containers from the runtime. */
export async function readPodState(runtime: RuntimeService, uid: string): Promise<PodRuntimeState> {
  const selector = { [podUidLabel]: uid };
  const [sbs, cts] = await Promise.all([
    runtime.listPodSandbox({ filter: { label_selector: selector } }),
    runtime.listContainers({ filter: { label_selector: selector } }),
  ]);
  const sandboxes: SandboxRecord[] = sbs.items
    .map((s) => ({ id: s.id, attempt: s.metadata?.attempt ?? 0, state: s.state, createdAtMs: nanosToMs(s.created_at), ip: '' }))
    .sort((a, b) => b.attempt - a.attempt || b.createdAtMs - a.createdAtMs);
  const newest = sandboxes[0];
  if (newest && newest.state === 'SANDBOX_READY') {
    try {
      const st = await runtime.podSandboxStatus({ pod_sandbox_id: newest.id });
      newest.ip = st.status?.network?.ip ?? '';
    } catch {
      // Gone between list and status: the next relist will show it.
    }
  }
  const containers: ContainerRecord[] = [];
  await Promise.all(
    cts.containers.map(async (c) => {
      const rec: ContainerRecord = {
        id: c.id,
        sandboxId: c.pod_sandbox_id,
        name: c.labels[containerNameLabel] ?? c.metadata?.name ?? '',
        attempt: c.metadata?.attempt ?? 0,
        state: c.state,
        createdAtMs: nanosToMs(c.created_at),
        startedAtMs: 0,
        finishedAtMs: 0,
        exitCode: 0,
        reason: '',
        message: '',
        image: c.image?.image ?? '',
        imageRef: c.image_ref,
      };
      try {
        const st = (await runtime.containerStatus({ container_id: c.id })).status;
        if (st) {
          rec.state = st.state;
          rec.startedAtMs = nanosToMs(st.started_at);
          rec.finishedAtMs = nanosToMs(st.finished_at);
          rec.exitCode = st.exit_code;
          rec.reason = st.reason;
          rec.message = st.message;
          rec.imageRef = st.image_ref || rec.imageRef;
        }
      } catch {
        return; // removed meanwhile
      }
      containers.push(rec);
    }),
  );
  return { sandboxes, containers };
}

/** The containers named `name`, newest attempt first. */
export function attemptsOf(state: PodRuntimeState, name: string, sandboxId?: string): ContainerRecord[] {
  return state.containers
    .filter((c) => c.name === name && (sandboxId === undefined || c.sandboxId === sandboxId))
    .sort((a, b) => b.attempt - a.attempt || b.createdAtMs - a.createdAtMs);
}

/** The next attempt number for container `name`: one past the highest seen in any sandbox. */
export function nextAttempt(state: PodRuntimeState, name: string): number {
  const all = attemptsOf(state, name);
  return all.length ? all[0]!.attempt + 1 : 0;
}
