import { describe, expect, it } from 'vitest';
import {
  findUntoleratedTaint,
  nodeSelectorTermsMatch,
  podQOSClass,
  podRequests,
  toleratesTaint,
  type NodeSelectorTerm,
  type PodSpec,
  type Taint,
  type Toleration,
} from '../../api/index.js';

const node = { metadata: { name: 'node-1', labels: { zone: 'a', gpus: '4', 'kubernetes.io/os': 'linux' } } };

describe('nodeSelectorTermsMatch', () => {
  it.each<[string, NodeSelectorTerm[], boolean]>([
    ['In', [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }], true],
    ['In miss', [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] }], false],
    ['NotIn on absent label', [{ matchExpressions: [{ key: 'rack', operator: 'NotIn', values: ['1'] }] }], true],
    ['Exists', [{ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }], true],
    ['DoesNotExist', [{ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }], false],
    ['Gt', [{ matchExpressions: [{ key: 'gpus', operator: 'Gt', values: ['2'] }] }], true],
    ['Lt', [{ matchExpressions: [{ key: 'gpus', operator: 'Lt', values: ['2'] }] }], false],
    ['Gt on non-integer', [{ matchExpressions: [{ key: 'zone', operator: 'Gt', values: ['2'] }] }], false],
    ['AND inside a term', [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }, { key: 'gpus', operator: 'In', values: ['8'] }] }], false],
    ['OR across terms', [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z'] }] }, { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }] }], true],
    ['matchFields NotIn', [{ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['node-1'] }] }], false],
    ['empty term', [{}], false],
    ['no terms', [], false],
  ])('%s: %s', (_name, terms, want) => {
    expect(nodeSelectorTermsMatch(terms, node)).toBe(want);
  });
});

describe('taints and tolerations', () => {
  const taint: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
  it.each<[string, Toleration, boolean]>([
    ['exact Equal', { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }, true],
    ['default operator is Equal', { key: 'dedicated', value: 'gpu' }, true],
    ['wrong value', { key: 'dedicated', value: 'cpu' }, false],
    ['Exists on the key', { key: 'dedicated', operator: 'Exists' }, true],
    ['Exists on everything', { operator: 'Exists' }, true],
    ['other effect', { key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }, false],
    ['other key', { key: 'other', operator: 'Exists' }, false],
  ])('%s tolerates: %s', (_name, tol, want) => {
    expect(toleratesTaint(tol, taint)).toBe(want);
  });

  it('finds the first untolerated taint of the given effects', () => {
    const taints: Taint[] = [
      { key: 'soft', effect: 'PreferNoSchedule' },
      { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' },
      taint,
    ];
    expect(findUntoleratedTaint(taints, [{ key: 'dedicated', operator: 'Exists' }])).toEqual(taints[1]);
    expect(findUntoleratedTaint(taints, [{ operator: 'Exists' }])).toBeUndefined();
    expect(findUntoleratedTaint(taints, [], ['PreferNoSchedule'])).toEqual(taints[0]);
  });
});

describe('pod resources', () => {
  const spec = (over: Partial<PodSpec>): PodSpec => ({ containers: [], ...over });

  it('sums app containers, takes the largest init container, adds sidecars and overhead', () => {
    const s = spec({
      containers: [
        { name: 'a', resources: { requests: { cpu: '100m', memory: '64Mi' } } },
        { name: 'b', resources: { limits: { cpu: '200m' } } },
      ],
      initContainers: [
        { name: 'big-init', resources: { requests: { cpu: '1', memory: '32Mi' } } },
        { name: 'sidecar', restartPolicy: 'Always', resources: { requests: { cpu: '50m' } } },
        { name: 'late-init', resources: { requests: { cpu: '500m' } } },
      ],
      overhead: { cpu: '10m' },
    });
    const r = podRequests(s);
    expect(r.get('cpu')?.toString()).toBe('1010m');
    expect(r.get('memory')?.toString()).toBe('64Mi');
  });

  it('counts sidecars running beside a later init container', () => {
    const s = spec({
      containers: [{ name: 'a', resources: { requests: { cpu: '100m' } } }],
      initContainers: [
        { name: 'sidecar', restartPolicy: 'Always', resources: { requests: { cpu: '300m' } } },
        { name: 'init', resources: { requests: { cpu: '500m' } } },
      ],
    });
    expect(podRequests(s).get('cpu')?.toString()).toBe('800m');
  });

  it.each<[string, PodSpec, string]>([
    ['no resources', spec({ containers: [{ name: 'a' }] }), 'BestEffort'],
    ['limits only (requests follow)', spec({ containers: [{ name: 'a', resources: { limits: { cpu: '1', memory: '1Gi' } } }] }), 'Guaranteed'],
    ['requests equal limits', spec({ containers: [{ name: 'a', resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1000m', memory: '1024Mi' } } }] }), 'Guaranteed'],
    ['requests below limits', spec({ containers: [{ name: 'a', resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } } }] }), 'Burstable'],
    ['one container without limits', spec({ containers: [{ name: 'a', resources: { limits: { cpu: '1', memory: '1Gi' } } }, { name: 'b' }] }), 'Burstable'],
    ['memory limit only', spec({ containers: [{ name: 'a', resources: { limits: { memory: '1Gi' } } }] }), 'Burstable'],
  ])('QoS with %s is %s', (_name, s, want) => {
    expect(podQOSClass(s)).toBe(want);
  });
});
