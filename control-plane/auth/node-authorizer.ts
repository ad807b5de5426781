// The node authorizer: what a kubelet (user `system:node:<name>` in group `system:nodes`) may do. Upstream
// splits this between the Node authorizer (graph-based secret/configmap access), the system:node RBAC role
// and the NodeRestriction admission plugin (own Node, own pods); Skiff decides it in one place. For node
// users the answer is final (allow or deny); for everyone else it has no opinion and RBAC decides.
//
// Creates carry no name in the request path, so `create` of a Node or Lease is allowed here when the
// attributes have no name; the server must either put the body's metadata.name into the attributes or
// check it in admission (upstream's NodeRestriction), or a node could register another node.
import type { AuthorizationAttributes, UserInfo } from '../apiserver/security.js';
import {
  allow,
  deny,
  isResourceRequest,
  noOpinion,
  type AuthorizationDecision,
  type DecidingAuthorizer,
} from './authorization-decision.js';
import type { NodeGraph } from './node-graph.js';
import { nodeUserPrefix, systemNodes } from '../../pki/well-known.js';

/** The namespace kubelets keep their heartbeat Leases in. */
export const nodeLeaseNamespace = 'kube-node-lease';

const readVerbs = new Set(['get', 'list', 'watch']);

/** The node name of a node identity (`system:node:<name>` in `system:nodes`), else undefined. */
export function nodeNameOf(user: UserInfo): string | undefined {
  if (!user.name.startsWith(nodeUserPrefix) || !user.groups.includes(systemNodes)) return undefined;
  const name = user.name.slice(nodeUserPrefix.length);
  return name.length > 0 ? name : undefined;
}

/** The request names this node's own object, or is a create whose name the server checks elsewhere. */
function ownObject(a: AuthorizationAttributes, node: string): boolean {
  return a.name === node || (a.verb === 'create' && a.name === undefined);
}

/** Decides node users' requests; see the file comment for what is allowed. */
export class NodeAuthorizer implements DecidingAuthorizer {
  constructor(private readonly graph: NodeGraph) {}

  async decide(a: AuthorizationAttributes): Promise<AuthorizationDecision> {
    const node = nodeNameOf(a.user);
    if (node === undefined) return noOpinion;
    // Discovery (/api, /version, ...) is RBAC's: nodes are authenticated users like any other there.
    if (!isResourceRequest(a)) return noOpinion;
    const sub = a.subresource ?? '';
    switch (`${a.apiGroup}/${a.resource}`) {
      case '/nodes':
        return this.nodes(a, node, sub);
      case '/pods':
        return this.pods(a, node, sub);
      case '/services':
      case '/endpoints':
      case 'discovery.k8s.io/endpointslices':
        return readVerbs.has(a.verb) && sub === '' ? allow : deny();
      case 'coordination.k8s.io/leases':
        return a.namespace === nodeLeaseNamespace && sub === '' && ['get', 'create', 'update'].includes(a.verb) && ownObject(a, node)
          ? allow
          : deny();
      case '/events':
      case 'events.k8s.io/events':
        // The kubelet's event recorder creates events and patches them to count repeats.
        return ['create', 'update', 'patch'].includes(a.verb) && sub === '' ? allow : deny();
      case '/secrets':
      case '/configmaps':
        return this.podDependency(a, node, a.resource as 'secrets' | 'configmaps');
      case 'certificates.k8s.io/certificatesigningrequests':
        return ['create', 'get', 'list', 'watch'].includes(a.verb) && sub === '' ? allow : deny();
      default:
        return deny();
    }
  }

  private nodes(a: AuthorizationAttributes, node: string, sub: string): AuthorizationDecision {
    if (sub !== '' && sub !== 'status') return deny();
    if (readVerbs.has(a.verb)) return allow;
    if (['create', 'update', 'patch'].includes(a.verb) && ownObject(a, node)) return allow;
    return deny();
  }

  private async pods(a: AuthorizationAttributes, node: string, sub: string): Promise<AuthorizationDecision> {
    if (readVerbs.has(a.verb) && (sub === '' || sub === 'status')) return allow;
    const statusWrite = sub === 'status' && (a.verb === 'update' || a.verb === 'patch');
    // Delete is the kubelet's final removal once the pod's containers are gone (graceful deletion's last step).
    const finalDelete = sub === '' && a.verb === 'delete';
    if (!statusWrite && !finalDelete) return deny();
    if (!a.namespace || !a.name) return deny();
    return (await this.graph.podNodeName(a.namespace, a.name)) === node ? allow : deny();
  }

  private async podDependency(a: AuthorizationAttributes, node: string, kind: 'secrets' | 'configmaps'): Promise<AuthorizationDecision> {
    // Only single-object reads: list/watch would reveal objects no pod of this node uses.
    if (a.verb !== 'get' || (a.subresource ?? '') !== '' || !a.namespace || !a.name) {
      return deny('can only get individual resources of this type');
    }
    if (await this.graph.nodeReferences(node, kind, a.namespace, a.name)) return allow;
    // Upstream's wording for a missing graph edge.
    return deny(`no relationship found between node '${node}' and this object`);
  }
}
