import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../../api/errors.js';
import { parseFieldSelector } from '../../api/fields/index.js';
import type { KubeObject } from '../../api/object.js';
import { eventsR, eventsV1R, jobsR, namespacesR, nodesR, podsR, replicaSetsR, secretsR, servicesR } from './fixtures.js';

const pod: KubeObject = {
  metadata: { name: 'web-1', namespace: 'default' },
  spec: { nodeName: 'node-1', restartPolicy: 'Always', schedulerName: 'default-scheduler', serviceAccountName: 'default', containers: [] },
  status: { phase: 'Running', podIP: '10.244.1.5' },
};
const unscheduled: KubeObject = { metadata: { name: 'web-2', namespace: 'default' }, spec: { containers: [] }, status: { phase: 'Pending' } };

describe('parseFieldSelector on pods', () => {
  it.each([
    ['', true, true],
    ['metadata.name=web-1', true, false],
    ['metadata.name==web-1', true, false],
    ['metadata.name!=web-1', false, true],
    ['metadata.namespace=default', true, true],
    ['spec.nodeName=node-1', true, false],
    ['spec.nodeName=', false, true],
    ['spec.nodeName!=', true, false],
    ['status.phase!=Running', false, true],
    ['status.phase=Running,spec.nodeName=node-1', true, false],
    ['status.podIP=10.244.1.5', true, false],
    ['spec.hostNetwork=false', true, true],
    ['spec.restartPolicy=Always', true, false],
    ['spec.schedulerName=default-scheduler', true, false],
    ['spec.serviceAccountName=default', true, false],
    ['status.nominatedNodeName=', true, true],
  ])('%j matches web-1: %s, web-2: %s', (text, onScheduled, onUnscheduled) => {
    const sel = parseFieldSelector(text, podsR);
    expect(sel.matches(pod)).toBe(onScheduled);
    expect(sel.matches(unscheduled)).toBe(onUnscheduled);
  });

  it('exposes the requirements for cheap lookups', () => {
    const sel = parseFieldSelector('spec.nodeName=node-1,status.phase!=Failed', podsR);
    expect(sel.requirements).toEqual([
      { field: 'spec.nodeName', operator: '=', value: 'node-1' },
      { field: 'status.phase', operator: '!=', value: 'Failed' },
    ]);
    expect(sel.requiresExactMatch('spec.nodeName')).toBe('node-1');
    expect(sel.requiresExactMatch('status.phase')).toBeUndefined();
    expect(sel.toString()).toBe('spec.nodeName=node-1,status.phase!=Failed');
  });

  it('unescapes values', () => {
    const sel = parseFieldSelector('metadata.name=a\\,b', podsR);
    expect(sel.requirements[0]?.value).toBe('a,b');
    expect(sel.matches({ metadata: { name: 'a,b' } })).toBe(true);
  });
});

describe('parseFieldSelector field support', () => {
  it.each([
    [nodesR, 'spec.unschedulable=true'],
    [namespacesR, 'status.phase=Active'],
    [secretsR, 'type=kubernetes.io/tls'],
    [eventsR, 'involvedObject.kind=Pod,involvedObject.name=web,involvedObject.namespace=default,involvedObject.uid=u,involvedObject.apiVersion=v1,involvedObject.resourceVersion=1,involvedObject.fieldPath=x,reason=Started,reportingComponent=kubelet,source=kubelet,type=Normal'],
    [eventsV1R, 'regarding.kind=Pod,reportingController=kubelet'],
    [replicaSetsR, 'status.replicas=0'],
    [jobsR, 'status.successful=1'],
    [servicesR, 'metadata.name=web'],
  ])('accepts %j fields', (r, text) => {
    expect(parseFieldSelector(text, r).requirements.length).toBeGreaterThan(0);
  });

  it.each([
    [podsR, 'spec.containers=x', 'spec.containers'],
    [servicesR, 'spec.nodeName=x', 'spec.nodeName'],
    [nodesR, 'status.phase=Ready', 'status.phase'],
    [secretsR, 'data=x', 'data'],
  ])('rejects an unsupported field for %s', (r, text, field) => {
    let caught: unknown;
    try {
      parseFieldSelector(text, r);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(BadRequestError);
    expect((caught as Error).message).toBe(`field label not supported: ${field}`);
  });

  it('rejects a term without an operator', () => {
    expect(() => parseFieldSelector('metadata.name', podsR)).toThrow("invalid selector: 'metadata.name'; can't understand 'metadata.name'");
  });

  it('reads values from objects for each resource', () => {
    expect(parseFieldSelector('spec.unschedulable=true', nodesR).matches({ metadata: {}, spec: { unschedulable: true } })).toBe(true);
    expect(parseFieldSelector('spec.unschedulable=false', nodesR).matches({ metadata: {} })).toBe(true);
    expect(parseFieldSelector('type=Opaque', secretsR).matches({ metadata: {}, type: 'Opaque' })).toBe(true);
    expect(parseFieldSelector('source=kubelet', eventsR).matches({ metadata: {}, source: { component: 'kubelet' } })).toBe(true);
    expect(parseFieldSelector('status.replicas=0', replicaSetsR).matches({ metadata: {}, status: {} })).toBe(true);
    expect(parseFieldSelector('status.successful=2', jobsR).matches({ metadata: {}, status: { succeeded: 2 } })).toBe(true);
  });
});
