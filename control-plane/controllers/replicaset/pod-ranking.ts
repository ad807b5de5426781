// Which pods a ReplicaSet deletes first when scaling down (upstream's ActivePodsWithRanks): the least
// useful first, so a scale-down removes pending and broken pods before serving ones.
import type { Pod } from '../../../api/index.js';
import { isPodReady, readyCondition, restartCount } from '../pod-util.js';
import { parseTime } from '../time.js';

const phaseOrder: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** Negative when `a` should be deleted before `b`. `rank` counts related pods on each pod's node. */
export function compareForDeletion(a: Pod, b: Pod, rank: (p: Pod) => number): number {
  const aBound = a.spec?.nodeName ? 1 : 0;
  const bBound = b.spec?.nodeName ? 1 : 0;
  if (aBound !== bBound) return aBound - bBound;
  const aPhase = phaseOrder[a.status?.phase ?? 'Pending'] ?? 0;
  const bPhase = phaseOrder[b.status?.phase ?? 'Pending'] ?? 0;
  if (aPhase !== bPhase) return aPhase - bPhase;
  const aReady = isPodReady(a) ? 1 : 0;
  const bReady = isPodReady(b) ? 1 : 0;
  if (aReady !== bReady) return aReady - bReady;
  // More pods of the same owner on a node: delete from there first, to spread what remains.
  const aRank = rank(a);
  const bRank = rank(b);
  if (aRank !== bRank) return bRank - aRank;
  if (aReady && bReady) {
    // Ready for less time is less proven: delete it first.
    const aSince = parseTime(readyCondition(a)?.lastTransitionTime) ?? 0;
    const bSince = parseTime(readyCondition(b)?.lastTransitionTime) ?? 0;
    if (aSince !== bSince) return bSince - aSince;
  }
  const aRestarts = restartCount(a);
  const bRestarts = restartCount(b);
  if (aRestarts !== bRestarts) return bRestarts - aRestarts;
  const aCreated = parseTime(a.metadata.creationTimestamp) ?? 0;
  const bCreated = parseTime(b.metadata.creationTimestamp) ?? 0;
  if (aCreated !== bCreated) return bCreated - aCreated;
  return (b.metadata.name ?? '').localeCompare(a.metadata.name ?? '');
}

/** The `count` pods to delete first among `pods`, ranked against `related` (pods of the same owner). */
export function podsToDelete(pods: Pod[], related: Pod[], count: number): Pod[] {
  const perNode = new Map<string, number>();
  for (const p of related) {
    const node = p.spec?.nodeName;
    if (node) perNode.set(node, (perNode.get(node) ?? 0) + 1);
  }
  const rank = (p: Pod): number => (p.spec?.nodeName ? (perNode.get(p.spec.nodeName) ?? 0) : 0);
  return [...pods].sort((a, b) => compareForDeletion(a, b, rank)).slice(0, count);
}
