import { describe, expect, it } from 'vitest';
import type { KubeObject, ObjectMeta } from '../../api/object.js';
import { validate } from '../../api/validation/index.js';
import { configMapsR, namespacesR, nodesR, servicesR, summary } from './fixtures.js';

function cm(meta: ObjectMeta): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta, data: { a: 'b' } };
}

const subdomainMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

describe('validate metadata', () => {
  it('accepts a valid namespaced object', () => {
    expect(validate(configMapsR, cm({ name: 'app.config', namespace: 'default', labels: { 'app.kubernetes.io/name': 'web' } }))).toEqual([]);
  });

  it('accepts generateName without a name (the apiserver fills it)', () => {
    expect(validate(configMapsR, cm({ generateName: 'web-', namespace: 'default' }))).toEqual([]);
  });

  it('words an invalid subdomain name exactly as upstream', () => {
    expect(summary(validate(configMapsR, cm({ name: 'Foo_Bar', namespace: 'default' })))).toEqual([`metadata.name: Invalid value: "Foo_Bar": ${subdomainMsg}`]);
  });

  it.each<[string, ObjectMeta, string]>([
    ['missing name', { namespace: 'default' }, 'metadata.name: Required value: name or generateName is required'],
    ['long name', { name: 'a'.repeat(254), namespace: 'default' }, 'metadata.name: Invalid value: "' + 'a'.repeat(254) + '": must be no more than 253 characters'],
    ['bad generateName', { generateName: 'Web-', namespace: 'default' }, 'metadata.generateName: Invalid value: "Web-": a lowercase RFC 1123 subdomain'],
    ['missing namespace', { name: 'x' }, 'metadata.namespace: Required value'],
    ['bad namespace', { name: 'x', namespace: 'Bad_NS' }, 'metadata.namespace: Invalid value: "Bad_NS": a lowercase RFC 1123 label'],
    ['bad label key', { name: 'x', namespace: 'd', labels: { 'bad key': 'v' } }, 'metadata.labels: Invalid value: "bad key": name part must consist of'],
    ['bad label value', { name: 'x', namespace: 'd', labels: { k: 'bad value' } }, 'metadata.labels: Invalid value: "bad value": a valid label must be an empty string'],
    ['long label value', { name: 'x', namespace: 'd', labels: { k: 'v'.repeat(64) } }, 'metadata.labels: Invalid value: "' + 'v'.repeat(64) + '": must be no more than 63 characters'],
    ['bad annotation key', { name: 'x', namespace: 'd', annotations: { 'a/b/c': 'v' } }, 'metadata.annotations: Invalid value: "a/b/c": a qualified name must consist of'],
    ['huge annotations', { name: 'x', namespace: 'd', annotations: { big: 'x'.repeat(256 * 1024) } }, 'metadata.annotations: Too long: may not be more than 262144 bytes'],
    ['owner reference without uid', { name: 'x', namespace: 'd', ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: '' }] }, 'metadata.ownerReferences.uid: Invalid value: "": uid must not be empty'],
    ['bad finalizer', { name: 'x', namespace: 'd', finalizers: ['a/b/c'] }, 'metadata.finalizers: Invalid value: "a/b/c"'],
  ])('rejects %s', (_name, meta, want) => {
    expect(summary(validate(configMapsR, cm(meta)))).toEqual(expect.arrayContaining([expect.stringContaining(want)]));
  });

  it('forbids a namespace on cluster-scoped kinds', () => {
    const errs = validate(nodesR, { metadata: { name: 'n1', namespace: 'default' } });
    expect(summary(errs)).toEqual(['metadata.namespace: Forbidden: not allowed on this type']);
  });

  it.each<[string, typeof namespacesR, string, boolean]>([
    ['namespace with a dot', namespacesR, 'team.a', false],
    ['namespace label', namespacesR, 'team-a', true],
    ['service starting with a digit', servicesR, '1web', false],
    ['service with a dot', servicesR, 'web.v1', false],
    ['service label', servicesR, 'web', true],
    ['configmap with dots', configMapsR, 'web.v1', true],
  ])('applies the naming rule of the kind: %s', (_name, r, name, ok) => {
    const obj: KubeObject = {
      metadata: { name, ...(r.namespaced ? { namespace: 'default' } : {}) },
      ...(r.kind === 'Service' ? { spec: { ports: [{ port: 80, protocol: 'TCP' }] } } : {}),
    };
    const nameErrs = validate(r, obj).filter((e) => e.field === 'metadata.name');
    expect(nameErrs.length === 0).toBe(ok);
  });

  it('uses the DNS-1035 message for service names', () => {
    const errs = validate(servicesR, { metadata: { name: '1web', namespace: 'd' }, spec: { ports: [{ port: 80 }] } });
    expect(summary(errs)[0]).toContain('metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or \'-\', start with an alphabetic character');
  });
});
