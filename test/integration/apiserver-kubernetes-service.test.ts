// The `kubernetes` Service leads to this server once it listens: targetPort is the real port, and
// Endpoints/EndpointSlice default/kubernetes list the advertised address, as upstream's reconciler keeps them.
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../apiserver/harness.js';

let h: Harness | undefined;

afterEach(async () => {
  await h?.stop();
  h = undefined;
});

function portOf(url: string): number {
  return Number(new URL(url).port);
}

describe('the kubernetes Service endpoints', () => {
  it('points the Service, Endpoints and EndpointSlice at the listening port', async () => {
    h = await startHarness();
    const port = portOf(h.url);
    const svc = await h.request('GET', '/api/v1/namespaces/default/services/kubernetes');
    expect(svc.body.spec.ports).toEqual([expect.objectContaining({ name: 'https', port: 443, targetPort: port })]);
    const ep = await h.request('GET', '/api/v1/namespaces/default/endpoints/kubernetes');
    expect(ep.status).toBe(200);
    expect(ep.body.subsets).toEqual([{ addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port, protocol: 'TCP' }] }]);
    const slice = await h.request('GET', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes');
    expect(slice.status).toBe(200);
    expect(slice.body.metadata.labels).toEqual({ 'kubernetes.io/service-name': 'kubernetes' });
    expect(slice.body.addressType).toBe('IPv4');
    expect(slice.body.endpoints).toEqual([{ addresses: ['127.0.0.1'], conditions: { ready: true } }]);
    expect(slice.body.ports).toEqual([{ name: 'https', port, protocol: 'TCP' }]);
  });

  it('lists the advertised address when one is given', async () => {
    h = await startHarness({ advertiseAddress: '192.0.2.10' });
    const ep = await h.request('GET', '/api/v1/namespaces/default/endpoints/kubernetes');
    expect(ep.body.subsets[0].addresses).toEqual([{ ip: '192.0.2.10' }]);
  });

  it('follows the new port after a restart and leaves unchanged objects alone', async () => {
    h = await startHarness();
    const before = await h.request('GET', '/api/v1/namespaces/default/endpoints/kubernetes');
    await h.restart();
    const port = portOf(h.url);
    const ep = await h.request('GET', '/api/v1/namespaces/default/endpoints/kubernetes');
    expect(ep.body.subsets[0].ports).toEqual([{ name: 'https', port, protocol: 'TCP' }]);
    if (port === before.body.subsets[0].ports[0].port) expect(ep.body.metadata.resourceVersion).toBe(before.body.metadata.resourceVersion);
    else expect(ep.body.metadata.resourceVersion).not.toBe(before.body.metadata.resourceVersion);
    const svc = await h.request('GET', '/api/v1/namespaces/default/services/kubernetes');
    expect(svc.body.spec.ports[0].targetPort).toBe(port);
  });
});
