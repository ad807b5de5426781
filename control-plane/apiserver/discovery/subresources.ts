// What each subresource answers with and accepts, as upstream's discovery documents list them
// (`pods/binding` takes a Binding, `deployments/scale` an autoscaling/v1 Scale, ...).
import type { ResourceInfo } from '../../../api/resources.js';

export interface SubresourceInfo {
  /** `status`, `scale`, ... */
  name: string;
  group: string;
  version: string;
  kind: string;
  verbs: string[];
}

const statusVerbs = ['get', 'patch', 'update'];

export function subresourceInfo(parent: ResourceInfo, name: string): SubresourceInfo {
  const own = (kind: string, verbs: string[]): SubresourceInfo => ({
    name,
    group: parent.group,
    version: parent.version,
    kind,
    verbs,
  });
  switch (name) {
    case 'status':
    // certificatesigningrequests/approval: read and replaced as the whole object, like status.
    case 'approval':
      return own(parent.kind, statusVerbs);
    case 'scale':
      return { name, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: statusVerbs };
    case 'binding':
      return own('Binding', ['create']);
    case 'eviction':
      return { name, group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] };
    case 'log':
      return own(parent.kind, ['get']);
    case 'exec':
      return own('PodExecOptions', ['create', 'get']);
    case 'attach':
      return own('PodAttachOptions', ['create', 'get']);
    case 'portforward':
      return own('PodPortForwardOptions', ['create', 'get']);
    case 'proxy':
      return own(`${parent.kind}ProxyOptions`, ['create', 'delete', 'get', 'patch', 'update']);
    case 'finalize':
      return own(parent.kind, ['update']);
    default:
      return own(parent.kind, ['get']);
  }
}
