// What upstream's endpoint reconciler keeps for the `kubernetes` Service once the server listens: the
// Service's targetPort is the server's real port, and the Endpoints and EndpointSlice `default/kubernetes`
// list the server's address, so in-cluster clients (through the proxy) reach this server. Several
// servers sharing a store overwrite each other here: the last one to start wins, which is enough for
// Skiff's single API server.
import { isIPv4 } from 'node:net';
import { AlreadyExistsError } from '../../api/errors.js';
import type { KubeObject } from '../../api/object.js';
import { findResource, type ResourceInfo } from '../../api/resources.js';
import { isRecord } from './body.js';
import { createObject } from './create.js';
import { keyOf, type ResourceContext, type WriteOptions } from './resource-context.js';
import { guaranteedUpdate } from './update.js';

export interface ApiServerEndpoint {
  ip: string;
  port: number;
}

/** The address to advertise: the listen host when it is one IPv4 address, else the advertised one or loopback. */
export function advertisedIp(listenHost: string, advertiseAddress: string | undefined): string {
  if (advertiseAddress !== undefined && isIPv4(advertiseAddress)) return advertiseAddress;
  if (isIPv4(listenHost) && listenHost !== '0.0.0.0') return listenHost;
  return '127.0.0.1';
}

const options = (): WriteOptions => ({ dryRun: false, fieldValidation: 'Ignore', warnings: [] });

function resource(group: string, plural: string): ResourceInfo {
  const r = findResource(group, 'v1', plural);
  if (!r) throw new Error(`api/resources.ts lacks ${group}/v1 ${plural}`);
  return r;
}

/** Creates the object, or replaces its content (`apply`) when it exists and differs. */
async function ensure(ctx: ResourceContext, r: ResourceInfo, wanted: KubeObject, apply: (current: KubeObject) => KubeObject): Promise<void> {
  const name = wanted.metadata.name ?? '';
  if (!(await ctx.store.get(keyOf(r, 'default', name)))) {
    try {
      await createObject(ctx, r, 'default', wanted, options());
      return;
    } catch (e) {
      if (!(e instanceof AlreadyExistsError)) throw e;
    }
  }
  await updateIfChanged(ctx, r, name, apply);
}

/** Applies `apply` to the stored object and writes it only when that changed something. */
async function updateIfChanged(ctx: ResourceContext, r: ResourceInfo, name: string, apply: (current: KubeObject) => KubeObject): Promise<void> {
  let changed = false;
  const produce = (current: KubeObject): KubeObject => {
    const next = apply(structuredClone(current));
    changed = JSON.stringify(next) !== JSON.stringify(current);
    return next;
  };
  // guaranteedUpdate writes even an unchanged object; a dry run first keeps restarts from bumping it.
  await guaranteedUpdate(ctx, r, 'default', name, 'main', { ...options(), dryRun: true }, produce, false);
  if (changed) await guaranteedUpdate(ctx, r, 'default', name, 'main', options(), produce, false);
}

export async function reconcileKubernetesEndpoints(ctx: ResourceContext, endpoint: ApiServerEndpoint): Promise<void> {
  const { ip, port } = endpoint;
  const services = resource('', 'services');
  if (await ctx.store.get(keyOf(services, 'default', 'kubernetes'))) {
    await updateIfChanged(ctx, services, 'kubernetes', (svc) => {
      const spec = isRecord(svc.spec) ? svc.spec : {};
      const ports = Array.isArray(spec.ports) ? spec.ports : [];
      svc.spec = { ...spec, ports: ports.map((p: unknown) => (isRecord(p) && p.name === 'https' ? { ...p, targetPort: port } : p)) };
      return svc;
    });
  }
  const portEntry = { name: 'https', port, protocol: 'TCP' };
  await ensure(
    ctx,
    resource('', 'endpoints'),
    {
      apiVersion: 'v1',
      kind: 'Endpoints',
      // skip-mirror: the EndpointSlice below is written here too, not mirrored from these Endpoints.
      metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
      subsets: [{ addresses: [{ ip }], ports: [portEntry] }],
    },
    (current) => ({ ...current, subsets: [{ addresses: [{ ip }], ports: [portEntry] }] }),
  );
  const sliceContent = {
    addressType: 'IPv4',
    endpoints: [{ addresses: [ip], conditions: { ready: true } }],
    ports: [portEntry],
  };
  await ensure(
    ctx,
    resource('discovery.k8s.io', 'endpointslices'),
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
      ...sliceContent,
    },
    (current) => ({ ...current, ...sliceContent }),
  );
}
