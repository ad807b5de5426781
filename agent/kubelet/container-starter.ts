// Starting one attempt of a container, as upstream's startContainer: image, environment, config, create,
// start, then the postStart hook (whose failure kills the container, which then restarts per policy).
import type { Container, Pod } from '../../api/index.js';
import type { DeepPartial, PodSandboxConfig } from '../cri/types.js';
import { containerConfig } from './container-config.js';
import { ContainerConfigError, makeEnvironment } from './env.js';
import { podKey } from './labels.js';
import { runAction } from './probes/index.js';
import type { Waiting } from './status/index.js';
import type { SyncContext } from './sync-context.js';
import type { VolumePaths } from './volumes.js';

export interface StartInput {
  pod: Pod;
  container: Container;
  attempt: number;
  sandboxId: string;
  sandboxConfig: DeepPartial<PodSandboxConfig>;
  volumes: VolumePaths;
  podIP: string;
}

/** Undefined when started; otherwise why the container waits. */
export async function startContainer(ctx: SyncContext, input: StartInput): Promise<Waiting | undefined> {
  const { pod, container: c } = input;
  const uid = pod.metadata.uid ?? '';
  const img = await ctx.images.ensure(uid, c, ctx.clock.now());
  if (!img.ok) return img.waiting;
  let config;
  try {
    const env = await makeEnvironment(pod, c, { objects: ctx.objects, allocatable: ctx.allocatable, podIP: input.podIP, hostIP: ctx.hostIP });
    config = containerConfig({ pod, container: c, attempt: input.attempt, env, volumes: input.volumes, image: c.image ?? '' });
  } catch (err) {
    if (err instanceof ContainerConfigError || err instanceof Error) return { reason: 'CreateContainerConfigError', message: err.message };
    throw err;
  }
  let id: string;
  try {
    id = (await ctx.runtime.createContainer({ pod_sandbox_id: input.sandboxId, config, sandbox_config: input.sandboxConfig })).container_id;
  } catch (err) {
    return { reason: 'CreateContainerError', message: err instanceof Error ? err.message : String(err) };
  }
  try {
    await ctx.runtime.startContainer({ container_id: id });
  } catch (err) {
    ctx.log.warn({ pod: podKey(pod), container: c.name, err: String(err) }, 'starting container failed');
    return { reason: 'RunContainerError', message: err instanceof Error ? err.message : String(err) };
  }
  ctx.log.info({ pod: podKey(pod), container: c.name, attempt: input.attempt, id }, 'container started');
  const hook = c.lifecycle?.postStart;
  if (hook) {
    const grace = pod.spec?.terminationGracePeriodSeconds ?? 30;
    const out = await runAction(ctx.runtime, hook, { containerId: id, container: c, podIP: input.podIP }, grace);
    if (out.result === 'failure') {
      ctx.log.warn({ pod: podKey(pod), container: c.name, output: out.output }, 'postStart hook failed; killing the container');
      await ctx.runtime.stopContainer({ container_id: id, timeout: grace }).catch(() => undefined);
    }
  }
  return undefined;
}
