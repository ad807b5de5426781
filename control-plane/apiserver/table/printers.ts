// Which printer renders which resource; anything without one gets NAME/AGE.
import type { ResourceInfo } from '../../../api/resources.js';
import { certificateSigningRequestPrinter } from './certificate-printers.js';
import { namespacePrinter, nodePrinter } from './cluster-printers.js';
import {
  configMapPrinter, defaultPrinter, eventPrinter, leasePrinter, secretPrinter, serviceAccountPrinter,
} from './config-printers.js';
import { endpointSlicePrinter, endpointsPrinter, servicePrinter } from './network-printers.js';
import { podPrinter } from './pod-printer.js';
import { roleBindingPrinter, rolePrinter } from './rbac-printers.js';
import type { Printer } from './table-types.js';
import {
  controllerRevisionPrinter, daemonSetPrinter, deploymentPrinter, jobPrinter, replicaSetPrinter,
} from './workload-printers.js';

const printers: Record<string, Printer> = {
  '/pods': podPrinter,
  '/nodes': nodePrinter,
  '/namespaces': namespacePrinter,
  '/services': servicePrinter,
  '/endpoints': endpointsPrinter,
  '/events': eventPrinter,
  '/configmaps': configMapPrinter,
  '/secrets': secretPrinter,
  '/serviceaccounts': serviceAccountPrinter,
  'apps/deployments': deploymentPrinter,
  'apps/replicasets': replicaSetPrinter,
  'apps/daemonsets': daemonSetPrinter,
  'apps/controllerrevisions': controllerRevisionPrinter,
  'batch/jobs': jobPrinter,
  'discovery.k8s.io/endpointslices': endpointSlicePrinter,
  'coordination.k8s.io/leases': leasePrinter,
  'events.k8s.io/events': eventPrinter,
  'rbac.authorization.k8s.io/roles': rolePrinter,
  'rbac.authorization.k8s.io/clusterroles': rolePrinter,
  'rbac.authorization.k8s.io/rolebindings': roleBindingPrinter,
  'rbac.authorization.k8s.io/clusterrolebindings': roleBindingPrinter,
  'certificates.k8s.io/certificatesigningrequests': certificateSigningRequestPrinter,
};

export function printerFor(r: Pick<ResourceInfo, 'group' | 'plural'>): Printer {
  return printers[`${r.group}/${r.plural}`] ?? defaultPrinter;
}
