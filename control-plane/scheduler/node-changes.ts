// Which Node updates may make a parked pod schedulable (upstream's nodeSchedulingPropertiesChanged):
// allocatable, labels, taints, spec.unschedulable and the Ready condition. Heartbeats that only move
// timestamps do not count, so a busy cluster does not retry every parked pod every few seconds.
import type { Node } from '../../api/types/node.js';

function readyStatus(node: Node): string | undefined {
  return node.status?.conditions?.find((c) => c.type === 'Ready')?.status;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

export function nodeSchedulingPropertiesChanged(old: Node, node: Node): boolean {
  if (Boolean(old.spec?.unschedulable) !== Boolean(node.spec?.unschedulable)) return true;
  if (readyStatus(old) !== readyStatus(node)) return true;
  if (!same(old.status?.allocatable, node.status?.allocatable)) return true;
  if (!same(old.metadata.labels, node.metadata.labels)) return true;
  return !same(old.spec?.taints, node.spec?.taints);
}
