import { describe, expect, it } from 'vitest';
import { builtinResources } from '../../api/resources.js';
import {
  allDefinitions,
  definitionForResource,
  fieldSchemaAt,
  findTypeErrors,
  findUnknownFields,
  getDefinition,
  type FieldSchema,
} from '../../api/schema/index.js';

const core = 'io.k8s.api.core.v1.';

function refsOf(schema: FieldSchema): string[] {
  if (schema.type === 'ref') return [schema.ref];
  if (schema.type === 'array') return refsOf(schema.items);
  if (schema.type === 'map') return refsOf(schema.values);
  return [];
}

describe('field schemas', () => {
  it('resolves every ref to a definition', () => {
    const dangling = allDefinitions().flatMap((d) =>
      Object.entries(d.properties).flatMap(([field, s]) =>
        refsOf(s).filter((r) => !getDefinition(r)).map((r) => `${d.name}.${field} -> ${r}`),
      ),
    );
    expect(dangling).toEqual([]);
  });

  it('has a definition with the served group/version/kind for every built-in resource', () => {
    for (const r of builtinResources) {
      const d = definitionForResource(r);
      expect(d.gvk, r.plural).toEqual({ group: r.group, version: r.version, kind: r.kind });
      expect(Object.keys(d.properties), r.plural).toEqual(expect.arrayContaining(['apiVersion', 'kind', 'metadata']));
    }
  });

  it('uses upstream definition names', () => {
    expect(getDefinition('io.k8s.api.core.v1.PodSpec')).toBeDefined();
    expect(getDefinition('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta')).toBeDefined();
    expect(getDefinition('io.k8s.api.apps.v1.DeploymentStrategy')).toBeDefined();
    expect(getDefinition('io.k8s.api.autoscaling.v1.Scale')?.gvk?.kind).toBe('Scale');
  });

  const pod = getDefinition(`${core}Pod`)!;
  const deployment = getDefinition('io.k8s.api.apps.v1.Deployment')!;
  const service = getDefinition(`${core}Service`)!;
  const node = getDefinition(`${core}Node`)!;

  it.each([
    [pod, 'spec.containers', 'name', 'merge'],
    [pod, 'spec.initContainers', 'name', 'merge'],
    [pod, 'spec.ephemeralContainers', 'name', 'merge'],
    [pod, 'spec.volumes', 'name', 'merge'],
    [pod, 'spec.containers.*.env', 'name', 'merge'],
    [pod, 'spec.containers.*.ports', 'containerPort', 'merge'],
    [pod, 'spec.containers.*.volumeMounts', 'mountPath', 'merge'],
    [pod, 'spec.imagePullSecrets', 'name', 'merge'],
    [pod, 'spec.hostAliases', 'ip', 'merge'],
    [pod, 'spec.topologySpreadConstraints', 'topologyKey', 'merge'],
    [pod, 'spec.tolerations', undefined, undefined],
    [pod, 'spec.containers.*.envFrom', undefined, undefined],
    [pod, 'status.conditions', 'type', 'merge'],
    [pod, 'metadata.ownerReferences', 'uid', 'merge'],
    [pod, 'metadata.finalizers', undefined, 'merge'],
    [deployment, 'spec.template.spec.containers', 'name', 'merge'],
    [deployment, 'status.conditions', 'type', 'merge'],
    [service, 'spec.ports', 'port', 'merge'],
    [node, 'status.conditions', 'type', 'merge'],
    [node, 'status.addresses', 'type', 'merge'],
    [node, 'spec.taints', undefined, undefined],
  ])('carries upstream strategic-merge metadata for %#: %s', (def, path, mergeKey, strategy) => {
    const schema = fieldSchemaAt(def, path.split('.'));
    expect(schema?.type).toBe('array');
    if (schema?.type !== 'array') return;
    expect(schema.mergeKey).toBe(mergeKey);
    expect(schema.patchStrategy).toBe(strategy);
  });

  it('marks pod volumes as merge,retainKeys', () => {
    const volumes = fieldSchemaAt(pod, ['spec', 'volumes']);
    expect(volumes?.type === 'array' && volumes.retainKeys).toBe(true);
  });

  it('returns undefined for a field the schema does not have', () => {
    expect(fieldSchemaAt(pod, ['spec', 'foo'])).toBeUndefined();
    expect(fieldSchemaAt(pod, ['spec', 'containers', '0', 'image'])).toEqual({ type: 'string' });
  });
});

describe('findUnknownFields', () => {
  const validPod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'x', labels: { a: 'b' }, managedFields: [{ manager: 'm', fieldsV1: { 'f:spec': {} } }] },
    spec: {
      containers: [{ name: 'a', image: 'busybox', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '1' } } }],
      volumes: [{ name: 'v', emptyDir: {} }],
    },
    status: { phase: 'Pending' },
  };

  it.each([
    ['a valid pod', validPod, []],
    ['spec.foo', { ...validPod, spec: { ...validPod.spec, foo: 1 } }, ['spec.foo']],
    ['a field inside a list element', { ...validPod, spec: { containers: [{ name: 'a', imagex: 'b' }] } }, ['spec.containers[0].imagex']],
    ['a top-level field', { ...validPod, extra: true }, ['extra']],
    ['a metadata field', { ...validPod, metadata: { name: 'x', nam: 'y' } }, ['metadata.nam']],
  ])('reports %s', (_name, value, expected) => {
    expect(findUnknownFields(`${core}Pod`, value)).toEqual(expected);
  });

  it('reports nothing for an unknown definition', () => {
    expect(findUnknownFields('io.k8s.api.nope.v1.Nope', { a: 1 })).toEqual([]);
  });
});

describe('findTypeErrors', () => {
  it.each([
    ['a string port number', { spec: { containers: [{ name: 'a', ports: [{ containerPort: '80' }] }] } }, [{ path: 'spec.containers[0].ports[0].containerPort', expected: 'integer', actual: 'string' }]],
    ['a number label value', { metadata: { labels: { v: 1 } } }, [{ path: 'metadata.labels.v', expected: 'string', actual: 'number' }]],
    ['a list where an object belongs', { spec: [] }, [{ path: 'spec', expected: 'object', actual: 'array' }]],
    ['an object where a list belongs', { spec: { containers: {} } }, [{ path: 'spec.containers', expected: 'array', actual: 'object' }]],
  ])('reports %s', (_name, value, expected) => {
    expect(findTypeErrors(`${core}Pod`, value)).toEqual(expected);
  });

  it.each([
    ['quantities as numbers or strings', { spec: { containers: [{ name: 'a', resources: { limits: { cpu: 1, memory: '1Gi' } } }] } }],
    ['int-or-string ports', { spec: { containers: [{ name: 'a', livenessProbe: { httpGet: { port: 'http' } }, readinessProbe: { tcpSocket: { port: 8080 } } }] } }],
    ['null as unset', { metadata: { creationTimestamp: null }, spec: null }],
    ['free-form managed fields', { metadata: { managedFields: [{ fieldsV1: { 'f:metadata': { '.': {} } } }] } }],
  ])('accepts %s', (_name, value) => {
    expect(findTypeErrors(`${core}Pod`, value)).toEqual([]);
  });
});
