// ProxyServer against a real `skiff server`: Services and EndpointSlices written through the API reach
// the proxier through the informers and come out as rules. iptables is the in-memory fake here (the real
// one is covered by proxy-iptables.test.ts), so this file needs no namespace and touches no rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { findResource, type ResourceInfo } from '../../api/resources.js';
import { loadKubeconfig, RestClient } from '../../client/index.js';
import { FakeIptablesRunner, FakeNodeNetwork, ProxyServer, serviceChain } from '../../agent/proxy/index.js';
import { startSkiffServer, type SkiffServer } from '../support/skiff-server.js';
import { service, slice } from '../proxy/fixtures.js';

const services = findResource('', 'v1', 'services') as ResourceInfo;
const endpointSlices = findResource('discovery.k8s.io', 'v1', 'endpointslices') as ResourceInfo;

let server: SkiffServer | undefined;
let proxy: ProxyServer | undefined;
const runner = new FakeIptablesRunner();

async function until(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  server = await startSkiffServer();
});

afterAll(async () => {
  await proxy?.stop();
  await server?.stop();
});

describe('ProxyServer fed by informers from a real API server', () => {
  it('renders a Service and its EndpointSlice created through the API, and removes them when deleted', async () => {
    const client = new RestClient(loadKubeconfig(server!.kubeconfigPath));
    proxy = new ProxyServer({
      client, runner, nodeNetwork: new FakeNodeNetwork(), logger: pino({ level: 'silent' }),
      minSyncIntervalMs: 50, resyncIntervalMs: 0, serviceCIDR: '10.96.0.0/12', nodeName: 'node-a',
    });
    await proxy.start();

    const svc = service('default', 'web', { clusterIP: '10.96.0.10', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] });
    const created = await client.create(services, svc);
    const clusterIP = (created.spec as { clusterIP?: string } | undefined)?.clusterIP ?? '10.96.0.10';
    await client.create(endpointSlices, slice('default', 'web', ['10.244.1.2'], [{ name: 'http', port: 8080 }]));
    const chain = serviceChain('default/web:http', 'tcp');
    await until('the service chain with its endpoint', () => runner.rules('nat', chain).some((r) => r.includes(`-j SKIFF-SEP-`)));
    expect(runner.rules('nat', 'SKIFF-SERVICES').join('\n')).toContain(`-d ${clusterIP}/32`);

    await client.delete(services, 'web', { namespace: 'default' });
    await until('the service chain to be deleted', () => !runner.chains('nat').includes(chain));
  });
});
