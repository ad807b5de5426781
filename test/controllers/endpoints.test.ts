import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EndpointSlice, Endpoints, Pod, Service } from '../../api/index.js';
import { endpointSlicesResource, endpointsResource, podsResource, servicesResource } from '../../control-plane/controllers/resources.js';
import { createNamespace, eventually, listIn, markPodReady, ns, startControllerHarness, type ControllerHarness } from './harness.js';

function pod(name: string, labels: Record<string, string>, ports: Array<{ name: string; containerPort: number }> = []): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels },
    spec: { containers: [{ name: 'c', image: 'busybox', ports }] },
  };
}

function service(name: string, selector: Record<string, string>, ports: NonNullable<Service['spec']>['ports']): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector, ports } };
}

async function setPodStatus(h: ControllerHarness, namespace: string, name: string, ip: string, ready: boolean): Promise<void> {
  const p = await h.client.get<Pod>(podsResource, name, { namespace });
  if (ready) {
    await markPodReady(h.client, p, ip);
    return;
  }
  await h.client.updateStatus(podsResource, { ...p, status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: 'False' }] } });
}

async function slicesOf(h: ControllerHarness, namespace: string, svc: string): Promise<EndpointSlice[]> {
  return listIn<EndpointSlice>(h.client, endpointSlicesResource, namespace, `kubernetes.io/service-name=${svc}`);
}

describe('EndpointSlice and Endpoints controllers', () => {
  let h: ControllerHarness;
  beforeAll(async () => {
    h = await startControllerHarness(['endpointslice', 'endpoints']);
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('lists pods with IPs, ready or not, with upstream conditions and resolved named ports', async () => {
    const namespace = ns('eps');
    await createNamespace(h.client, namespace);
    const httpPort = [{ name: 'http', containerPort: 8080 }];
    await h.client.create(podsResource, pod('a', { app: 'web' }, httpPort), { namespace });
    await h.client.create(podsResource, pod('b', { app: 'web' }, httpPort), { namespace });
    await h.client.create(podsResource, pod('c', { app: 'web' }, httpPort), { namespace });
    await h.client.create(podsResource, pod('other', { app: 'db' }), { namespace });
    await setPodStatus(h, namespace, 'a', '10.1.0.1', true);
    await setPodStatus(h, namespace, 'b', '10.1.0.2', false);
    await setPodStatus(h, namespace, 'other', '10.1.0.9', true);
    const svc = await h.client.create(servicesResource, service('web', { app: 'web' }, [{ name: 'http', port: 80, targetPort: 'http' }]), { namespace });

    const slice = await eventually(async () => {
      const s = await slicesOf(h, namespace, 'web');
      return s.length === 1 && s[0]?.endpoints?.length === 2 ? s[0] : undefined;
    });
    expect(slice.metadata.labels).toMatchObject({ 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    expect(slice.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(slice.addressType).toBe('IPv4');
    expect(slice.ports).toEqual([{ name: 'http', protocol: 'TCP', port: 8080 }]);
    const byName = Object.fromEntries(slice.endpoints.map((e) => [e.targetRef?.name, e]));
    expect(byName['a']).toMatchObject({ addresses: ['10.1.0.1'], conditions: { ready: true, serving: true, terminating: false }, targetRef: { kind: 'Pod', namespace, name: 'a' } });
    expect(byName['b']).toMatchObject({ addresses: ['10.1.0.2'], conditions: { ready: false, serving: false, terminating: false } });

    const ep = await eventually(async () => {
      const e = await h.client.get<Endpoints>(endpointsResource, 'web', { namespace }).catch(() => undefined);
      return e?.subsets?.[0]?.notReadyAddresses?.length === 1 ? e : undefined;
    });
    expect(ep.subsets).toEqual([
      {
        addresses: [{ ip: '10.1.0.1', targetRef: expect.objectContaining({ kind: 'Pod', name: 'a' }) }],
        notReadyAddresses: [{ ip: '10.1.0.2', targetRef: expect.objectContaining({ kind: 'Pod', name: 'b' }) }],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
    ]);

    // Readiness change: b becomes ready; c gets an IP.
    await setPodStatus(h, namespace, 'b', '10.1.0.2', true);
    await setPodStatus(h, namespace, 'c', '10.1.0.3', true);
    await eventually(async () => {
      const s = await slicesOf(h, namespace, 'web');
      return s.length === 1 && s[0]?.endpoints.filter((e) => e.conditions?.ready).length === 3;
    });
    await eventually(async () => (await h.client.get<Endpoints>(endpointsResource, 'web', { namespace })).subsets?.[0]?.addresses?.length === 3);

    // Deleting a pod removes it.
    await h.client.delete(podsResource, 'a', { namespace });
    await eventually(async () => (await slicesOf(h, namespace, 'web'))[0]?.endpoints.length === 2);
  });

  it('does not rewrite a slice or Endpoints that is already right', async () => {
    const namespace = ns('eps-stable');
    await createNamespace(h.client, namespace);
    await h.client.create(podsResource, pod('a', { app: 'x' }), { namespace });
    await setPodStatus(h, namespace, 'a', '10.2.0.1', true);
    await h.client.create(servicesResource, service('x', { app: 'x' }, [{ port: 80, targetPort: 9376 }]), { namespace });
    const slice = await eventually(async () => (await slicesOf(h, namespace, 'x')).find((s) => s.endpoints.length === 1));
    const ep = await eventually(async () => (await h.client.get<Endpoints>(endpointsResource, 'x', { namespace }).catch(() => undefined))?.subsets ? true : undefined);
    expect(ep).toBe(true);
    const epBefore = await h.client.get<Endpoints>(endpointsResource, 'x', { namespace });
    // An unrelated pod update re-syncs the service; nothing should be written.
    await h.client.patch(podsResource, 'a', { metadata: { annotations: { touched: 'yes' } } }, { namespace });
    await new Promise((r) => setTimeout(r, 500));
    const after = await slicesOf(h, namespace, 'x');
    expect(after).toHaveLength(1);
    expect(after[0]?.metadata.resourceVersion).toBe(slice.metadata.resourceVersion);
    expect((await h.client.get<Endpoints>(endpointsResource, 'x', { namespace })).metadata.resourceVersion).toBe(epBefore.metadata.resourceVersion);
    expect(after[0]?.ports).toEqual([{ name: '', protocol: 'TCP', port: 9376 }]);
  });

  it('keeps an empty placeholder slice for a service without endpoints and leaves out pods without an IP', async () => {
    const namespace = ns('eps-empty');
    await createNamespace(h.client, namespace);
    await h.client.create(podsResource, pod('noip', { app: 'y' }), { namespace });
    await h.client.create(servicesResource, service('y', { app: 'y' }, [{ port: 80 }]), { namespace });
    const slices = await eventually(async () => {
      const s = await slicesOf(h, namespace, 'y');
      return s.length === 1 ? s : undefined;
    });
    expect(slices[0]?.endpoints ?? []).toEqual([]);
    const ep = await eventually(() => h.client.get<Endpoints>(endpointsResource, 'y', { namespace }).catch(() => undefined));
    expect(ep.subsets ?? []).toEqual([]);
  });

  it('puts pods resolving a named port differently into separate slices', async () => {
    const namespace = ns('eps-ports');
    await createNamespace(h.client, namespace);
    await h.client.create(podsResource, pod('p1', { app: 'z' }, [{ name: 'http', containerPort: 8080 }]), { namespace });
    await h.client.create(podsResource, pod('p2', { app: 'z' }, [{ name: 'http', containerPort: 9090 }]), { namespace });
    await setPodStatus(h, namespace, 'p1', '10.3.0.1', true);
    await setPodStatus(h, namespace, 'p2', '10.3.0.2', true);
    await h.client.create(servicesResource, service('z', { app: 'z' }, [{ name: 'http', port: 80, targetPort: 'http' }]), { namespace });
    const slices = await eventually(async () => {
      const s = await slicesOf(h, namespace, 'z');
      return s.length === 2 && s.every((x) => x.endpoints.length === 1) ? s : undefined;
    });
    expect(slices.map((s) => s.ports?.[0]?.port).sort()).toEqual([8080, 9090]);
    const ep = await eventually(async () => {
      const e = await h.client.get<Endpoints>(endpointsResource, 'z', { namespace }).catch(() => undefined);
      return e?.subsets?.length === 2 ? e : undefined;
    });
    expect(ep.subsets?.map((s) => s.ports?.[0]?.port).sort()).toEqual([8080, 9090]);
  });

  it('removes slices and Endpoints when the service is deleted', async () => {
    const namespace = ns('eps-gone');
    await createNamespace(h.client, namespace);
    await h.client.create(servicesResource, service('gone', { app: 'g' }, [{ port: 80 }]), { namespace });
    await eventually(async () => (await slicesOf(h, namespace, 'gone')).length === 1);
    await eventually(() => h.client.get<Endpoints>(endpointsResource, 'gone', { namespace }).catch(() => undefined));
    await h.client.delete(servicesResource, 'gone', { namespace });
    await eventually(async () => (await slicesOf(h, namespace, 'gone')).length === 0);
    await eventually(async () => (await h.client.get(endpointsResource, 'gone', { namespace }).catch(() => 'missing')) === 'missing');
  });
});
