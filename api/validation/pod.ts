// Pods: the spec (shared with every workload template), the status IPs, and the update rule that
// a pod's spec is immutable except for images, activeDeadlineSeconds and added tolerations.
import type { FieldError } from '../errors.js';
import { validateLabels } from '../labels/validation.js';
import { inclusiveRangeError, isDNS1123Label, isDNS1123Subdomain, isValidIP } from '../names.js';
import type { KubeObject } from '../object.js';
import type { Container, PodSpec, Toleration, Volume } from '../types/pod.js';
import { validateContainers, validateInitContainers, type ContainerContext } from './container.js';
import {
  asArray,
  asRecord,
  child,
  deepEqual,
  forbidden,
  index,
  invalid,
  isNegativeErrorMsg,
  notSupported,
  required,
} from './field-error.js';
import { validateAffinity, validateTolerations } from './scheduling.js';
import { validateVolumes } from './volume.js';

export const restartPolicies = ['Always', 'OnFailure', 'Never'];
export const dnsPolicies = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const maxInt32 = 2147483647;

function validateEnum(value: unknown, allowed: readonly string[], path: string): FieldError[] {
  if (value === undefined) return [];
  if (value === '') return [required(path, '')];
  return allowed.includes(String(value)) ? [] : [notSupported(path, value, allowed)];
}

function validateDNSName(value: unknown, check: (v: string) => string[], path: string): FieldError[] {
  if (typeof value !== 'string' || value === '') return [];
  return check(value).map((msg) => invalid(path, value, msg));
}

/** A pod spec at `path` (`spec`, or `spec.template.spec` inside workloads). */
export function validatePodSpec(spec: PodSpec | undefined, path: string): FieldError[] {
  const s: PodSpec = spec ?? { containers: [] };
  const errs: FieldError[] = [];
  const { names, errors } = validateVolumes(asArray<Volume>(s.volumes), child(path, 'volumes'));
  errs.push(...errors);
  const ctx: ContainerContext = {
    volumeNames: names,
    allNames: new Set<string>(),
    gracePeriodSeconds: s.terminationGracePeriodSeconds,
    hostNetwork: s.hostNetwork === true,
  };
  // Init containers first: upstream reports a duplicate name on the app container.
  const initErrs = validateInitContainers(asArray<Container>(s.initContainers), child(path, 'initContainers'), ctx);
  errs.push(...validateContainers(asArray<Container>(s.containers), child(path, 'containers'), ctx));
  errs.push(...initErrs);
  errs.push(...validateEnum(s.restartPolicy, restartPolicies, child(path, 'restartPolicy')));
  errs.push(...validateEnum(s.dnsPolicy, dnsPolicies, child(path, 'dnsPolicy')));
  if (s.dnsPolicy === 'None' && !asRecord(s.dnsConfig)) {
    errs.push(required(child(path, 'dnsConfig'), 'must provide `dnsConfig` when `dnsPolicy` is None'));
  }
  errs.push(...validateLabels(s.nodeSelector, child(path, 'nodeSelector')));
  errs.push(...validateAffinity(s.affinity, child(path, 'affinity')));
  errs.push(...validateDNSName(s.serviceAccountName, isDNS1123Subdomain, child(path, 'serviceAccountName')));
  errs.push(...validateDNSName(s.nodeName, isDNS1123Subdomain, child(path, 'nodeName')));
  errs.push(...validateDNSName(s.hostname, isDNS1123Label, child(path, 'hostname')));
  errs.push(...validateDNSName(s.subdomain, isDNS1123Label, child(path, 'subdomain')));
  if (s.activeDeadlineSeconds !== undefined && s.activeDeadlineSeconds !== null) {
    const v = s.activeDeadlineSeconds;
    if (v < 1 || v > maxInt32) errs.push(invalid(child(path, 'activeDeadlineSeconds'), v, inclusiveRangeError(1, maxInt32)));
  }
  if (typeof s.terminationGracePeriodSeconds === 'number' && s.terminationGracePeriodSeconds < 0) {
    errs.push(invalid(child(path, 'terminationGracePeriodSeconds'), s.terminationGracePeriodSeconds, isNegativeErrorMsg));
  }
  errs.push(...validateTolerations(asArray<Toleration>(s.tolerations), child(path, 'tolerations')));
  asArray<{ ip?: string }>(s.hostAliases).forEach((h, i) => {
    isValidIP(h.ip ?? '').forEach((msg) => errs.push(invalid(child(index(child(path, 'hostAliases'), i), 'ip'), h.ip ?? '', msg)));
  });
  return errs;
}

function validatePodStatus(status: unknown, path: string): FieldError[] {
  const st = asRecord(status);
  if (!st) return [];
  const errs: FieldError[] = [];
  const phase = st['phase'];
  if (phase !== undefined && !['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'].includes(String(phase))) {
    errs.push(notSupported(child(path, 'phase'), phase, ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown']));
  }
  for (const f of ['podIP', 'hostIP'] as const) {
    const ip = st[f];
    if (typeof ip === 'string' && ip !== '') isValidIP(ip).forEach((msg) => errs.push(invalid(child(path, f), ip, msg)));
  }
  for (const f of ['podIPs', 'hostIPs'] as const) {
    asArray<{ ip?: string }>(st[f]).forEach((e, i) => {
      isValidIP(e.ip ?? '').forEach((msg) => errs.push(invalid(child(index(child(path, f), i), 'ip'), e.ip ?? '', msg)));
    });
  }
  return errs;
}

/** A whole Pod on create (metadata is checked by the caller). */
export function validatePod(pod: KubeObject): FieldError[] {
  return [...validatePodSpec(pod['spec'] as PodSpec | undefined, 'spec'), ...validatePodStatus(pod['status'], 'status')];
}

const podUpdateForbiddenMsg =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

function sameToleration(a: Toleration, b: Toleration): boolean {
  return (
    (a.key ?? '') === (b.key ?? '') &&
    (a.operator ?? '') === (b.operator ?? '') &&
    (a.value ?? '') === (b.value ?? '') &&
    (a.effect ?? '') === (b.effect ?? '')
  );
}

/** Every old toleration must survive; only tolerationSeconds of a NoExecute one may be lowered. */
function validateOnlyAddedTolerations(next: Toleration[], prev: Toleration[], path: string): FieldError[] {
  for (const old of prev) {
    const kept = next.some((n) => {
      if (!sameToleration(n, old)) return false;
      if (old.tolerationSeconds === undefined) return n.tolerationSeconds === undefined;
      return n.tolerationSeconds !== undefined && n.tolerationSeconds <= old.tolerationSeconds;
    });
    if (!kept) return [forbidden(path, 'existing toleration can not be modified except its tolerationSeconds')];
  }
  return [];
}

function withImagesFrom(next: unknown, prev: unknown): unknown {
  const n = asArray<Container>(next);
  const p = asArray<Container>(prev);
  if (n.length !== p.length) return next;
  return n.map((c, i) => ({ ...c, image: p[i]?.image }));
}

/** Pod update rules on top of the create checks. */
export function validatePodUpdate(pod: KubeObject, old: KubeObject): FieldError[] {
  const next = (pod['spec'] ?? {}) as PodSpec;
  const prev = (old['spec'] ?? {}) as PodSpec;
  const errs: FieldError[] = [];
  const prevDeadline = prev.activeDeadlineSeconds;
  if (prevDeadline !== undefined && prevDeadline !== null) {
    const d = next.activeDeadlineSeconds;
    if (d === undefined || d === null) errs.push(invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
    else if (d > prevDeadline) errs.push(invalid('spec.activeDeadlineSeconds', d, 'must be less than or equal to previous value'));
  }
  errs.push(...validateOnlyAddedTolerations(asArray<Toleration>(next.tolerations), asArray<Toleration>(prev.tolerations), 'spec.tolerations'));
  const munged: Record<string, unknown> = {
    ...next,
    containers: withImagesFrom(next.containers, prev.containers),
    initContainers: next.initContainers === undefined ? undefined : withImagesFrom(next.initContainers, prev.initContainers),
    activeDeadlineSeconds: prev.activeDeadlineSeconds,
    tolerations: prev.tolerations,
  };
  const prevGrace = prev.terminationGracePeriodSeconds;
  if (typeof prevGrace === 'number' && prevGrace < 0 && next.terminationGracePeriodSeconds === 1) {
    munged['terminationGracePeriodSeconds'] = prevGrace;
  }
  if (!deepEqual(munged, prev)) errs.push(forbidden('spec', podUpdateForbiddenMsg));
  return errs;
}
