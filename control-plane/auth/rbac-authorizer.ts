// RBAC, as upstream's authorizer (plugin/pkg/auth/authorizer/rbac): collect the rules of every
// ClusterRoleBinding, and for namespaced requests every RoleBinding in that namespace, whose subjects name
// the user; allow when one rule matches, otherwise no opinion. RBAC never denies.
import type { AuthorizationAttributes } from '../apiserver/security.js';
import { allow, noOpinion, type AuthorizationDecision, type DecidingAuthorizer } from './authorization-decision.js';
import { rulesAllow, subjectMatches } from './rbac-rules.js';
import type { ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding, RoleRef } from './rbac-types.js';
import { systemMasters } from '../../pki/well-known.js';

/** Where RBAC objects come from: the store in the server, arrays in tests. */
export interface RbacSource {
  listClusterRoleBindings(): Promise<ClusterRoleBinding[]>;
  listRoleBindings(namespace: string): Promise<RoleBinding[]>;
  getClusterRole(name: string): Promise<ClusterRole | undefined>;
  getRole(namespace: string, name: string): Promise<Role | undefined>;
}

/** An RbacSource over fixed arrays (tests, and the bootstrap policy before the store has it). */
export function staticRbacSource(objects: {
  clusterRoles?: ClusterRole[];
  clusterRoleBindings?: ClusterRoleBinding[];
  roles?: Role[];
  roleBindings?: RoleBinding[];
}): RbacSource {
  return {
    listClusterRoleBindings: () => Promise.resolve(objects.clusterRoleBindings ?? []),
    listRoleBindings: (ns) => Promise.resolve((objects.roleBindings ?? []).filter((b) => b.metadata.namespace === ns)),
    getClusterRole: (name) => Promise.resolve((objects.clusterRoles ?? []).find((r) => r.metadata.name === name)),
    getRole: (ns, name) =>
      Promise.resolve((objects.roles ?? []).find((r) => r.metadata.namespace === ns && r.metadata.name === name)),
  };
}

/** Authorizes from Role/ClusterRole/RoleBinding/ClusterRoleBinding objects; `system:masters` is always allowed. */
export class RbacAuthorizer implements DecidingAuthorizer {
  constructor(private readonly source: RbacSource) {}

  async decide(a: AuthorizationAttributes): Promise<AuthorizationDecision> {
    // Upstream's superuser group is allowed before any object is read, so a broken policy cannot lock admins out.
    if (a.user.groups.includes(systemMasters)) return allow;
    for (const binding of await this.source.listClusterRoleBindings()) {
      if (!(binding.subjects ?? []).some((s) => subjectMatches(s, a.user, ''))) continue;
      if (binding.roleRef.kind !== 'ClusterRole') continue;
      if (rulesAllow(a, await this.clusterRoleRules(binding.roleRef.name))) return allow;
    }
    // RoleBindings grant only inside their namespace, and never non-resource or cluster-scoped access.
    if (!a.namespace || a.resource === '') return noOpinion;
    for (const binding of await this.source.listRoleBindings(a.namespace)) {
      if (!(binding.subjects ?? []).some((s) => subjectMatches(s, a.user, a.namespace ?? ''))) continue;
      if (rulesAllow(a, await this.roleRefRules(binding.roleRef, a.namespace))) return allow;
    }
    return noOpinion;
  }

  private async clusterRoleRules(name: string): Promise<PolicyRule[]> {
    return (await this.source.getClusterRole(name))?.rules ?? [];
  }

  private async roleRefRules(ref: RoleRef, namespace: string): Promise<PolicyRule[]> {
    if (ref.kind === 'ClusterRole') return this.clusterRoleRules(ref.name);
    return (await this.source.getRole(namespace, ref.name))?.rules ?? [];
  }
}
