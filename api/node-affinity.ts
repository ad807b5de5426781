// Node selector matching as upstream's component-helpers do it: the scheduler's NodeAffinity filter,
// the DaemonSet controller and the kubelet's admission all ask the same question.
import type { KubeObject } from './object.js';
import type { NodeSelectorRequirement, NodeSelectorTerm } from './types/scheduling.js';

function requirementMatches(rq: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = rq.values ?? [];
  switch (rq.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      // Both sides must be integers; anything else never matches (upstream's parse error path).
      if (value === undefined || values.length !== 1 || !/^-?\d+$/.test(value) || !/^-?\d+$/.test(values[0] ?? '')) return false;
      const lhs = Number(value);
      const rhs = Number(values[0]);
      return rq.operator === 'Gt' ? lhs > rhs : lhs < rhs;
    }
    default:
      return false;
  }
}

/** One term: every matchExpressions entry against labels and every matchFields entry against the name. An empty term matches nothing. */
export function nodeSelectorTermMatches(term: NodeSelectorTerm, node: Pick<KubeObject, 'metadata'>): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  const label = (key: string): string | undefined => (Object.prototype.hasOwnProperty.call(labels, key) ? labels[key] : undefined);
  if (!exprs.every((rq) => requirementMatches(rq, label(rq.key)))) return false;
  return fields.every((rq) => rq.key === 'metadata.name' && requirementMatches(rq, node.metadata.name ?? ''));
}

/** The terms are ORed: true when any term matches the node. */
export function nodeSelectorTermsMatch(terms: readonly NodeSelectorTerm[] | undefined, node: Pick<KubeObject, 'metadata'>): boolean {
  return (terms ?? []).some((t) => nodeSelectorTermMatches(t, node));
}
