import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, Pod } from '../../api/index.js';
import { RealClock } from '../../client/index.js';
import { jobsResource, podsResource } from '../../control-plane/controllers/resources.js';
import { createNamespace, eventually, listIn, ns, startControllerHarness, type ControllerHarness } from './harness.js';

function job(name: string, spec: Partial<NonNullable<Job['spec']>> = {}): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } }, ...spec },
  };
}

async function finish(h: ControllerHarness, pod: Pod, phase: 'Succeeded' | 'Failed'): Promise<void> {
  const fresh = await h.client.get<Pod>(podsResource, pod.metadata.name ?? '', { namespace: pod.metadata.namespace });
  const finishedAt = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  await h.client.updateStatus(podsResource, {
    ...fresh,
    status: {
      phase,
      containerStatuses: [{ name: 'c', ready: false, restartCount: 0, image: 'busybox', imageID: '', state: { terminated: { exitCode: phase === 'Succeeded' ? 0 : 1, finishedAt } } }],
    },
  });
}

const running = (pods: Pod[]): Pod[] => pods.filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed' && !p.metadata.deletionTimestamp);

describe('Job controller', () => {
  let h: ControllerHarness;
  beforeAll(async () => {
    h = await startControllerHarness(['job'], new RealClock(), { jobBackoffBaseMs: 50 });
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('runs parallelism pods until completions succeed, then is Complete with a completion time', async () => {
    const namespace = ns('job-ok');
    await createNamespace(h.client, namespace);
    await h.client.create(jobsResource, job('work', { completions: 3, parallelism: 2 }), { namespace });
    for (let done = 0; done < 3; done++) {
      const active = await eventually(async () => {
        const r = running(await listIn<Pod>(h.client, podsResource, namespace));
        return r.length === Math.min(2, 3 - done) ? r : undefined;
      }, 20_000, `active pods after ${done} successes`);
      expect(active[0]?.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Job', name: 'work', controller: true });
      await finish(h, active[0] as Pod, 'Succeeded');
    }
    const done = await eventually(async () => {
      const j = await h.client.get<Job>(jobsResource, 'work', { namespace });
      return j.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True') ? j : undefined;
    });
    expect(done.status).toMatchObject({ succeeded: 3, active: 0, failed: 0 });
    expect(done.status?.startTime).toBeTruthy();
    expect(done.status?.completionTime).toBeTruthy();
    expect(await listIn<Pod>(h.client, podsResource, namespace)).toHaveLength(3);
  });

  it('re-creates failed pods and fails the job once failures exceed backoffLimit', async () => {
    const namespace = ns('job-fail');
    await createNamespace(h.client, namespace);
    await h.client.create(jobsResource, job('flaky', { backoffLimit: 1 }), { namespace });
    for (let failures = 0; failures < 2; failures++) {
      const [pod] = await eventually(async () => {
        const r = running(await listIn<Pod>(h.client, podsResource, namespace));
        return r.length === 1 ? r : undefined;
      }, 20_000, `a running pod after ${failures} failures`);
      await finish(h, pod as Pod, 'Failed');
    }
    const failed = await eventually(async () => {
      const j = await h.client.get<Job>(jobsResource, 'flaky', { namespace });
      return j.status?.conditions?.some((c) => c.type === 'Failed' && c.status === 'True') ? j : undefined;
    });
    expect(failed.status?.conditions?.find((c) => c.type === 'Failed')?.reason).toBe('BackoffLimitExceeded');
    expect(failed.status).toMatchObject({ failed: 2, active: 0 });
    await new Promise((r) => setTimeout(r, 300));
    expect(running(await listIn<Pod>(h.client, podsResource, namespace))).toHaveLength(0);
  });

  it('fails a job that runs past activeDeadlineSeconds and deletes its pods', async () => {
    const namespace = ns('job-deadline');
    await createNamespace(h.client, namespace);
    await h.client.create(jobsResource, job('slow', { activeDeadlineSeconds: 1, parallelism: 2, completions: 2 }), { namespace });
    await eventually(async () => running(await listIn<Pod>(h.client, podsResource, namespace)).length === 2);
    const failed = await eventually(async () => {
      const j = await h.client.get<Job>(jobsResource, 'slow', { namespace });
      return j.status?.conditions?.find((c) => c.type === 'Failed' && c.status === 'True');
    }, 20_000);
    expect(failed.reason).toBe('DeadlineExceeded');
    await eventually(async () => running(await listIn<Pod>(h.client, podsResource, namespace)).length === 0);
  });

  it('creates no pods while suspended', async () => {
    const namespace = ns('job-suspend');
    await createNamespace(h.client, namespace);
    await h.client.create(jobsResource, job('later', { suspend: true }), { namespace });
    await new Promise((r) => setTimeout(r, 500));
    expect(await listIn(h.client, podsResource, namespace)).toHaveLength(0);
    await h.client.patch(jobsResource, 'later', { spec: { suspend: false } }, { namespace });
    await eventually(async () => (await listIn(h.client, podsResource, namespace)).length === 1);
  });
});
