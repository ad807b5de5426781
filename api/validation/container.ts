// Container checks of ValidatePodSpec: names, image, ports, env, mounts, probes, lifecycle, resources.
// Enumerated fields that the defaulter fills (imagePullPolicy, protocol, ...) are only checked when
// present: the apiserver defaults before it validates, as upstream does.
import type { FieldError } from '../errors.js';
import { isConfigMapKey, isDNS1123Label, isDNS1123Subdomain, isEnvVarName, isQualifiedName, isValidPortName, isValidPortNum } from '../names.js';
import type { Container, ContainerPort, EnvFromSource, EnvVar, HTTPGetAction, LifecycleHandler, Probe, VolumeMount } from '../types/pod.js';
import type { IntOrString } from '../types/meta.js';
import {
  asArray,
  asRecord,
  child,
  duplicate,
  forbidden,
  index,
  invalid,
  notFound,
  notSupported,
  required,
  validateNonnegativeField,
} from './field-error.js';
import { parseResourceList, validateContainerResourceName } from './quantity-fields.js';

/** Upstream's supportedPortProtocols, in the sorted order its messages list them. */
export const supportedPortProtocols = ['SCTP', 'TCP', 'UDP'];

/** Port as number or name (probes, service targetPort), as upstream's ValidatePortNumOrName. */
export function validatePortNumOrName(port: IntOrString | undefined, path: string): FieldError[] {
  if (typeof port === 'string') return isValidPortName(port).map((msg) => invalid(path, port, msg));
  const n = typeof port === 'number' ? port : 0;
  return isValidPortNum(n).map((msg) => invalid(path, n, msg));
}

/** Protocol: Required when empty, one of SCTP/TCP/UDP otherwise; absent means "will be defaulted". */
export function validateProtocol(protocol: unknown, path: string): FieldError[] {
  if (protocol === undefined) return [];
  if (protocol === '') return [required(path, '')];
  return supportedPortProtocols.includes(String(protocol)) ? [] : [notSupported(path, protocol, supportedPortProtocols)];
}

function validateContainerPorts(ports: ContainerPort[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const p = index(path, i);
    if (port.name) {
      const msgs = isValidPortName(port.name);
      if (msgs.length > 0) msgs.forEach((msg) => errs.push(invalid(child(p, 'name'), port.name, msg)));
      else if (names.has(port.name)) errs.push(duplicate(child(p, 'name'), port.name));
      else names.add(port.name);
    }
    if (!port.containerPort) errs.push(required(child(p, 'containerPort'), ''));
    else isValidPortNum(port.containerPort).forEach((msg) => errs.push(invalid(child(p, 'containerPort'), port.containerPort, msg)));
    if (port.hostPort) isValidPortNum(port.hostPort).forEach((msg) => errs.push(invalid(child(p, 'hostPort'), port.hostPort, msg)));
    errs.push(...validateProtocol(port.protocol, child(p, 'protocol')));
  });
  return errs;
}

const envFieldPaths = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
];
/** Fields a downward API volume may project. */
export const volumeFieldPaths = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'];

/** fieldRef: apiVersion v1, a supported path, or `metadata.labels['k']` / `metadata.annotations['k']`. */
export function validateObjectFieldSelector(ref: unknown, supported: readonly string[], path: string): FieldError[] {
  const fs = asRecord(ref) ?? {};
  const apiVersion = fs['apiVersion'];
  const fieldPath = typeof fs['fieldPath'] === 'string' ? fs['fieldPath'] : '';
  if (apiVersion === '') return [required(child(path, 'apiVersion'), '')];
  if (fieldPath === '') return [required(child(path, 'fieldPath'), '')];
  if (apiVersion !== undefined && apiVersion !== 'v1') {
    return [invalid(child(path, 'fieldPath'), fieldPath, `error converting fieldPath: unsupported pod version: ${String(apiVersion)}`)];
  }
  const sub = /^(metadata\.(?:labels|annotations))\['(.*)'\]$/.exec(fieldPath);
  if (sub) {
    const key = sub[2] ?? '';
    const name = sub[1] === 'metadata.annotations' ? key.toLowerCase() : key;
    return isQualifiedName(name).map((msg) => invalid(child(path, 'fieldPath'), key, msg));
  }
  if (fieldPath.includes('[')) return [invalid(path, fieldPath, 'does not support subscript')];
  return supported.includes(fieldPath) ? [] : [notSupported(child(path, 'fieldPath'), fieldPath, supported)];
}

const resourceFieldRefResources = [
  'limits.cpu',
  'limits.ephemeral-storage',
  'limits.memory',
  'requests.cpu',
  'requests.ephemeral-storage',
  'requests.memory',
];

/** resourceFieldRef: a supported resource; containerName is required in volumes. */
export function validateResourceFieldSelector(ref: unknown, inVolume: boolean, path: string): FieldError[] {
  const fs = asRecord(ref) ?? {};
  const errs: FieldError[] = [];
  if (inVolume && !fs['containerName']) errs.push(required(child(path, 'containerName'), ''));
  const resource = typeof fs['resource'] === 'string' ? fs['resource'] : '';
  if (resource === '') errs.push(required(child(path, 'resource'), ''));
  else if (!resourceFieldRefResources.includes(resource) && !/^(limits|requests)\.hugepages-/.test(resource)) {
    errs.push(notSupported(child(path, 'resource'), resource, resourceFieldRefResources));
  }
  return errs;
}

function validateKeySelector(ref: unknown, path: string): FieldError[] {
  const s = asRecord(ref) ?? {};
  const errs: FieldError[] = [];
  const name = typeof s['name'] === 'string' ? s['name'] : '';
  isDNS1123Subdomain(name).forEach((msg) => errs.push(invalid(child(path, 'name'), name, msg)));
  const key = typeof s['key'] === 'string' ? s['key'] : '';
  if (key === '') errs.push(required(child(path, 'key'), ''));
  else isConfigMapKey(key).forEach((msg) => errs.push(invalid(child(path, 'key'), key, msg)));
  return errs;
}

function validateEnv(vars: EnvVar[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  vars.forEach((ev, i) => {
    const p = index(path, i);
    if (!ev.name) errs.push(required(child(p, 'name'), ''));
    else isEnvVarName(ev.name).forEach((msg) => errs.push(invalid(child(p, 'name'), ev.name, msg)));
    const from = asRecord(ev.valueFrom);
    if (!from) return;
    const vp = child(p, 'valueFrom');
    let sources = 0;
    if (from['fieldRef'] !== undefined) {
      sources++;
      errs.push(...validateObjectFieldSelector(from['fieldRef'], envFieldPaths, child(vp, 'fieldRef')));
    }
    if (from['resourceFieldRef'] !== undefined) {
      sources++;
      errs.push(...validateResourceFieldSelector(from['resourceFieldRef'], false, child(vp, 'resourceFieldRef')));
    }
    if (from['configMapKeyRef'] !== undefined) {
      sources++;
      errs.push(...validateKeySelector(from['configMapKeyRef'], child(vp, 'configMapKeyRef')));
    }
    if (from['secretKeyRef'] !== undefined) {
      sources++;
      errs.push(...validateKeySelector(from['secretKeyRef'], child(vp, 'secretKeyRef')));
    }
    if (sources === 0) errs.push(invalid(vp, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
    else if (ev.value) errs.push(invalid(vp, '', 'may not be specified when `value` is not empty'));
    else if (sources > 1) errs.push(invalid(vp, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

function validateEnvFrom(sources: EnvFromSource[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  sources.forEach((ev, i) => {
    const p = index(path, i);
    if (ev.prefix) isEnvVarName(ev.prefix).forEach((msg) => errs.push(invalid(child(p, 'prefix'), ev.prefix, msg)));
    let n = 0;
    for (const kind of ['configMapRef', 'secretRef'] as const) {
      const ref = asRecord(ev[kind]);
      if (!ref) continue;
      n++;
      const name = typeof ref['name'] === 'string' ? ref['name'] : '';
      if (name === '') errs.push(required(child(p, kind, 'name'), ''));
      else isDNS1123Subdomain(name).forEach((msg) => errs.push(invalid(child(p, kind, 'name'), name, msg)));
    }
    if (n === 0) errs.push(invalid(path, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (n > 1) errs.push(invalid(path, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

function validateVolumeMounts(mounts: VolumeMount[], volumeNames: ReadonlySet<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const mountPoints = new Set<string>();
  mounts.forEach((m, i) => {
    const p = index(path, i);
    if (!m.name) errs.push(required(child(p, 'name'), ''));
    if (!volumeNames.has(m.name ?? '')) errs.push(notFound(child(p, 'name'), m.name ?? ''));
    if (!m.mountPath) errs.push(required(child(p, 'mountPath'), ''));
    else if (mountPoints.has(m.mountPath)) errs.push(invalid(child(p, 'mountPath'), m.mountPath, 'must be unique'));
    mountPoints.add(m.mountPath ?? '');
    if (m.subPath) errs.push(...validateLocalDescendingPath(m.subPath, child(p, 'subPath')));
  });
  return errs;
}

/** A relative path that never climbs out with `..` (subPath, projected item paths). */
export function validateLocalDescendingPath(target: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (target.startsWith('/')) errs.push(invalid(path, target, 'must be a relative path'));
  if (target.split('/').includes('..')) errs.push(invalid(path, target, "must not contain '..'"));
  return errs;
}

function validateHTTPGet(action: HTTPGetAction, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (action.path === '') errs.push(required(child(path, 'path'), ''));
  errs.push(...validatePortNumOrName(action.port, child(path, 'port')));
  if (action.scheme !== undefined && action.scheme !== 'HTTP' && action.scheme !== 'HTTPS') {
    errs.push(notSupported(child(path, 'scheme'), action.scheme, ['HTTP', 'HTTPS']));
  }
  asArray<{ name?: string }>(action.httpHeaders).forEach((h, i) => {
    if (!h.name || !/^[-A-Za-z0-9!#$%&'*+.^_`|~]+$/.test(h.name)) {
      errs.push(invalid(child(index(child(path, 'httpHeaders'), i), 'name'), h.name ?? '', "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')"));
    }
  });
  return errs;
}

/** Exactly one handler (exec, httpGet, tcpSocket, grpc, sleep) with its own checks. */
function validateHandler(handler: Probe | LifecycleHandler, kinds: readonly string[], path: string, gracePeriodSeconds?: number): FieldError[] {
  const h = handler as Record<string, unknown>;
  const present = kinds.filter((k) => h[k] !== undefined && h[k] !== null);
  if (present.length === 0) return [required(path, 'must specify a handler type')];
  const errs: FieldError[] = [];
  if (present.length > 1) errs.push(forbidden(child(path, present[1] ?? ''), 'may not specify more than 1 handler type'));
  const exec = asRecord(h['exec']);
  if (exec && asArray(exec['command']).length === 0) errs.push(required(child(path, 'exec', 'command'), ''));
  const httpGet = asRecord(h['httpGet']);
  if (httpGet) errs.push(...validateHTTPGet(httpGet as unknown as HTTPGetAction, child(path, 'httpGet')));
  const tcp = asRecord(h['tcpSocket']);
  if (tcp) errs.push(...validatePortNumOrName(tcp['port'] as IntOrString | undefined, child(path, 'tcpSocket', 'port')));
  const grpc = asRecord(h['grpc']);
  if (grpc) errs.push(...validatePortNumOrName(grpc['port'] as number | undefined, child(path, 'grpc', 'port')));
  const sleep = asRecord(h['sleep']);
  if (sleep) {
    const s = typeof sleep['seconds'] === 'number' ? sleep['seconds'] : 0;
    const grace = gracePeriodSeconds ?? 30;
    if (s <= 0 || s > grace) {
      errs.push(invalid(child(path, 'sleep', 'seconds'), s, `must be greater than 0 and less than terminationGracePeriodSeconds (${grace})`));
    }
  }
  return errs;
}

const probeHandlers = ['exec', 'httpGet', 'tcpSocket', 'grpc'];
const lifecycleHandlers = ['exec', 'httpGet', 'tcpSocket', 'sleep'];

function validateProbe(probe: Probe | undefined, path: string): FieldError[] {
  if (!probe) return [];
  const errs = validateHandler(probe, probeHandlers, path);
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const) {
    errs.push(...validateNonnegativeField(probe[f], child(path, f)));
  }
  if (probe.terminationGracePeriodSeconds !== undefined && probe.terminationGracePeriodSeconds <= 0) {
    errs.push(invalid(child(path, 'terminationGracePeriodSeconds'), probe.terminationGracePeriodSeconds, 'must be greater than 0'));
  }
  return errs;
}

function validateResources(c: Container, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const res = asRecord(c.resources);
  if (!res) return errs;
  const limPath = child(path, 'limits');
  const reqPath = child(path, 'requests');
  const limits = parseResourceList(asRecord(res['limits']), limPath, errs);
  for (const name of Object.keys(asRecord(res['limits']) ?? {})) errs.push(...validateContainerResourceName(name, `${limPath}[${name}]`));
  const requests = parseResourceList(asRecord(res['requests']), reqPath, errs);
  for (const name of Object.keys(asRecord(res['requests']) ?? {})) errs.push(...validateContainerResourceName(name, `${reqPath}[${name}]`));
  for (const [name, req] of requests) {
    const lim = limits.get(name);
    if (!lim) continue;
    // Extended and hugepage resources cannot be overcommitted: request must equal limit.
    const overcommitAllowed = name === 'cpu' || name === 'memory' || name === 'ephemeral-storage' || name.includes('kubernetes.io/');
    if (!overcommitAllowed && req.cmp(lim) !== 0) {
      errs.push(invalid(reqPath, req.toString(), `must be equal to ${name} limit of ${lim.toString()}`));
    } else if (req.cmp(lim) > 0) {
      errs.push(invalid(reqPath, req.toString(), `must be less than or equal to ${name} limit of ${lim.toString()}`));
    }
  }
  return errs;
}

export interface ContainerContext {
  volumeNames: ReadonlySet<string>;
  /** Names seen so far across init and app containers (upstream checks uniqueness across both). */
  allNames: Set<string>;
  gracePeriodSeconds?: number;
  hostNetwork: boolean;
}

/** The checks every container gets, init or app. */
function validateContainerCommon(c: Container, path: string, ctx: ContainerContext): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(required(child(path, 'name'), ''));
  else {
    isDNS1123Label(c.name).forEach((msg) => errs.push(invalid(child(path, 'name'), c.name, msg)));
    if (ctx.allNames.has(c.name)) errs.push(duplicate(child(path, 'name'), c.name));
    else ctx.allNames.add(c.name);
  }
  if (!c.image) errs.push(required(child(path, 'image'), ''));
  else if (c.image.trim() !== c.image) errs.push(invalid(child(path, 'image'), c.image, 'must not have leading or trailing whitespace'));
  if (c.imagePullPolicy !== undefined) {
    if (c.imagePullPolicy === '' as string) errs.push(required(child(path, 'imagePullPolicy'), ''));
    else if (!['Always', 'IfNotPresent', 'Never'].includes(c.imagePullPolicy)) {
      errs.push(notSupported(child(path, 'imagePullPolicy'), c.imagePullPolicy, ['Always', 'IfNotPresent', 'Never']));
    }
  }
  if (c.terminationMessagePolicy !== undefined) {
    if (c.terminationMessagePolicy === '' as string) errs.push(required(child(path, 'terminationMessagePolicy'), "must be 'File' or 'FallbackToLogsOnError'"));
    else if (!['File', 'FallbackToLogsOnError'].includes(c.terminationMessagePolicy)) {
      errs.push(notSupported(child(path, 'terminationMessagePolicy'), c.terminationMessagePolicy, ['File', 'FallbackToLogsOnError']));
    }
  }
  const ports = asArray<ContainerPort>(c.ports);
  errs.push(...validateContainerPorts(ports, child(path, 'ports')));
  if (ctx.hostNetwork) {
    ports.forEach((port, i) => {
      if (port.hostPort !== undefined && port.hostPort !== port.containerPort) {
        errs.push(invalid(child(index(child(path, 'ports'), i), 'hostPort'), port.hostPort, 'must match `containerPort` when `hostNetwork` is true'));
      }
    });
  }
  errs.push(...validateEnv(asArray<EnvVar>(c.env), child(path, 'env')));
  errs.push(...validateEnvFrom(asArray<EnvFromSource>(c.envFrom), child(path, 'envFrom')));
  errs.push(...validateVolumeMounts(asArray<VolumeMount>(c.volumeMounts), ctx.volumeNames, child(path, 'volumeMounts')));
  errs.push(...validateResources(c, child(path, 'resources')));
  return errs;
}

function validateLifecycle(c: Container, path: string, ctx: ContainerContext): FieldError[] {
  const lc = asRecord(c.lifecycle);
  if (!lc) return [];
  const errs: FieldError[] = [];
  for (const hook of ['postStart', 'preStop'] as const) {
    const h = asRecord(lc[hook]);
    if (h) errs.push(...validateHandler(h as LifecycleHandler, lifecycleHandlers, child(path, hook), ctx.gracePeriodSeconds));
  }
  return errs;
}

/** App containers: at least one, then the common checks, probes and lifecycle. */
export function validateContainers(containers: Container[], path: string, ctx: ContainerContext): FieldError[] {
  if (containers.length === 0) return [required(path, '')];
  const errs: FieldError[] = [];
  containers.forEach((c, i) => {
    const p = index(path, i);
    errs.push(...validateContainerCommon(c, p, ctx));
    errs.push(...validateLifecycle(c, child(p, 'lifecycle'), ctx));
    errs.push(...validateProbe(c.livenessProbe, child(p, 'livenessProbe')));
    errs.push(...validateProbe(c.readinessProbe, child(p, 'readinessProbe')));
    errs.push(...validateProbe(c.startupProbe, child(p, 'startupProbe')));
    for (const kind of ['livenessProbe', 'startupProbe'] as const) {
      const st = c[kind]?.successThreshold;
      if (st !== undefined && st !== 1) errs.push(invalid(child(p, kind, 'successThreshold'), st, 'must be 1'));
    }
    if (c.restartPolicy !== undefined) errs.push(forbidden(child(p, 'restartPolicy'), 'may not be set for non-init containers'));
  });
  return errs;
}

/** Init containers: the common checks; probes and lifecycle only for sidecars (restartPolicy Always). */
export function validateInitContainers(containers: Container[], path: string, ctx: ContainerContext): FieldError[] {
  const errs: FieldError[] = [];
  containers.forEach((c, i) => {
    const p = index(path, i);
    errs.push(...validateContainerCommon(c, p, ctx));
    if (c.restartPolicy !== undefined && c.restartPolicy !== 'Always') {
      errs.push(notSupported(child(p, 'restartPolicy'), c.restartPolicy, ['Always']));
    }
    if (c.readinessProbe) errs.push(forbidden(child(p, 'readinessProbe'), 'may not be set for init containers'));
    if (c.restartPolicy === 'Always') {
      errs.push(...validateLifecycle(c, child(p, 'lifecycle'), ctx));
      errs.push(...validateProbe(c.livenessProbe, child(p, 'livenessProbe')));
      errs.push(...validateProbe(c.startupProbe, child(p, 'startupProbe')));
      return;
    }
    for (const f of ['lifecycle', 'livenessProbe', 'startupProbe'] as const) {
      if (c[f]) errs.push(forbidden(child(p, f), 'may not be set for init containers without restartPolicy=Always'));
    }
  });
  return errs;
}
