// Nodes and namespaces.
import { ageColumn, column, nameColumn } from './columns.js';
import { at, list, str } from './fields.js';
import { ageSince } from './human-duration.js';
import type { Printer } from './table-types.js';

const roleLabelPrefix = 'node-role.kubernetes.io/';

function nodeStatus(node: Parameters<Printer['cells']>[0]): string {
  const ready = list(at(node, 'status', 'conditions')).find((c) => c.type === 'Ready');
  const parts = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (at(node, 'spec', 'unschedulable') === true) parts.push('SchedulingDisabled');
  return parts.join(',');
}

function nodeRoles(labels: Record<string, string> | undefined): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (k.startsWith(roleLabelPrefix) && k.length > roleLabelPrefix.length) roles.add(k.slice(roleLabelPrefix.length));
    else if (k === 'kubernetes.io/role' && v !== '') roles.add(v);
  }
  return roles.size ? [...roles].sort().join(',') : '<none>';
}

function nodeAddress(node: Parameters<Printer['cells']>[0], type: string): string {
  return str(list(at(node, 'status', 'addresses')).find((a) => a.type === type)?.address) || '<none>';
}

export const nodePrinter: Printer = {
  columns: [
    nameColumn,
    column('Status', 'The status of the node'),
    column('Roles', 'The roles of the node'),
    ageColumn,
    column('Version', 'Kubelet Version reported by the node.'),
    column('Internal-IP', 'List of addresses reachable to the node. Queried from cloud provider, if available.', { wide: true }),
    column('External-IP', 'List of addresses reachable to the node. Queried from cloud provider, if available.', { wide: true }),
    column('OS-Image', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', { wide: true }),
    column('Kernel-Version', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", { wide: true }),
    column('Container-Runtime', 'Container runtime version reported by the node through runtime remote API (e.g. containerd://1.4.2).', { wide: true }),
  ],
  cells(node, now) {
    const info = at(node, 'status', 'nodeInfo');
    return [
      node.metadata.name ?? '',
      nodeStatus(node),
      nodeRoles(node.metadata.labels),
      ageSince(node.metadata.creationTimestamp, now),
      str(at(info, 'kubeletVersion')),
      nodeAddress(node, 'InternalIP'),
      nodeAddress(node, 'ExternalIP'),
      str(at(info, 'osImage')) || '<unknown>',
      str(at(info, 'kernelVersion')) || '<unknown>',
      str(at(info, 'containerRuntimeVersion')) || '<unknown>',
    ];
  },
};

export const namespacePrinter: Printer = {
  columns: [nameColumn, column('Status', 'The status of the namespace'), ageColumn],
  cells(ns, now) {
    return [ns.metadata.name ?? '', str(at(ns, 'status', 'phase')), ageSince(ns.metadata.creationTimestamp, now)];
  },
};
