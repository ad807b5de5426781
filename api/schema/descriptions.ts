// Short descriptions for `kubectl explain`: each kind, and the fields every kind shares.

export const typeMetaDescriptions = {
  apiVersion:
    'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.',
  kind: 'Kind is a string value representing the REST resource this object represents. In CamelCase. Cannot be updated.',
  metadata: "Standard object's metadata.",
  listMetadata: 'Standard list metadata.',
  spec: 'Specification of the desired behavior of the object.',
  status: 'Most recently observed status of the object. Populated by the system. Read-only.',
};

/** Kind name → what it is, keyed by the definition's short name (`Pod`, `Deployment`). */
export const kindDescriptions: Readonly<Record<string, string>> = {
  Pod: 'Pod is a collection of containers that can run on a host. This resource is created by clients and scheduled onto hosts.',
  Node: 'Node is a worker in Kubernetes. Each node has a unique identifier in the cache (i.e. in etcd).',
  Namespace: 'Namespace provides a scope for Names. Use of multiple namespaces is optional.',
  Service:
    'Service is a named abstraction of software service (for example, mysql) consisting of local port (for example 3306) that the proxy listens on, and the selector that determines which pods will answer requests sent through the proxy.',
  Endpoints: 'Endpoints is a collection of endpoints that implement the actual service.',
  Event: 'Event is a report of an event somewhere in the cluster.',
  ConfigMap: 'ConfigMap holds configuration data for pods to consume.',
  Secret: 'Secret holds secret data of a certain type. The total bytes of the values in the Data field must be less than MaxSecretSize bytes.',
  ServiceAccount: 'ServiceAccount binds together a name, a principal that can be authenticated and authorized, and a set of secrets.',
  ReplicaSet: 'ReplicaSet ensures that a specified number of pod replicas are running at any given time.',
  Deployment: 'Deployment enables declarative updates for Pods and ReplicaSets.',
  DaemonSet: 'DaemonSet represents the configuration of a daemon set.',
  ControllerRevision: 'ControllerRevision implements an immutable snapshot of state data.',
  Job: 'Job represents the configuration of a single job.',
  EndpointSlice: 'EndpointSlice represents a subset of the endpoints that implement a service.',
  Lease: 'Lease defines a lease concept.',
  Scale: 'Scale represents a scaling request for a resource.',
  Role: 'Role is a namespaced, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding.',
  ClusterRole: 'ClusterRole is a cluster level, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding or ClusterRoleBinding.',
  RoleBinding:
    'RoleBinding references a role, but does not contain it. It can reference a Role in the same namespace or a ClusterRole in the global namespace.',
  ClusterRoleBinding: 'ClusterRoleBinding references a ClusterRole, but not contain it. It can reference a ClusterRole in the global namespace, and adds who information via Subject.',
  CertificateSigningRequest:
    'CertificateSigningRequest objects provide a mechanism to obtain x509 certificates by submitting a certificate signing request, and having it asynchronously approved and issued.',
  Binding: 'Binding ties one object to another; for example, a pod is bound to a node by a scheduler.',
};
