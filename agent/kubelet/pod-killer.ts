// Stopping a pod, as upstream's killPodWithSyncResult: each running container gets its preStop hook, then
// StopContainer with what is left of the grace period (SIGTERM, then SIGKILL by the runtime); then the
// sandboxes stop. Removal (containers, sandboxes, volumes) is a separate step for deleted pods and orphans.
import type { Container, Pod } from '../../api/index.js';
import { runAction } from './probes/index.js';
import { readPodState, type PodRuntimeState } from './runtime-state.js';
import type { SyncContext } from './sync-context.js';
import { tearDownVolumes } from './volumes.js';

/** Upstream's minimum grace for a container stop, in seconds. */
export const minimumGracePeriodSeconds = 2;

async function stopOne(ctx: SyncContext, pod: Pod | undefined, c: Container | undefined, id: string, podIP: string, graceSeconds: number): Promise<void> {
  const start = ctx.clock.now();
  const preStop = c?.lifecycle?.preStop;
  if (preStop && c && graceSeconds > 0) {
    const out = await runAction(ctx.runtime, preStop, { containerId: id, container: c, podIP }, graceSeconds);
    if (out.result === 'failure') ctx.log.warn({ pod: pod?.metadata.name, container: c.name, output: out.output }, 'preStop hook failed');
  }
  const left = graceSeconds - Math.floor((ctx.clock.now() - start) / 1000);
  await ctx.runtime.stopContainer({ container_id: id, timeout: Math.max(left, graceSeconds > 0 ? minimumGracePeriodSeconds : 0) }).catch((err: unknown) => {
    ctx.log.warn({ container: c?.name ?? id, err: String(err) }, 'stopping container failed');
  });
}

/** Stops every running container of the pod (preStop first), then its sandboxes. */
export async function killPod(ctx: SyncContext, uid: string, pod: Pod | undefined, graceSeconds: number, state?: PodRuntimeState): Promise<PodRuntimeState> {
  const st = state ?? (await readPodState(ctx.runtime, uid));
  const podIP = st.sandboxes[0]?.ip ?? '';
  const all = [...(pod?.spec?.containers ?? []), ...(pod?.spec?.initContainers ?? [])];
  const running = st.containers.filter((c) => c.state === 'CONTAINER_RUNNING' || c.state === 'CONTAINER_CREATED');
  await Promise.all(running.map((r) => stopOne(ctx, pod, all.find((c) => c.name === r.name), r.id, podIP, graceSeconds)));
  for (const s of st.sandboxes) {
    if (s.state === 'SANDBOX_READY') await ctx.runtime.stopPodSandbox({ pod_sandbox_id: s.id }).catch(() => undefined);
  }
  ctx.probes.removePod(uid);
  return readPodState(ctx.runtime, uid);
}

/** Removes the pod's containers, sandboxes and volumes from the node. */
export async function removePod(ctx: SyncContext, uid: string): Promise<void> {
  const st = await readPodState(ctx.runtime, uid);
  for (const c of st.containers) await ctx.runtime.removeContainer({ container_id: c.id }).catch(() => undefined);
  for (const s of st.sandboxes) await ctx.runtime.removePodSandbox({ pod_sandbox_id: s.id }).catch(() => undefined);
  tearDownVolumes(ctx.dataDir, uid);
  ctx.backoff.resetPrefix(`${uid}/`);
  ctx.images.forgetPod(uid);
}
