import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/object.js';
import { validate } from '../../api/validation/index.js';
import { configMapsR, eventsR, eventsV1R, leasesR, namespacesR, node, nodesR, secretsR, serviceAccountsR, summary } from './fixtures.js';

function expectError(errs: ReturnType<typeof validate>, want: string): void {
  expect(summary(errs)).toEqual(expect.arrayContaining([expect.stringContaining(want)]));
}

describe('validate nodes and namespaces', () => {
  it('accepts a valid node', () => {
    expect(validate(nodesR, node())).toEqual([]);
  });

  it.each<[string, (n: Record<string, any>) => void, string]>([ // eslint-disable-line @typescript-eslint/no-explicit-any
    ['bad taint effect', (n) => (n.spec.taints[0].effect = 'NoRun'), 'spec.taints[0].effect: Unsupported value: "NoRun": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"'],
    ['missing taint effect', (n) => delete n.spec.taints[0].effect, 'spec.taints[0].effect: Required value'],
    ['bad taint key', (n) => (n.spec.taints[0].key = 'a b'), 'spec.taints[0].key: Invalid value: "a b"'],
    ['duplicate taint', (n) => n.spec.taints.push({ key: 'dedicated', value: 'x', effect: 'NoSchedule' }), 'spec.taints[1]: Duplicate value'],
    ['bad podCIDR', (n) => (n.spec.podCIDR = '10.244.1.0'), 'spec.podCIDR: Invalid value: "10.244.1.0": must be a valid CIDR value'],
    ['bad capacity', (n) => (n.status.capacity.cpu = 'two'), 'status.capacity[cpu]: Invalid value: "two": quantities must match'],
    ['bad address', (n) => (n.status.addresses[0].address = 'x.y'), 'status.addresses[0].address: Invalid value: "x.y"'],
  ])('rejects a node with %s', (_name, mutate, want) => {
    const n = node();
    mutate(n as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any
    expectError(validate(nodesR, n), want);
  });

  it('validates namespaces', () => {
    expect(validate(namespacesR, { metadata: { name: 'team-a' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } })).toEqual([]);
    expectError(validate(namespacesR, { metadata: { name: 'team-a' }, status: { phase: 'Gone' } }), 'status.phase: Unsupported value: "Gone"');
  });
});

describe('validate ConfigMaps, Secrets, ServiceAccounts', () => {
  it.each<[string, KubeObject]>([
    ['configmap', { metadata: { name: 'c', namespace: 'd' }, data: { 'app.properties': 'x', KEY_1: 'y' }, binaryData: { blob: 'aGVsbG8=' } }],
    ['secret', { metadata: { name: 's', namespace: 'd' }, type: 'Opaque', data: { password: 'c2VjcmV0' } }],
    ['tls secret', { metadata: { name: 's', namespace: 'd' }, type: 'kubernetes.io/tls', data: { 'tls.crt': 'eA==', 'tls.key': 'eQ==' } }],
    ['service account', { metadata: { name: 'default', namespace: 'd' }, secrets: [{ name: 'tok' }] }],
  ])('accepts a valid %s', (kind, obj) => {
    const r = kind === 'configmap' ? configMapsR : kind === 'service account' ? serviceAccountsR : secretsR;
    expect(validate(r, obj)).toEqual([]);
  });

  it.each<[string, typeof configMapsR, KubeObject, string]>([
    ['configmap key with slash', configMapsR, { metadata: { name: 'c', namespace: 'd' }, data: { 'a/b': 'x' } }, "data[a/b]: Invalid value: \"a/b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.'"],
    ['configmap key ..', configMapsR, { metadata: { name: 'c', namespace: 'd' }, data: { '..x': 'x' } }, "data[..x]: Invalid value: \"..x\": must not start with '..'"],
    ['configmap duplicate key', configMapsR, { metadata: { name: 'c', namespace: 'd' }, data: { a: 'x' }, binaryData: { a: 'eA==' } }, 'binaryData[a]: Invalid value: "a": duplicate of key present in data'],
    ['secret bad base64', secretsR, { metadata: { name: 's', namespace: 'd' }, data: { a: 'not base64!' } }, 'data[a]: Invalid value: "<secret contents redacted>": must be a valid base64 string'],
    ['secret bad key', secretsR, { metadata: { name: 's', namespace: 'd' }, data: { 'a b': 'eA==' } }, 'data[a b]: Invalid value: "a b"'],
    ['tls secret missing key', secretsR, { metadata: { name: 's', namespace: 'd' }, type: 'kubernetes.io/tls', data: { 'tls.crt': 'eA==' } }, 'data[tls.key]: Required value'],
    ['token secret without SA annotation', secretsR, { metadata: { name: 's', namespace: 'd' }, type: 'kubernetes.io/service-account-token' }, 'metadata.annotations[kubernetes.io/service-account.name]: Required value'],
    ['service account bad secret name', serviceAccountsR, { metadata: { name: 'sa', namespace: 'd' }, secrets: [{ name: 'Bad' }] }, 'secrets[0].name: Invalid value: "Bad"'],
  ])('rejects a %s', (_name, r, obj, want) => {
    expectError(validate(r, obj), want);
  });

  it('never echoes secret data in errors', () => {
    const errs = validate(secretsR, { metadata: { name: 's', namespace: 'd' }, data: { a: 'hunter2!' } });
    expect(JSON.stringify(errs)).not.toContain('hunter2');
  });
});

describe('validate events and leases', () => {
  const coreEvent = (): KubeObject => ({
    metadata: { name: 'web.1', namespace: 'default' },
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web' },
    reason: 'Started',
    type: 'Normal',
    count: 1,
    source: { component: 'kubelet' },
  });
  const v1Event = (): KubeObject => ({
    metadata: { name: 'web.1', namespace: 'default' },
    eventTime: '2024-01-01T00:00:00.000000Z',
    reportingController: 'skiff.io/scheduler',
    reportingInstance: 'scheduler-1',
    action: 'Binding',
    reason: 'Scheduled',
    type: 'Normal',
    regarding: { kind: 'Pod', namespace: 'default', name: 'web' },
    note: 'ok',
  });

  it('accepts valid events of both APIs', () => {
    expect(validate(eventsR, coreEvent())).toEqual([]);
    expect(validate(eventsV1R, v1Event())).toEqual([]);
    expect(validate(eventsR, { ...coreEvent(), involvedObject: { kind: 'Node', name: 'n1', namespace: 'other' } })).toEqual([]);
  });

  it.each<[string, typeof eventsR, KubeObject, string]>([
    ['core event in another namespace', eventsR, { ...coreEvent(), involvedObject: { kind: 'Pod', namespace: 'other', name: 'web' } }, 'involvedObject.namespace: Invalid value: "other": does not match event.namespace'],
    ['core event bad type', eventsR, { ...coreEvent(), type: 'Fatal' }, 'type: Unsupported value: "Fatal": supported values: "Normal", "Warning"'],
    ['core event without involvedObject', eventsR, { metadata: { name: 'e', namespace: 'd' } }, 'involvedObject: Required value'],
    ['v1 event without controller', eventsV1R, { ...v1Event(), reportingController: '' }, 'reportingController: Required value'],
    ['v1 event without eventTime', eventsV1R, { ...v1Event(), eventTime: '' }, 'eventTime: Required value'],
    ['v1 event without action', eventsV1R, { ...v1Event(), action: undefined }, 'action: Required value'],
    ['v1 event long note', eventsV1R, { ...v1Event(), note: 'x'.repeat(2000) }, 'note: Too long: may not be more than 1024 bytes'],
    ['lease with zero duration', leasesR, { metadata: { name: 'node-1', namespace: 'kube-node-lease' }, spec: { leaseDurationSeconds: 0 } }, 'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0'],
    ['lease negative transitions', leasesR, { metadata: { name: 'node-1', namespace: 'kube-node-lease' }, spec: { leaseTransitions: -1 } }, 'spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0'],
  ])('rejects a %s', (_name, r, obj, want) => {
    expectError(validate(r, obj), want);
  });

  it('accepts a valid lease', () => {
    const lease: KubeObject = {
      metadata: { name: 'node-1', namespace: 'kube-node-lease' },
      spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: '2024-01-01T00:00:00.000000Z' },
    };
    expect(validate(leasesR, lease)).toEqual([]);
  });
});
