// Pod defaulting (upstream's SetDefaults_Pod, SetDefaults_PodSpec, SetDefaults_Container and friends in
// pkg/apis/core/v1/defaults.go). Only empty fields are filled; "" counts as empty, as in Go.
import type { Container, PodSpec, Probe, Volume } from '../types/pod.js';

/** Upstream's DefaultTerminationGracePeriodSeconds. */
export const defaultTerminationGracePeriodSeconds = 30;
/** 0644: the mode files in secret, configMap, downwardAPI and projected volumes get. */
export const defaultVolumeFileMode = 0o644;

function empty(v: unknown): boolean {
  return v === undefined || v === null || v === '';
}

function asObject(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function asList<T>(v: unknown): T[] {
  return Array.isArray(v) ? (v as T[]) : [];
}

/** The tag of an image reference: '' with a digest, `latest` when none is given. */
export function imageTag(image: string): string {
  if (image.includes('@')) {
    const beforeDigest = image.slice(0, image.indexOf('@'));
    const colon = beforeDigest.lastIndexOf(':');
    return colon > beforeDigest.lastIndexOf('/') ? beforeDigest.slice(colon + 1) : '';
  }
  const colon = image.lastIndexOf(':');
  return colon > image.lastIndexOf('/') ? image.slice(colon + 1) : 'latest';
}

/** Always for `:latest` (or untagged) images, IfNotPresent otherwise. */
export function defaultPullPolicy(image: string | undefined): 'Always' | 'IfNotPresent' {
  return imageTag(image ?? '') === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultHTTPGet(handler: Record<string, unknown> | undefined): void {
  const get = asObject(handler?.['httpGet']);
  if (!get) return;
  if (empty(get['path'])) get['path'] = '/';
  if (empty(get['scheme'])) get['scheme'] = 'HTTP';
}

function defaultProbe(probe: Probe | undefined): void {
  if (!asObject(probe) || !probe) return;
  if (!probe.timeoutSeconds) probe.timeoutSeconds = 1;
  if (!probe.periodSeconds) probe.periodSeconds = 10;
  if (!probe.successThreshold) probe.successThreshold = 1;
  if (!probe.failureThreshold) probe.failureThreshold = 3;
  defaultHTTPGet(probe as Record<string, unknown>);
}

function defaultFieldRef(ref: unknown): void {
  const r = asObject(ref);
  if (r && empty(r['apiVersion'])) r['apiVersion'] = 'v1';
}

function defaultContainer(c: Container): void {
  if (!asObject(c)) return;
  if (empty(c.imagePullPolicy)) c.imagePullPolicy = defaultPullPolicy(c.image);
  if (empty(c.terminationMessagePath)) c.terminationMessagePath = '/dev/termination-log';
  if (empty(c.terminationMessagePolicy)) c.terminationMessagePolicy = 'File';
  for (const port of asList<Record<string, unknown>>(c.ports)) {
    if (empty(port['protocol'])) port['protocol'] = 'TCP';
  }
  for (const env of asList<Record<string, unknown>>(c.env)) defaultFieldRef(asObject(env['valueFrom'])?.['fieldRef']);
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  const lifecycle = asObject(c.lifecycle);
  defaultHTTPGet(asObject(lifecycle?.['postStart']));
  defaultHTTPGet(asObject(lifecycle?.['preStop']));
}

const volumeSourceKeys = ['emptyDir', 'hostPath', 'configMap', 'secret', 'downwardAPI', 'projected', 'persistentVolumeClaim'];

function defaultDownwardItems(items: unknown): void {
  for (const item of asList<Record<string, unknown>>(items)) defaultFieldRef(item['fieldRef']);
}

function defaultVolume(vol: Volume): void {
  const v = asObject(vol);
  if (!v) return;
  // A volume with no source is an emptyDir (upstream's SetDefaults_Volume).
  if (!volumeSourceKeys.some((k) => v[k] !== undefined && v[k] !== null) && !Object.keys(v).some((k) => k !== 'name')) {
    v['emptyDir'] = {};
  }
  for (const k of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    const src = asObject(v[k]);
    if (src && (src['defaultMode'] === undefined || src['defaultMode'] === null)) src['defaultMode'] = defaultVolumeFileMode;
  }
  const hostPath = asObject(v['hostPath']);
  if (hostPath && (hostPath['type'] === undefined || hostPath['type'] === null)) hostPath['type'] = '';
  defaultDownwardItems(asObject(v['downwardAPI'])?.['items']);
  for (const source of asList<Record<string, unknown>>(asObject(v['projected'])?.['sources'])) {
    defaultDownwardItems(asObject(source['downwardAPI'])?.['items']);
    const sat = asObject(source['serviceAccountToken']);
    if (sat && !sat['expirationSeconds']) sat['expirationSeconds'] = 3600;
  }
}

/** Pod spec defaults, as every pod template gets them too. */
export function defaultPodSpec(spec: PodSpec | undefined): void {
  if (!asObject(spec) || !spec) return;
  if (empty(spec.dnsPolicy)) spec.dnsPolicy = 'ClusterFirst';
  if (empty(spec.restartPolicy)) spec.restartPolicy = 'Always';
  if (spec.terminationGracePeriodSeconds === undefined || spec.terminationGracePeriodSeconds === null) {
    spec.terminationGracePeriodSeconds = defaultTerminationGracePeriodSeconds;
  }
  if (!asObject(spec.securityContext)) spec.securityContext = {};
  if (empty(spec.schedulerName)) spec.schedulerName = 'default-scheduler';
  // The deprecated alias still wins when it is the only one given.
  if (empty(spec.serviceAccountName) && !empty(spec.serviceAccount)) spec.serviceAccountName = spec.serviceAccount;
  const containers = asList<Container>(spec.containers);
  const initContainers = asList<Container>(spec.initContainers);
  for (const c of [...initContainers, ...containers]) defaultContainer(c);
  for (const vol of asList<Volume>(spec.volumes)) defaultVolume(vol);
  if (spec.hostNetwork === true) {
    // With the host's network, a container port is a host port (upstream's defaultHostNetworkPorts).
    for (const c of [...initContainers, ...containers]) {
      for (const port of asList<Record<string, unknown>>(c.ports)) {
        if (!port['hostPort']) port['hostPort'] = port['containerPort'];
      }
    }
  }
}

/** Requests default to limits for resources that have a limit but no request. */
function defaultRequestsFromLimits(c: Container): void {
  const res = asObject(c.resources);
  const limits = asObject(res?.['limits']);
  if (!res || !limits || Object.keys(limits).length === 0) return;
  const requests = asObject(res['requests']) ?? {};
  for (const [name, q] of Object.entries(limits)) {
    if (requests[name] === undefined) requests[name] = q;
  }
  res['requests'] = requests;
}

/** A whole Pod: the spec defaults plus what only pods (not templates) get. */
export function defaultPod(pod: Record<string, unknown>): void {
  const spec = asObject(pod['spec']) as PodSpec | undefined;
  if (!spec) return;
  defaultPodSpec(spec);
  if (spec.enableServiceLinks === undefined || spec.enableServiceLinks === null) spec.enableServiceLinks = true;
  for (const c of [...asList<Container>(spec.initContainers), ...asList<Container>(spec.containers)]) defaultRequestsFromLimits(c);
}

/** Defaults the pod spec inside a workload's `spec.template`. */
export function defaultTemplate(spec: Record<string, unknown> | undefined): void {
  const template = asObject(spec?.['template']);
  defaultPodSpec(asObject(template?.['spec']) as PodSpec | undefined);
}
