// Per-kind rules upstream keeps in each resource's strategy (PrepareForCreate / PrepareForUpdate):
// which objects start with a fresh status, what namespaces get on creation, and who asked for a
// CertificateSigningRequest.
import type { FieldError } from '../../api/errors.js';
import type { KubeObject } from '../../api/object.js';
import type { ResourceInfo } from '../../api/resources.js';
import { csrRequestFramingError, validateApprovalConditionsUnchanged } from '../../api/index.js';
import { parseCsr } from '../../pki/index.js';
import { isRecord } from './body.js';
import type { UserInfo } from './security.js';

/** Kinds whose status a client cannot set at creation: the controllers or kubelet own it. */
const freshStatusOnCreate: Record<string, () => Record<string, unknown>> = {
  pods: () => ({ phase: 'Pending' }),
  deployments: () => ({}),
  replicasets: () => ({ replicas: 0 }),
  daemonsets: () => ({ currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 }),
  jobs: () => ({}),
  services: () => ({ loadBalancer: {} }),
  namespaces: () => ({ phase: 'Active' }),
  // Upstream: "Be explicit that users cannot create pre-approved certificate requests."
  certificatesigningrequests: () => ({}),
};

/**
 * Kinds whose strategies set metadata.generation (1 on create, +1 per spec change). Kinds without a
 * spec/status split (ConfigMap, Secret, Event, Endpoints, Lease, ...) and Services, Namespaces and
 * Nodes leave it unset upstream.
 */
const generationTracked = new Set(['/pods', 'apps/replicasets', 'apps/deployments', 'apps/daemonsets', 'apps/statefulsets', 'batch/jobs', 'batch/cronjobs']);

export function tracksGeneration(r: ResourceInfo): boolean {
  return generationTracked.has(`${r.group}/${r.plural}`);
}

export function hasStatusSubresource(r: ResourceInfo): boolean {
  return r.subresources.includes('status');
}

/**
 * PrepareForCreate. `requester` is the authenticated user of the request (upstream reads it from the
 * request context); a CertificateSigningRequest records it, overwriting whatever the client sent.
 */
export function prepareForCreateByKind(r: ResourceInfo, obj: KubeObject, requester?: RequestUser): void {
  const fresh = freshStatusOnCreate[r.plural];
  if (fresh && hasStatusSubresource(r)) obj.status = fresh();
  if (isCsr(r)) stampCsrRequester(obj, requester);
  if (r.plural === 'namespaces' && r.group === '') {
    // Upstream's namespace strategy adds the `kubernetes` finalizer: the namespace controller removes it
    // (PUT .../finalize) once everything inside is gone.
    const spec = isRecord(obj.spec) ? obj.spec : (obj.spec = {});
    if (!Array.isArray(spec.finalizers)) spec.finalizers = ['kubernetes'];
  }
}

/**
 * PrepareForUpdate of the main resource, after its status was kept: upstream's CSR strategy keeps the
 * stored spec too ("certificate requests are immutable after creation except via subresources").
 */
export function prepareForUpdateByKind(r: ResourceInfo, next: KubeObject, current: KubeObject): void {
  if (isCsr(r) && current.spec !== undefined) next.spec = current.spec;
}

/** A namespace's spec.finalizers (the `finalize` subresource's list), empty for other kinds. */
export function specFinalizers(obj: KubeObject): unknown[] {
  const f = isRecord(obj.spec) ? obj.spec.finalizers : undefined;
  return Array.isArray(f) ? f : [];
}

/** True when a terminating object has nothing left holding it and can leave the store. */
export function readyToRemove(obj: KubeObject): boolean {
  const m = obj.metadata;
  if (!m.deletionTimestamp) return false;
  if ((m.finalizers ?? []).length > 0) return false;
  if (specFinalizers(obj).length > 0) return false;
  // A pod in its grace period waits for the kubelet's final delete with gracePeriodSeconds=0.
  return (m.deletionGracePeriodSeconds ?? 0) === 0;
}

// ---- CertificateSigningRequest (upstream's pkg/registry/certificates/certificates/strategy.go) ----------

/** The authenticated user as a strategy sees it; uid and extra when the authenticator knows them. */
export type RequestUser = UserInfo & { uid?: string; extra?: Record<string, string[]> };

function isCsr(r: Pick<ResourceInfo, 'group' | 'plural'>): boolean {
  return r.group === 'certificates.k8s.io' && r.plural === 'certificatesigningrequests';
}

/** Clears the requester fields a client sent and records the authenticated user instead. */
function stampCsrRequester(obj: KubeObject, requester: RequestUser | undefined): void {
  const spec = isRecord(obj.spec) ? obj.spec : (obj.spec = {});
  delete spec.username;
  delete spec.uid;
  delete spec.groups;
  delete spec.extra;
  if (!requester) return;
  spec.username = requester.name;
  if (requester.uid) spec.uid = requester.uid;
  if (requester.groups.length > 0) spec.groups = [...requester.groups];
  if (requester.extra && Object.keys(requester.extra).length > 0) {
    spec.extra = Object.fromEntries(Object.entries(requester.extra).map(([k, v]) => [k, [...v]]));
  }
}

/**
 * Create-time checks that need the control plane's crypto (api/ validation stays free of it): the
 * request must parse as PKCS#10 and its self-signature verify, proving the requester holds the key.
 */
export function serverCreateErrors(r: ResourceInfo, obj: KubeObject): FieldError[] {
  if (!isCsr(r)) return [];
  const request = isRecord(obj.spec) ? obj.spec.request : undefined;
  // A framing error is already reported by api/ validation.
  if (typeof request !== 'string' || csrRequestFramingError(request)) return [];
  try {
    parseCsr(Buffer.from(request, 'base64').toString('utf8'));
    return [];
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return [{ field: 'spec.request', type: 'FieldValueInvalid', detail: `Invalid value: []byte{...}: ${message}` }];
  }
}

type Condition = Record<string, unknown>;

function conditions(obj: KubeObject): Condition[] {
  const list = isRecord(obj.status) ? obj.status.conditions : undefined;
  return Array.isArray(list) ? list.filter(isRecord) : [];
}

/** Upstream's populateConditionTimestamps: lastUpdateTime now, lastTransitionTime kept while type/status hold. */
function populateConditionTimestamps(next: Condition[], old: Condition[], now: string): void {
  for (const c of next) {
    if (!c.lastUpdateTime) c.lastUpdateTime = now;
    if (c.lastTransitionTime) continue;
    const same = old.find((o) => o.type === c.type && o.status === c.status && o.lastTransitionTime);
    c.lastTransitionTime = same?.lastTransitionTime ?? now;
  }
}

function nowTimestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function withConditions(obj: KubeObject, list: Condition[]): KubeObject {
  const status = isRecord(obj.status) ? { ...obj.status } : {};
  if (list.length > 0) status.conditions = list;
  else delete status.conditions;
  return { ...obj, status };
}

/**
 * A PUT/PATCH of `certificatesigningrequests/status` (signers): the wanted status, with the stored
 * Approved/Denied conditions put back (only .../approval changes those) and timestamps filled in.
 * Returns the object to store, or the errors of an attempt to add or change an approval condition.
 */
export function csrStatusUpdate(wanted: KubeObject, current: KubeObject): { object: KubeObject; errors: FieldError[] } {
  const old = conditions(current);
  const next = conditions(wanted).map((c) => ({ ...c }));
  for (const type of ['Approved', 'Denied']) {
    const oldOnes = old.filter((c) => c.type === type);
    const newIdx = next.flatMap((c, i) => (c.type === type ? [i] : []));
    if (oldOnes.length !== newIdx.length) continue;
    newIdx.forEach((idx, k) => (next[idx] = { ...oldOnes[k] }));
  }
  populateConditionTimestamps(next, old, nowTimestamp());
  // The wanted metadata travels on so its resourceVersion precondition is checked; the update keeps the
  // stored metadata otherwise, as every status write does.
  const object = withConditions({ ...current, metadata: wanted.metadata, status: isRecord(wanted.status) ? wanted.status : {} }, next);
  return { object, errors: validateApprovalConditionsUnchanged(object, current) };
}

/**
 * A PUT/PATCH of `certificatesigningrequests/approval` (approvers, `kubectl certificate approve`): only
 * status.conditions change; spec and status.certificate stay as stored.
 */
export function csrApprovalUpdate(wanted: KubeObject, current: KubeObject): KubeObject {
  const next = conditions(wanted).map((c) => ({ ...c }));
  populateConditionTimestamps(next, conditions(current), nowTimestamp());
  return withConditions({ ...current, metadata: wanted.metadata }, next);
}

export { isCsr as isCsrResource };
