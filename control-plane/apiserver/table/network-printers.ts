// Services, Endpoints and EndpointSlices.
import type { KubeObject } from '../../../api/object.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { at, formatLabels, int, list, listWithMore, orNone, str, strings } from './fields.js';
import { ageSince } from './human-duration.js';
import type { Printer } from './table-types.js';

function serviceExternalIP(svc: KubeObject): string {
  const spec = at(svc, 'spec');
  const externalIPs = strings(at(spec, 'externalIPs'));
  switch (str(at(spec, 'type')) || 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return orNone(externalIPs.join(','));
    case 'LoadBalancer': {
      const ingress = list(at(svc, 'status', 'loadBalancer', 'ingress')).map((i) => str(i.ip) || str(i.hostname)).filter(Boolean);
      const all = [...ingress, ...externalIPs];
      return all.length ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return str(at(spec, 'externalName'));
    default:
      return '<unknown>';
  }
}

function servicePorts(svc: KubeObject): string {
  const ports = list(at(svc, 'spec', 'ports')).map((p) => {
    const protocol = str(p.protocol) || 'TCP';
    const nodePort = int(p.nodePort);
    return nodePort > 0 ? `${int(p.port)}:${nodePort}/${protocol}` : `${int(p.port)}/${protocol}`;
  });
  return orNone(ports.join(','));
}

export const servicePrinter: Printer = {
  columns: [
    nameColumn,
    column('Type', 'type determines how the Service is exposed.'),
    column('Cluster-IP', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
    column('External-IP', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    column('Port(s)', 'The list of ports that are exposed by this service.'),
    ageColumn,
    column('Selector', 'Route service traffic to pods with label keys and values matching this selector.', { wide: true }),
  ],
  cells(svc, now) {
    return [
      svc.metadata.name ?? '',
      str(at(svc, 'spec', 'type')) || 'ClusterIP',
      orNone(str(at(svc, 'spec', 'clusterIP'))),
      serviceExternalIP(svc),
      servicePorts(svc),
      ageSince(svc.metadata.creationTimestamp, now),
      formatLabels(at(svc, 'spec', 'selector')),
    ];
  },
};

const maxShown = 3;

/** `ip:port` for every address × port, at most three, as upstream's formatEndpoints. */
function formatEndpoints(endpoints: KubeObject): string {
  const subsets = list(at(endpoints, 'subsets'));
  if (subsets.length === 0) return '<none>';
  const shown: string[] = [];
  let total = 0;
  for (const ss of subsets) {
    const addresses = list(ss.addresses).map((a) => str(a.ip));
    const ports = list(ss.ports);
    if (ports.length === 0) {
      total += addresses.length;
      shown.push(...addresses);
      continue;
    }
    for (const p of ports) {
      total += addresses.length;
      for (const ip of addresses) shown.push(ip.includes(':') ? `[${ip}]:${int(p.port)}` : `${ip}:${int(p.port)}`);
    }
  }
  return listWithMore(shown, total, maxShown, '');
}

export const endpointsPrinter: Printer = {
  columns: [nameColumn, column('Endpoints', 'Endpoints is the list of endpoints in the object.'), ageColumn],
  cells(ep, now) {
    return [ep.metadata.name ?? '', formatEndpoints(ep), ageSince(ep.metadata.creationTimestamp, now)];
  },
};

export const endpointSlicePrinter: Printer = {
  columns: [
    nameColumn,
    column('AddressType', 'The type of address carried by this EndpointSlice.'),
    column('Ports', 'Ports provided by this EndpointSlice.'),
    column('Endpoints', 'Endpoints provided by this EndpointSlice.'),
    ageColumn,
  ],
  cells(slice, now) {
    const ports = list(at(slice, 'ports')).map((p) => (typeof p.port === 'number' ? String(int(p.port)) : str(p.name) || '*'));
    const addresses = list(at(slice, 'endpoints')).flatMap((e) => strings(e.addresses));
    return [
      slice.metadata.name ?? '',
      str(at(slice, 'addressType')),
      listWithMore(ports, ports.length, maxShown, '<unset>'),
      listWithMore(addresses, addresses.length, maxShown, '<unset>'),
      ageSince(slice.metadata.creationTimestamp, now),
    ];
  },
};
