// Roles, ClusterRoles, RoleBindings and ClusterRoleBindings, with upstream's columns: roles show when
// they were created (an absolute time, not an age), bindings the role they grant and, with -o wide,
// who gets it.
import type { KubeObject } from '../../../api/object.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { at, list, str } from './fields.js';
import { ageSince } from './human-duration.js';
import type { Printer } from './table-types.js';

/** metav1.Time printed as upstream's role printer does: UTC RFC 3339 to the second. */
function createdAt(obj: KubeObject): string {
  const t = Date.parse(obj.metadata.creationTimestamp ?? '');
  return Number.isNaN(t) ? '0001-01-01T00:00:00Z' : new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export const rolePrinter: Printer = {
  columns: [nameColumn, column('Created At', 'CreationTimestamp is a timestamp representing the server time when this object was created.', { type: 'date' })],
  cells(role) {
    return [role.metadata.name ?? '', createdAt(role)];
  },
};

/** Upstream's rbac.SubjectsStrings: users, groups and `namespace/name` service accounts. */
function subjectsStrings(binding: KubeObject): { users: string[]; groups: string[]; serviceAccounts: string[] } {
  const out = { users: [] as string[], groups: [] as string[], serviceAccounts: [] as string[] };
  for (const s of list(at(binding, 'subjects'))) {
    const name = str(s.name);
    if (s.kind === 'User') out.users.push(name);
    else if (s.kind === 'Group') out.groups.push(name);
    else if (s.kind === 'ServiceAccount') out.serviceAccounts.push(`${str(s.namespace)}/${name}`);
  }
  return out;
}

export const roleBindingPrinter: Printer = {
  columns: [
    nameColumn,
    column('Role', 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.'),
    ageColumn,
    column('Users', 'Users in the roleBinding', { wide: true }),
    column('Groups', 'Groups in the roleBinding', { wide: true }),
    column('ServiceAccounts', 'ServiceAccounts in the roleBinding', { wide: true }),
  ],
  cells(binding, now) {
    const subjects = subjectsStrings(binding);
    return [
      binding.metadata.name ?? '',
      `${str(at(binding, 'roleRef', 'kind'))}/${str(at(binding, 'roleRef', 'name'))}`,
      ageSince(binding.metadata.creationTimestamp, now),
      subjects.users.join(', '),
      subjects.groups.join(', '),
      subjects.serviceAccounts.join(', '),
    ];
  },
};
