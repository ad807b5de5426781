// Table-driven tests of the controllers' pure decisions: which pod goes first, template hashing and
// equality, rolling-update arithmetic, proportional scaling, port resolution and endpoint grouping.
import { describe, expect, it } from 'vitest';
import type { Deployment, Pod, ReplicaSet, Service } from '../../api/index.js';
import { FakeClock } from '../../client/index.js';
import { semanticJson } from '../../control-plane/controllers/canonical-json.js';
import { maxSurge, maxUnavailable } from '../../control-plane/controllers/deployment/deployment-util.js';
import { computeHash, equalIgnoreHash } from '../../control-plane/controllers/deployment/pod-template-hash.js';
import { newRSNewReplicas } from '../../control-plane/controllers/deployment/replica-sets.js';
import { proportionalSizes } from '../../control-plane/controllers/deployment/scale.js';
import { desiredSubsets } from '../../control-plane/controllers/endpoints/endpoints-controller.js';
import { desiredSlices } from '../../control-plane/controllers/endpoints/endpointslice-controller.js';
import { findPort } from '../../control-plane/controllers/endpoints/endpoint-pods.js';
import { Expectations } from '../../control-plane/controllers/expectations.js';
import { resolveControllerNames } from '../../control-plane/controllers/index.js';
import { podsToDelete } from '../../control-plane/controllers/replicaset/pod-ranking.js';

function pod(name: string, opts: { node?: string; phase?: Pod['status'] extends infer S ? (S extends { phase?: infer P } ? P : never) : never; ready?: boolean; readySince?: string; restarts?: number; created?: string; ip?: string; labels?: Record<string, string>; ports?: Array<{ name: string; containerPort: number; protocol?: 'TCP' | 'UDP' }>; deleting?: boolean } = {}): Pod {
  return {
    metadata: {
      name,
      namespace: 'ns',
      uid: `uid-${name}`,
      labels: opts.labels ?? { app: 'x' },
      creationTimestamp: opts.created ?? '2026-01-01T00:00:00Z',
      ...(opts.deleting ? { deletionTimestamp: '2026-01-01T00:10:00Z' } : {}),
    },
    spec: { ...(opts.node ? { nodeName: opts.node } : {}), containers: [{ name: 'c', image: 'i', ports: opts.ports ?? [] }] },
    status: {
      phase: opts.phase ?? 'Running',
      ...(opts.ip ? { podIP: opts.ip } : {}),
      conditions: [{ type: 'Ready', status: opts.ready ? 'True' : 'False', lastTransitionTime: opts.readySince ?? '2026-01-01T00:01:00Z' }],
      containerStatuses: [{ name: 'c', ready: !!opts.ready, restartCount: opts.restarts ?? 0, image: 'i', imageID: '' }],
    },
  };
}

describe('ReplicaSet deletion order', () => {
  const cases: Array<{ name: string; pods: Pod[]; first: string }> = [
    { name: 'unscheduled before scheduled', pods: [pod('bound', { node: 'n', ready: true }), pod('unbound', { ready: true })], first: 'unbound' },
    { name: 'pending before running', pods: [pod('running', { node: 'n' }), pod('pending', { node: 'n', phase: 'Pending' })], first: 'pending' },
    { name: 'not ready before ready', pods: [pod('ready', { node: 'n', ready: true }), pod('unready', { node: 'n' })], first: 'unready' },
    {
      name: 'ready for less time first',
      pods: [pod('old', { node: 'n', ready: true, readySince: '2026-01-01T00:01:00Z' }), pod('new', { node: 'm', ready: true, readySince: '2026-01-01T00:05:00Z' })],
      first: 'new',
    },
    { name: 'more restarts first', pods: [pod('calm', { node: 'n' }), pod('crashy', { node: 'm', restarts: 5 })], first: 'crashy' },
    {
      name: 'newer first',
      pods: [pod('older', { node: 'n', created: '2026-01-01T00:00:00Z' }), pod('younger', { node: 'm', created: '2026-01-01T00:09:00Z' })],
      first: 'younger',
    },
    { name: 'crowded node first', pods: [pod('alone', { node: 'n1' }), pod('crowded1', { node: 'n2', created: '2026-01-01T00:00:00Z' }), pod('crowded2', { node: 'n2', created: '2026-01-01T00:00:00Z' })], first: 'crowded2' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(podsToDelete(c.pods, c.pods, 1)[0]?.metadata.name).toBe(c.first);
    });
  }
});

describe('pod template hash and equality', () => {
  const t = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'web:1' }] } };
  it('is stable, uses the safe alphabet, and changes with the template or the collision count', () => {
    expect(computeHash(t)).toBe(computeHash(structuredClone(t)));
    expect(computeHash(t)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    expect(computeHash({ ...t, spec: { containers: [{ name: 'c', image: 'web:2' }] } })).not.toBe(computeHash(t));
    expect(computeHash(t, 1)).not.toBe(computeHash(t));
  });
  const equal: Array<[string, unknown, unknown, boolean]> = [
    ['ignores the pod-template-hash label', t, { ...t, metadata: { labels: { app: 'web', 'pod-template-hash': 'abc' } } }, true],
    ['ignores key order', t, { spec: t.spec, metadata: t.metadata }, true],
    ['treats null, {} and absent alike (Go zero values)', t, { metadata: { creationTimestamp: null, labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'web:1', resources: {} }] } }, true],
    ['sees an image change', t, { ...t, spec: { containers: [{ name: 'c', image: 'web:2' }] } }, false],
    ['sees an annotation change (rollout restart)', t, { ...t, metadata: { ...t.metadata, annotations: { 'kubectl.kubernetes.io/restartedAt': 'now' } } }, false],
  ];
  for (const [name, a, b, want] of equal) {
    it(name, () => {
      expect(equalIgnoreHash(a as never, b as never)).toBe(want);
    });
  }
  it('semanticJson keeps zeros that are values', () => {
    expect(semanticJson({ a: 0, b: false, c: '' })).toBe('{"a":0,"b":false,"c":""}');
  });
});

function deployment(replicas: number, surge: number | string, unavailable: number | string): Deployment {
  return {
    metadata: { name: 'd' },
    spec: {
      replicas,
      selector: {},
      template: {},
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } },
    },
  };
}

describe('rolling update fenceposts', () => {
  const cases: Array<[number, number | string, number | string, number, number]> = [
    // replicas, maxSurge, maxUnavailable -> surge, unavailable
    [3, '25%', '25%', 1, 0],
    [4, '25%', '25%', 1, 1],
    [10, '25%', '25%', 3, 2],
    [3, 0, 0, 0, 1],
    [3, 1, 5, 1, 3],
    [0, '25%', '25%', 0, 0],
  ];
  for (const [replicas, s, u, wantSurge, wantUnavailable] of cases) {
    it(`replicas ${replicas}, maxSurge ${s}, maxUnavailable ${u} -> ${wantSurge}/${wantUnavailable}`, () => {
      const d = deployment(replicas, s, u);
      expect(maxSurge(d)).toBe(wantSurge);
      expect(maxUnavailable(d)).toBe(wantUnavailable);
    });
  }
  it('Recreate allows neither surge nor unavailability', () => {
    const d: Deployment = { metadata: {}, spec: { replicas: 3, selector: {}, template: {}, strategy: { type: 'Recreate' } } };
    expect([maxSurge(d), maxUnavailable(d)]).toEqual([0, 0]);
  });
});

function rs(name: string, replicas: number, created: string, statusReplicas = replicas): ReplicaSet {
  return { metadata: { name, creationTimestamp: created }, spec: { replicas, selector: {} }, status: { replicas: statusReplicas } };
}

describe('new ReplicaSet size during a rollout', () => {
  const d = deployment(4, 1, 1);
  const cases: Array<[string, ReplicaSet[], number]> = [
    ['grows by the surge budget', [rs('old', 4, 'a'), rs('new', 0, 'b')], 1],
    ['never above replicas', [rs('old', 0, 'a'), rs('new', 3, 'b')], 4],
    ['waits while the total is at the maximum', [rs('old', 3, 'a'), rs('new', 2, 'b')], 2],
    ['counts pods an old ReplicaSet still has after being scaled down', [rs('old', 2, 'a', 4), rs('new', 1, 'b')], 1],
  ];
  for (const [name, all, want] of cases) {
    it(name, () => {
      expect(newRSNewReplicas(d, all, all[1] as ReplicaSet)).toBe(want);
    });
  }
});

describe('proportional scaling', () => {
  const withMax = (r: ReplicaSet, max: number): ReplicaSet => ({ ...r, metadata: { ...r.metadata, annotations: { 'deployment.kubernetes.io/max-replicas': String(max) } } });
  const cases: Array<[string, Deployment, ReplicaSet[], number[]]> = [
    // deployment 4 -> 8 replicas with maxSurge 1: every ReplicaSet grows by 9/5
    ['grows each ReplicaSet by the ratio of the new to the old maximum', deployment(8, 1, 0), [withMax(rs('old', 4, '1'), 5), withMax(rs('new', 1, '2'), 5)], [7, 2]],
    ['shrinks each ReplicaSet by that ratio', deployment(4, 1, 0), [withMax(rs('a', 6, '1'), 10), withMax(rs('b', 4, '2'), 10)], [3, 2]],
    ['rounding leftovers go to the largest (the newest on ties)', deployment(4, 0, 1), [withMax(rs('a', 1, '1'), 3), withMax(rs('b', 1, '2'), 3), withMax(rs('c', 1, '3'), 3)], [1, 1, 2]],
    ['scaling to zero empties every ReplicaSet', deployment(0, 1, 0), [withMax(rs('a', 3, '1'), 5), withMax(rs('b', 2, '2'), 5)], [0, 0]],
  ];
  for (const [name, d, active, want] of cases) {
    it(name, () => {
      const toAdd = ((d.spec?.replicas ?? 0) > 0 ? (d.spec?.replicas ?? 0) + maxSurge(d) : 0) - active.reduce((n, r) => n + (r.spec?.replicas ?? 0), 0);
      const sizes = proportionalSizes(d, active, toAdd);
      expect(active.map((r) => sizes.get(r))).toEqual(want);
    });
  }
});

describe('service port resolution', () => {
  const p = pod('p', { ports: [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }] });
  const cases: Array<[string, NonNullable<Service['spec']>['ports'] extends (infer P)[] | undefined ? P : never, number | undefined]> = [
    ['a number', { port: 80, targetPort: 9376 }, 9376],
    ['defaults to the service port', { port: 80 }, 80],
    ['a named container port', { port: 80, targetPort: 'http' }, 8080],
    ['a named port needs the same protocol', { port: 53, targetPort: 'dns' }, undefined],
    ['a named UDP port', { port: 53, protocol: 'UDP', targetPort: 'dns' }, 53],
    ['an unknown name', { port: 80, targetPort: 'nope' }, undefined],
  ];
  for (const [name, sp, want] of cases) {
    it(name, () => {
      expect(findPort(p, sp)).toBe(want);
    });
  }
});

describe('endpoint grouping', () => {
  const svc: Service = { metadata: { name: 's', namespace: 'ns', uid: 'svc' }, spec: { selector: { app: 'x' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } };
  const ports = [{ name: 'http', containerPort: 8080 }];
  it('leaves out pods without an IP and finished pods; keeps terminating pods only in slices', () => {
    const pods = [
      pod('ready', { ready: true, ip: '10.0.0.1', ports }),
      pod('noip', { ready: true, ports }),
      pod('done', { phase: 'Succeeded', ip: '10.0.0.2', ports }),
      pod('going', { ready: true, ip: '10.0.0.3', ports, deleting: true }),
    ];
    const slices = desiredSlices(svc, pods);
    expect(slices).toHaveLength(1);
    expect(slices[0]?.endpoints.map((e) => [e.targetRef?.name, e.conditions])).toEqual([
      ['going', { ready: false, serving: true, terminating: true }],
      ['ready', { ready: true, serving: true, terminating: false }],
    ]);
    expect(desiredSubsets(svc, pods)).toEqual([
      { addresses: [{ ip: '10.0.0.1', targetRef: { kind: 'Pod', namespace: 'ns', name: 'ready', uid: 'uid-ready' } }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] },
    ]);
  });
  it('splits slices at 100 endpoints', () => {
    const pods = Array.from({ length: 150 }, (_, i) => pod(`p${String(i).padStart(3, '0')}`, { ready: true, ip: `10.1.${Math.floor(i / 250)}.${(i % 250) + 1}`, ports }));
    expect(desiredSlices(svc, pods).map((s) => s.endpoints.length)).toEqual([100, 50]);
  });
  it('publishNotReadyAddresses makes every endpoint ready', () => {
    const s2: Service = { ...svc, spec: { ...svc.spec, publishNotReadyAddresses: true } };
    const pods = [pod('unready', { ip: '10.0.0.9', ports })];
    expect(desiredSlices(s2, pods)[0]?.endpoints[0]?.conditions).toEqual({ ready: true, serving: true, terminating: false });
    expect(desiredSubsets(s2, pods)[0]?.addresses?.[0]?.ip).toBe('10.0.0.9');
  });
});

describe('expectations', () => {
  it('are satisfied once every expected create and delete is observed, or after five minutes', () => {
    const clock = new FakeClock(0);
    const e = new Expectations(clock);
    expect(e.satisfied('k')).toBe(true);
    e.expectCreations('k', 2);
    e.creationObserved('k');
    expect(e.satisfied('k')).toBe(false);
    e.creationObserved('k');
    expect(e.satisfied('k')).toBe(true);
    e.expectDeletions('k', ['ns/a']);
    expect(e.satisfied('k')).toBe(false);
    clock.step(5 * 60 * 1000 + 1);
    expect(e.satisfied('k')).toBe(true);
  });
});

describe('--controllers names', () => {
  it('accepts names and aliases, defaults to all, and refuses unknown ones', () => {
    expect(resolveControllerNames(['rs', 'deployment', 'rs'])).toEqual(['replicaset', 'deployment']);
    expect(resolveControllerNames(undefined)).toContain('garbagecollector');
    expect(resolveControllerNames(['*']).length).toBe(resolveControllerNames(undefined).length);
    expect(() => resolveControllerNames(['bogus'])).toThrow(/unknown controller "bogus"/);
  });
});
