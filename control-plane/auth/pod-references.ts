// Which Secrets and ConfigMaps a pod uses: the edges of upstream's node authorizer graph
// (plugin/pkg/auth/authorizer/node/graph_populator.go) for the kinds Skiff knows.
import type { Container } from '../../api/types/container.js';
import type { Pod } from '../../api/types/pod.js';

export type ReferencedKind = 'secrets' | 'configmaps';

function containerRefs(c: Container, kind: ReferencedKind): string[] {
  const names: (string | undefined)[] = [];
  for (const e of c.env ?? []) {
    names.push(kind === 'secrets' ? e.valueFrom?.secretKeyRef?.name : e.valueFrom?.configMapKeyRef?.name);
  }
  for (const e of c.envFrom ?? []) names.push(kind === 'secrets' ? e.secretRef?.name : e.configMapRef?.name);
  return names.filter((n): n is string => !!n);
}

/** Names of the `kind` objects `pod` references: volumes (incl. projected), env, envFrom, imagePullSecrets. */
export function podReferences(pod: Pod, kind: ReferencedKind): Set<string> {
  const spec = pod.spec;
  const names = new Set<string>();
  if (!spec) return names;
  for (const v of spec.volumes ?? []) {
    const direct = kind === 'secrets' ? v.secret?.secretName : v.configMap?.name;
    if (direct) names.add(direct);
    for (const s of v.projected?.sources ?? []) {
      const projected = kind === 'secrets' ? s.secret?.name : s.configMap?.name;
      if (projected) names.add(projected);
    }
  }
  for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
    for (const n of containerRefs(c, kind)) names.add(n);
  }
  if (kind === 'secrets') for (const s of spec.imagePullSecrets ?? []) if (s.name) names.add(s.name);
  return names;
}
