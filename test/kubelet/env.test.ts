import { describe, expect, it } from 'vitest';
import { expand } from '../../agent/kubelet/expansion.js';
import { makeEnvironment, expandArgs, ContainerConfigError } from '../../agent/kubelet/env.js';
import type { Pod } from '../../api/index.js';
import { MapObjects } from './support/harness.js';

const vars: Record<string, string> = { A: 'alpha', B: 'beta', EMPTY: '' };

describe('$(VAR) expansion', () => {
  it.each([
    ['plain', 'plain'],
    ['$(A)', 'alpha'],
    ['x-$(A)-$(B)-y', 'x-alpha-beta-y'],
    ['$(UNDEFINED)', '$(UNDEFINED)'],
    ['$$(A)', '$(A)'],
    ['$$', '$'],
    ['$A', '$A'],
    ['$(A', '$(A'],
    ['$(EMPTY)x', 'x'],
    ['trailing$', 'trailing$'],
  ])('%s → %s', (input, output) => {
    expect(expand(input, (n) => vars[n])).toBe(output);
  });
});

describe('container environment', () => {
  const pod: Pod = {
    metadata: { name: 'p', namespace: 'ns', uid: 'u1', labels: { app: 'x' } },
    spec: { nodeName: 'n1', serviceAccountName: 'sa', containers: [{ name: 'c', resources: { limits: { memory: '64Mi' }, requests: { cpu: '250m' } } }] },
  };

  it('resolves values, fieldRefs, resourceFieldRefs, ConfigMap and Secret keys and envFrom, in order', async () => {
    const objects = new MapObjects();
    objects.configMaps.set('ns/cm', { metadata: { name: 'cm' }, data: { k: 'v', other: 'o' } });
    objects.secrets.set('ns/s', { metadata: { name: 's' }, data: { pw: Buffer.from('secret').toString('base64') } });
    const env = await makeEnvironment(pod, {
      name: 'c',
      envFrom: [{ prefix: 'CM_', configMapRef: { name: 'cm' } }, { secretRef: { name: 's' } }],
      env: [
        { name: 'V', value: 'x-$(CM_k)' },
        { name: 'NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
        { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'requests.cpu', divisor: '1m' } } },
        { name: 'K', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k' } } },
        { name: 'OPT', valueFrom: { secretKeyRef: { name: 'absent', key: 'x', optional: true } } },
      ],
    }, { objects, allocatable: {}, podIP: '10.1.2.3', hostIP: '10.0.0.1' });
    expect(Object.fromEntries(env.map((e) => [e.name, e.value]))).toEqual({
      CM_k: 'v', CM_other: 'o', pw: 'secret', V: 'x-v', NAME: 'p', NODE: 'n1', APP: 'x', IP: '10.1.2.3', MEM: '64', CPU: '250', K: 'v',
    });
    expect(expandArgs(['echo', '$(NAME)', '$(NOPE)'], env)).toEqual(['echo', 'p', '$(NOPE)']);
  });

  it('fails with a config error for a missing key of an existing ConfigMap', async () => {
    const objects = new MapObjects();
    objects.configMaps.set('ns/cm', { metadata: { name: 'cm' }, data: {} });
    await expect(makeEnvironment(pod, { name: 'c', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k' } } }] }, { objects, allocatable: {}, podIP: '', hostIP: '' }))
      .rejects.toBeInstanceOf(ContainerConfigError);
  });
});
