// Which nodes a DaemonSet runs on and how its pods are pinned there (upstream's daemon/util): the node
// must match the template's nodeSelector and required node affinity and have no NoSchedule/NoExecute
// taint the pod does not tolerate (counting the tolerations every daemon pod gets); the pod is pinned by
// a required node affinity on metadata.name, as upstream does since 1.12, so the scheduler binds it.
import type { DaemonSet, Node, Pod, PodTemplateSpec, Toleration } from '../../../api/index.js';
import { findUntoleratedTaint, nodeSelectorTermsMatch, selectorFromSet } from '../../../api/index.js';

/** The tolerations upstream adds to every daemon pod (AddOrUpdateDaemonPodTolerations). */
export function daemonTolerations(template: PodTemplateSpec | undefined): Toleration[] {
  const own = template?.spec?.tolerations ?? [];
  const extra: Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (template?.spec?.hostNetwork) extra.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  const same = (a: Toleration, b: Toleration): boolean => a.key === b.key && a.effect === b.effect && (a.operator ?? 'Equal') === (b.operator ?? 'Equal');
  return [...own, ...extra.filter((e) => !own.some((o) => same(o, e)))];
}

export function nodeShouldRunDaemonPod(ds: DaemonSet, node: Node): boolean {
  const spec = ds.spec?.template.spec;
  if (!selectorFromSet(spec?.nodeSelector ?? {}).matches(node.metadata.labels)) return false;
  const required = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required && !nodeSelectorTermsMatch(required.nodeSelectorTerms, node)) return false;
  return findUntoleratedTaint(node.spec?.taints, daemonTolerations(ds.spec?.template), ['NoSchedule', 'NoExecute']) === undefined;
}

/** The node a daemon pod is for: where it is bound, or where its metadata.name affinity pins it. */
export function targetNodeName(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const term of terms) {
    for (const f of term.matchFields ?? []) {
      if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
    }
  }
  return undefined;
}

/** The template for one node: pinned there by node affinity, with the daemon tolerations. */
export function templateForNode(template: PodTemplateSpec, nodeName: string): PodTemplateSpec {
  const t = structuredClone(template);
  const spec = t.spec ?? { containers: [] };
  t.spec = spec;
  spec.tolerations = daemonTolerations(template);
  spec.affinity = {
    ...(spec.affinity ?? {}),
    nodeAffinity: {
      ...(spec.affinity?.nodeAffinity ?? {}),
      // Replacing the required terms is safe: the node was already checked against them.
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }] },
    },
  };
  return t;
}
