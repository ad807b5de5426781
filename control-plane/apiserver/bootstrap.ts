// What a fresh cluster has before anyone writes: the four system namespaces and the `kubernetes`
// Service in `default` on the first address of the service range (10.96.0.1), as kube-apiserver's
// bootstrap controller creates them, and the default RBAC policy as real ClusterRoles and
// ClusterRoleBindings (upstream's rbac/bootstrap-roles post-start hook). Idempotent: existing objects are
// left alone, so an administrator's edits survive restarts.
import { AlreadyExistsError } from '../../api/errors.js';
import type { KubeObject } from '../../api/object.js';
import { findResource } from '../../api/resources.js';
import { defaultRbacPolicy } from '../auth/index.js';
import { createObject } from './create.js';
import type { ResourceContext, WriteOptions } from './resource-context.js';

export const systemNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/**
 * The port the `kubernetes` Service forwards to until the server listens (the conventional secure port);
 * listen then puts the real port there (see kubernetes-endpoints.ts).
 */
const apiServerTargetPort = 6443;

export async function bootstrapCluster(ctx: ResourceContext): Promise<void> {
  const namespaces = findResource('', 'v1', 'namespaces');
  const services = findResource('', 'v1', 'services');
  if (!namespaces || !services) throw new Error('api/resources.ts lacks namespaces or services');
  const options = (): WriteOptions => ({ dryRun: false, fieldValidation: 'Ignore', warnings: [] });
  const ignoreExisting = (e: unknown): void => {
    if (!(e instanceof AlreadyExistsError)) throw e;
  };
  for (const name of systemNamespaces) {
    await createObject(ctx, namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, options()).catch(ignoreExisting);
  }
  await bootstrapRbac(ctx, options, ignoreExisting);
  if (await ctx.store.get('/registry/services/default/kubernetes')) return;
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: {
      type: 'ClusterIP',
      clusterIP: ctx.allocator.apiServerIp,
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: apiServerTargetPort }],
      sessionAffinity: 'None',
    },
  };
  try {
    await createObject(ctx, services, 'default', service, options());
  } catch (e) {
    // Another API server sharing the store may have won the race (its reservation of the address makes
    // ours fail); anything else is logged but does not keep this server from serving.
    if (await ctx.store.get('/registry/services/default/kubernetes')) return;
    ctx.logger.error({ err: e, service: 'default/kubernetes' }, 'creating the kubernetes service failed');
  }
}

async function bootstrapRbac(ctx: ResourceContext, options: () => WriteOptions, ignoreExisting: (e: unknown) => void): Promise<void> {
  const roles = findResource('rbac.authorization.k8s.io', 'v1', 'clusterroles');
  const bindings = findResource('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings');
  if (!roles || !bindings) {
    // Until the RBAC kinds are registered the authorizer falls back to the same policy held in memory.
    ctx.logger.warn('the RBAC kinds are not registered; the default RBAC policy is not written to the store');
    return;
  }
  const policy = defaultRbacPolicy();
  // Roles before bindings, so a binding never names a role that is not there yet. One object failing is
  // logged and does not keep the server from serving (system:masters is allowed without any object).
  const write = async (resource: typeof roles, object: KubeObject): Promise<void> => {
    try {
      await createObject(ctx, resource, undefined, object, options()).catch(ignoreExisting);
    } catch (e) {
      ctx.logger.error({ err: e, kind: object.kind, name: object.metadata?.name }, 'writing the default RBAC policy failed');
    }
  };
  for (const role of policy.clusterRoles) await write(roles, role as unknown as KubeObject);
  for (const binding of policy.clusterRoleBindings) await write(bindings, binding as unknown as KubeObject);
}
