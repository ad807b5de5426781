// Mutating admission the API server runs on create, after defaulting and once the object has its
// uid, before validation — the plugins and registry hooks upstream enables by default that Skiff has:
//  - DefaultTolerationSeconds: pods tolerate the not-ready and unreachable NoExecute taints for a
//    bounded time (300 s unless configured), so the taint manager evicts them after that;
//  - the Job registry's selector generation (batch.kubernetes.io/controller-uid=<uid>);
//  - NodeRestriction's checks of what a node writes to its own Node (node-restriction.ts), on create
//    and, through admitUpdate, on every update or patch of the main resource and its status.
import { generateJobSelector } from '../../api/index.js';
import type { KubeObject } from '../../api/object.js';
import type { ResourceInfo } from '../../api/resources.js';
import { isRecord } from './body.js';
import { admitNodeRestriction } from './node-restriction.js';
import type { UserInfo } from './security.js';

/** Settings of the admission step; see ApiServerOptions. */
export interface AdmissionSettings {
  defaultNotReadyTolerationSeconds: number;
  defaultUnreachableTolerationSeconds: number;
}

export const defaultAdmissionSettings: AdmissionSettings = { defaultNotReadyTolerationSeconds: 300, defaultUnreachableTolerationSeconds: 300 };

const notReadyTaint = 'node.kubernetes.io/not-ready';
const unreachableTaint = 'node.kubernetes.io/unreachable';

/** Upstream's test: a toleration of that key (or of every key) for NoExecute (or every effect). */
function tolerates(tolerations: unknown[], key: string): boolean {
  return tolerations.some((t) => {
    if (!isRecord(t)) return false;
    const k = t.key ?? '';
    const effect = t.effect ?? '';
    return (k === key || k === '') && (effect === 'NoExecute' || effect === '');
  });
}

export function addDefaultTolerations(pod: KubeObject, settings: AdmissionSettings): void {
  const spec = isRecord(pod.spec) ? pod.spec : undefined;
  if (!spec) return;
  const tolerations = Array.isArray(spec.tolerations) ? [...(spec.tolerations as unknown[])] : [];
  const wanted: [string, number][] = [
    [notReadyTaint, settings.defaultNotReadyTolerationSeconds],
    [unreachableTaint, settings.defaultUnreachableTolerationSeconds],
  ];
  const added = wanted
    .filter(([key]) => !tolerates(tolerations, key))
    .map(([key, seconds]) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds }));
  if (added.length > 0) spec.tolerations = [...tolerations, ...added];
}

/** `requester` is the request's user; absent for the server's own writes, which admission lets through. */
export function admitCreate(r: ResourceInfo, obj: KubeObject, settings: AdmissionSettings, requester?: UserInfo): void {
  if (r.group === '' && r.plural === 'pods') addDefaultTolerations(obj, settings);
  if (r.group === 'batch' && r.plural === 'jobs') generateJobSelector(obj);
  admitNodeRestriction(r, requester, obj);
}

/** Admission of an update: `next` is the object about to be stored, `current` the stored one. */
export function admitUpdate(r: ResourceInfo, next: KubeObject, current: KubeObject, requester?: UserInfo): void {
  admitNodeRestriction(r, requester, next, current);
}
