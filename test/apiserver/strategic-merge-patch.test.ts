import { describe, expect, it } from 'vitest';
import { getDefinition } from '../../api/schema/index.js';
import { applyStrategicMergePatch } from '../../control-plane/apiserver/patch/strategic-merge-patch.js';

const podSchema = { type: 'ref', ref: 'io.k8s.api.core.v1.Pod' } as const;
const serviceSchema = { type: 'ref', ref: 'io.k8s.api.core.v1.Service' } as const;

function pod(spec: Record<string, unknown>, metadata: Record<string, unknown> = { name: 'p' }): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
}

const base = pod(
  {
    containers: [
      { name: 'a', image: 'a:1', ports: [{ containerPort: 80, name: 'http' }], env: [{ name: 'X', value: '1' }, { name: 'Y', value: '2' }], volumeMounts: [{ name: 'v', mountPath: '/data' }] },
      { name: 'b', image: 'b:1' },
    ],
    volumes: [{ name: 'v', emptyDir: {} }],
  },
  { name: 'p', labels: { app: 'p' }, finalizers: ['f1'] },
);

interface Case {
  name: string;
  patch: Record<string, unknown>;
  check: (result: any) => void;
}

const cases: Case[] = [
  {
    name: 'merges containers by name',
    patch: { spec: { containers: [{ name: 'b', image: 'b:2' }] } },
    check: (r) => expect(r.spec.containers.map((c: any) => `${c.name}:${c.image}`)).toEqual(['a:a:1', 'b:b:2']),
  },
  {
    name: 'appends a container with a new name',
    patch: { spec: { containers: [{ name: 'c', image: 'c:1' }] } },
    check: (r) => expect(r.spec.containers.map((c: any) => c.name)).toEqual(['a', 'b', 'c']),
  },
  {
    name: 'deletes a container with $patch: delete',
    patch: { spec: { containers: [{ name: 'a', $patch: 'delete' }] } },
    check: (r) => expect(r.spec.containers.map((c: any) => c.name)).toEqual(['b']),
  },
  {
    name: 'merges env by name inside a merged container',
    patch: { spec: { containers: [{ name: 'a', env: [{ name: 'Y', value: '3' }, { name: 'Z', value: '4' }] }] } },
    check: (r) => expect(r.spec.containers[0].env).toEqual([{ name: 'X', value: '1' }, { name: 'Y', value: '3' }, { name: 'Z', value: '4' }]),
  },
  {
    name: 'merges ports by containerPort',
    patch: { spec: { containers: [{ name: 'a', ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443 }] }] } },
    check: (r) => expect(r.spec.containers[0].ports).toEqual([{ containerPort: 80, name: 'http', protocol: 'TCP' }, { containerPort: 443 }]),
  },
  {
    name: 'merges volumeMounts by mountPath and volumes by name',
    patch: { spec: { volumes: [{ name: 'w', emptyDir: {} }], containers: [{ name: 'a', volumeMounts: [{ name: 'w', mountPath: '/w' }] }] } },
    check: (r) => {
      expect(r.spec.volumes.map((v: any) => v.name)).toEqual(['v', 'w']);
      expect(r.spec.containers[0].volumeMounts.map((m: any) => m.mountPath)).toEqual(['/data', '/w']);
    },
  },
  {
    name: 'replaces a whole list with $patch: replace',
    patch: { spec: { containers: [{ name: 'only', image: 'o' }, { $patch: 'replace' }] } },
    check: (r) => expect(r.spec.containers).toEqual([{ name: 'only', image: 'o' }]),
  },
  {
    name: 'replaces a map with $patch: replace',
    patch: { metadata: { labels: { new: 'x', $patch: 'replace' } } },
    check: (r) => expect(r.metadata.labels).toEqual({ new: 'x' }),
  },
  {
    name: 'deletes a key given null',
    patch: { metadata: { labels: { app: null } } },
    check: (r) => expect(r.metadata.labels).toEqual({}),
  },
  {
    name: 'merges finalizers as a set',
    patch: { metadata: { finalizers: ['f2', 'f1'] } },
    check: (r) => expect(r.metadata.finalizers).toEqual(['f1', 'f2']),
  },
  {
    name: 'removes from a primitive list with $deleteFromPrimitiveList',
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['f1'] } },
    check: (r) => expect(r.metadata.finalizers).toEqual([]),
  },
  {
    name: 'orders a merged list by $setElementOrder',
    patch: { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }], containers: [{ name: 'a', image: 'a:2' }] } },
    check: (r) => expect(r.spec.containers.map((c: any) => `${c.name}:${c.image}`)).toEqual(['b:b:1', 'a:a:2']),
  },
  {
    name: 'keeps only $retainKeys in a map',
    patch: { spec: { volumes: [{ name: 'v', hostPath: { path: '/h' }, $retainKeys: ['name', 'hostPath'] }] } },
    check: (r) => expect(r.spec.volumes).toEqual([{ name: 'v', hostPath: { path: '/h' } }]),
  },
  {
    name: 'replaces lists without a merge strategy (args)',
    patch: { spec: { containers: [{ name: 'b', args: ['x'] }] } },
    check: (r) => expect(r.spec.containers[1].args).toEqual(['x']),
  },
];

describe('applyStrategicMergePatch with the Pod schema', () => {
  for (const c of cases) {
    it(c.name, () => {
      const result = applyStrategicMergePatch(base, c.patch, podSchema, getDefinition);
      c.check(result);
    });
  }

  it('never changes the original', () => {
    const copy = structuredClone(base);
    for (const c of cases) applyStrategicMergePatch(base, c.patch, podSchema, getDefinition);
    expect(base).toEqual(copy);
  });

  it('merges service ports by port', () => {
    const svc = { spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443 }] } };
    const result = applyStrategicMergePatch(svc, { spec: { ports: [{ port: 80, targetPort: 9090 }] } }, serviceSchema, getDefinition) as any;
    expect(result.spec.ports).toEqual([{ port: 80, targetPort: 9090 }, { port: 443 }]);
  });

  it('behaves as a merge patch where the schema knows nothing', () => {
    const result = applyStrategicMergePatch({ a: [1, 2], b: { c: 1 } }, { a: [3], b: { d: 2 } }, undefined, getDefinition);
    expect(result).toEqual({ a: [3], b: { c: 1, d: 2 } });
  });

  it('rejects an unknown $patch directive with 400', () => {
    expect(() => applyStrategicMergePatch(base, { spec: { $patch: 'explode' } }, podSchema, getDefinition)).toThrow(expect.objectContaining({ code: 400 }));
  });
});
