// core/v1 Service and Endpoints: how traffic finds pods.
import type { Definition } from './field-schema.js';
import {
  bool, core, def, enumOf, int32, intOrString, kind, list, listKind, mergeList, meta, ref, str, stringMap,
} from './build.js';

const serviceGvk = { group: '', version: 'v1', kind: 'Service' };
const endpointsGvk = { group: '', version: 'v1', kind: 'Endpoints' };

export const serviceDefinitions: Definition[] = [
  kind(`${core}Service`, serviceGvk, { spec: ref(`${core}ServiceSpec`), status: ref(`${core}ServiceStatus`) }),
  listKind(`${core}Service`, serviceGvk),
  def(`${core}ServiceSpec`, {
    ports: mergeList(ref(`${core}ServicePort`), 'port', { listMapKeys: ['port', 'protocol'] }),
    selector: stringMap,
    clusterIP: str,
    clusterIPs: list(str),
    type: enumOf('ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'),
    externalIPs: list(str),
    sessionAffinity: enumOf('ClientIP', 'None'),
    loadBalancerIP: str,
    loadBalancerSourceRanges: list(str),
    externalName: str,
    externalTrafficPolicy: enumOf('Cluster', 'Local'),
    healthCheckNodePort: int32,
    publishNotReadyAddresses: bool,
    sessionAffinityConfig: ref(`${core}SessionAffinityConfig`),
    ipFamilies: list(str),
    ipFamilyPolicy: enumOf('SingleStack', 'PreferDualStack', 'RequireDualStack'),
    allocateLoadBalancerNodePorts: bool,
    loadBalancerClass: str,
    internalTrafficPolicy: enumOf('Cluster', 'Local'),
    trafficDistribution: str,
  }),
  def(
    `${core}ServicePort`,
    {
      name: str,
      protocol: enumOf('TCP', 'UDP', 'SCTP'),
      appProtocol: str,
      port: int32,
      targetPort: intOrString,
      nodePort: int32,
    },
    { required: ['port'] },
  ),
  def(`${core}SessionAffinityConfig`, { clientIP: ref(`${core}ClientIPConfig`) }),
  def(`${core}ClientIPConfig`, { timeoutSeconds: int32 }),
  def(`${core}ServiceStatus`, {
    loadBalancer: ref(`${core}LoadBalancerStatus`),
    conditions: mergeList(ref(`${meta}Condition`), 'type'),
  }),
  def(`${core}LoadBalancerStatus`, { ingress: list(ref(`${core}LoadBalancerIngress`)) }),
  def(`${core}LoadBalancerIngress`, {
    ip: str,
    hostname: str,
    ipMode: str,
    ports: list(ref(`${core}PortStatus`)),
  }),
  def(`${core}PortStatus`, { port: int32, protocol: str, error: str }, { required: ['port', 'protocol'] }),
  kind(`${core}Endpoints`, endpointsGvk, { subsets: list(ref(`${core}EndpointSubset`)) }),
  listKind(`${core}Endpoints`, endpointsGvk),
  def(`${core}EndpointSubset`, {
    addresses: list(ref(`${core}EndpointAddress`)),
    notReadyAddresses: list(ref(`${core}EndpointAddress`)),
    ports: list(ref(`${core}EndpointPort`)),
  }),
  def(
    `${core}EndpointAddress`,
    { ip: str, hostname: str, nodeName: str, targetRef: ref(`${core}ObjectReference`) },
    { required: ['ip'] },
  ),
  def(`${core}EndpointPort`, { name: str, port: int32, protocol: str, appProtocol: str }, { required: ['port'] }),
];

