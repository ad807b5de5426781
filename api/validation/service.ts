// Services (upstream's ValidateService / ValidateServiceUpdate) and the legacy Endpoints.
import type { FieldError } from '../errors.js';
import { validateLabels } from '../labels/validation.js';
import { isDNS1123Label, isDNS1123Subdomain, isIPv4, isValidIP, isValidPortNum } from '../names.js';
import type { KubeObject } from '../object.js';
import type { EndpointSubset, ServicePort, ServiceSpec } from '../types/service.js';
import { validatePortNumOrName, validateProtocol } from './container.js';
import { asArray, asRecord, child, duplicate, forbidden, index, invalid, notSupported, rendered, required } from './field-error.js';

export const serviceTypes = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
export const sessionAffinityTypes = ['ClientIP', 'None'];
/** The default --service-node-port-range. */
export const nodePortRange = { min: 30000, max: 32767 };
const maxClientIPServiceAffinitySeconds = 86400;

function validateServicePort(sp: ServicePort, requireName: boolean, names: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = sp.name ?? '';
  if (requireName && name === '') errs.push(required(child(path, 'name'), ''));
  else if (name !== '') {
    isDNS1123Label(name).forEach((msg) => errs.push(invalid(child(path, 'name'), name, msg)));
    if (names.has(name)) errs.push(duplicate(child(path, 'name'), name));
    else names.add(name);
  }
  isValidPortNum(sp.port ?? 0).forEach((msg) => errs.push(invalid(child(path, 'port'), sp.port ?? 0, msg)));
  errs.push(...validateProtocol(sp.protocol, child(path, 'protocol')));
  if (sp.targetPort !== undefined) errs.push(...validatePortNumOrName(sp.targetPort, child(path, 'targetPort')));
  return errs;
}

function validateClusterIPs(spec: ServiceSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const ips = asArray<string>(spec.clusterIPs);
  const clusterIP = spec.clusterIP ?? '';
  if (ips.length === 0) {
    if (clusterIP !== '' && clusterIP !== 'None') isValidIP(clusterIP).forEach((msg) => errs.push(invalid(child(path, 'clusterIP'), clusterIP, msg)));
    return errs;
  }
  if (clusterIP !== '' && ips[0] !== clusterIP) {
    errs.push(invalid(child(path, 'clusterIPs'), rendered(`[]string{${ips.map((s) => JSON.stringify(s)).join(', ')}}`), 'first value must match `clusterIP`'));
  }
  if (ips.length > 2) errs.push(invalid(child(path, 'clusterIPs'), rendered(`[]string{${ips.map((s) => JSON.stringify(s)).join(', ')}}`), 'may only hold up to 2 values'));
  ips.forEach((ip, i) => {
    const p = index(child(path, 'clusterIPs'), i);
    if (ip === 'None') {
      if (ips.length > 1) errs.push(invalid(p, ip, "'None' must be the first and only value"));
      return;
    }
    isValidIP(ip).forEach((msg) => errs.push(invalid(p, ip, msg)));
  });
  if (ips.length === 2 && ips.every((ip) => ip !== 'None') && isIPv4(ips[0] ?? '') === isIPv4(ips[1] ?? '')) {
    errs.push(invalid(child(path, 'clusterIPs'), rendered(`[]string{${ips.map((s) => JSON.stringify(s)).join(', ')}}`), 'may specify no more than one IP for each IP family'));
  }
  return errs;
}

function validateSessionAffinity(spec: ServiceSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const affinity = spec.sessionAffinity;
  if (affinity === undefined) return errs;
  if (!sessionAffinityTypes.includes(affinity)) {
    errs.push(notSupported(child(path, 'sessionAffinity'), affinity, sessionAffinityTypes));
    return errs;
  }
  const cfgPath = child(path, 'sessionAffinityConfig');
  if (affinity === 'ClientIP') {
    const timeout = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
    if (timeout !== undefined && (timeout <= 0 || timeout > maxClientIPServiceAffinitySeconds)) {
      errs.push(invalid(child(cfgPath, 'clientIP', 'timeoutSeconds'), timeout, `must be greater than 0 and less than ${maxClientIPServiceAffinitySeconds}`));
    }
  } else if (spec.sessionAffinityConfig) {
    errs.push(forbidden(cfgPath, `must not be set when session affinity is ${affinity}`));
  }
  return errs;
}

/** A Service's spec on create. */
export function validateService(svc: KubeObject): FieldError[] {
  const spec = (asRecord(svc['spec']) ?? {}) as ServiceSpec;
  const path = 'spec';
  const errs: FieldError[] = [];
  const type = spec.type;
  const headless = spec.clusterIP === 'None';
  const ports = asArray<ServicePort>(spec.ports);
  if (type !== undefined && !serviceTypes.includes(type)) errs.push(notSupported(child(path, 'type'), type, serviceTypes));
  if (ports.length === 0 && !headless && type !== 'ExternalName') errs.push(required(child(path, 'ports'), ''));
  if (type === 'ExternalName') {
    if (asArray(spec.clusterIPs).length > 0) errs.push(forbidden(child(path, 'clusterIPs'), 'may not be set for ExternalName services'));
    else if (spec.clusterIP) errs.push(forbidden(child(path, 'clusterIP'), 'may not be set for ExternalName services'));
    const cname = (spec.externalName ?? '').replace(/\.$/, '');
    if (cname === '') errs.push(required(child(path, 'externalName'), ''));
    else isDNS1123Subdomain(cname).forEach((msg) => errs.push(invalid(child(path, 'externalName'), cname, msg)));
  } else {
    errs.push(...validateClusterIPs(spec, path));
  }
  const names = new Set<string>();
  const portsPath = child(path, 'ports');
  ports.forEach((sp, i) => errs.push(...validateServicePort(sp, ports.length > 1, names, index(portsPath, i))));
  const seenPorts = new Set<string>();
  const seenNodePorts = new Set<string>();
  ports.forEach((sp, i) => {
    const p = index(portsPath, i);
    const protocol = sp.protocol ?? 'TCP';
    const key = `${protocol}/${sp.port}`;
    if (seenPorts.has(key)) errs.push(duplicate(p, rendered(`core.ServicePort{Protocol:${JSON.stringify(protocol)}, Port:${sp.port}}`)));
    seenPorts.add(key);
    const nodePort = sp.nodePort;
    if (nodePort === undefined || nodePort === 0) return;
    const np = child(p, 'nodePort');
    if (type === undefined || type === 'ClusterIP' || type === 'ExternalName') {
      errs.push(forbidden(np, `may not be used when \`type\` is '${type ?? 'ClusterIP'}'`));
      return;
    }
    const msgs = isValidPortNum(nodePort);
    msgs.forEach((msg) => errs.push(invalid(np, nodePort, msg)));
    if (msgs.length === 0 && (nodePort < nodePortRange.min || nodePort > nodePortRange.max)) {
      errs.push(invalid(np, nodePort, `provided port is not in the valid range. The range of valid ports is ${nodePortRange.min}-${nodePortRange.max}`));
    }
    const nkey = `${protocol}/${nodePort}`;
    if (seenNodePorts.has(nkey)) errs.push(duplicate(np, nodePort));
    seenNodePorts.add(nkey);
  });
  errs.push(...validateLabels(spec.selector, child(path, 'selector')));
  errs.push(...validateSessionAffinity(spec, path));
  asArray<string>(spec.externalIPs).forEach((ip, i) => {
    isValidIP(ip).forEach((msg) => errs.push(invalid(index(child(path, 'externalIPs'), i), ip, msg)));
  });
  asArray<string>(spec.ipFamilies).forEach((f, i) => {
    if (f !== 'IPv4' && f !== 'IPv6') errs.push(notSupported(index(child(path, 'ipFamilies'), i), f, ['IPv4', 'IPv6']));
  });
  if (spec.ipFamilyPolicy !== undefined && !['SingleStack', 'PreferDualStack', 'RequireDualStack'].includes(spec.ipFamilyPolicy)) {
    errs.push(notSupported(child(path, 'ipFamilyPolicy'), spec.ipFamilyPolicy, ['PreferDualStack', 'RequireDualStack', 'SingleStack']));
  }
  for (const f of ['internalTrafficPolicy', 'externalTrafficPolicy'] as const) {
    const v = spec[f];
    if (v !== undefined && v !== 'Cluster' && v !== 'Local') errs.push(notSupported(child(path, f), v, ['Cluster', 'Local']));
  }
  if (spec.externalTrafficPolicy !== undefined && type !== 'NodePort' && type !== 'LoadBalancer') {
    errs.push(invalid(child(path, 'externalTrafficPolicy'), spec.externalTrafficPolicy, 'may only be set when `type` is \'NodePort\' or \'LoadBalancer\''));
  }
  return errs;
}

/** The cluster IP may not change once allocated (switching to or from ExternalName excepted). */
export function validateServiceUpdate(svc: KubeObject, old: KubeObject): FieldError[] {
  const next = (asRecord(svc['spec']) ?? {}) as ServiceSpec;
  const prev = (asRecord(old['spec']) ?? {}) as ServiceSpec;
  if (next.type === 'ExternalName' || prev.type === 'ExternalName') return [];
  const prevIP = prev.clusterIP ?? '';
  if (prevIP === '' || (next.clusterIP ?? '') === prevIP) return [];
  return [invalid('spec.clusterIP', next.clusterIP ?? '', 'field is immutable')];
}

/** core/v1 Endpoints: subsets' addresses are IPs, ports valid and named when several. */
export function validateEndpoints(ep: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  asArray<EndpointSubset>(ep['subsets']).forEach((ss, i) => {
    const p = index('subsets', i);
    for (const kind of ['addresses', 'notReadyAddresses'] as const) {
      asArray<{ ip?: string; nodeName?: string; hostname?: string }>(ss[kind]).forEach((a, j) => {
        const ap = index(child(p, kind), j);
        isValidIP(a.ip ?? '').forEach((msg) => errs.push(invalid(child(ap, 'ip'), a.ip ?? '', msg)));
        if (a.hostname) isDNS1123Label(a.hostname).forEach((msg) => errs.push(invalid(child(ap, 'hostname'), a.hostname, msg)));
        if (a.nodeName) isDNS1123Subdomain(a.nodeName).forEach((msg) => errs.push(invalid(child(ap, 'nodeName'), a.nodeName, msg)));
      });
    }
    const ports = asArray<{ name?: string; port?: number; protocol?: string }>(ss.ports);
    ports.forEach((port, j) => {
      const pp = index(child(p, 'ports'), j);
      if (ports.length > 1 && !port.name) errs.push(required(child(pp, 'name'), ''));
      else if (port.name) isDNS1123Label(port.name).forEach((msg) => errs.push(invalid(child(pp, 'name'), port.name, msg)));
      isValidPortNum(port.port ?? 0).forEach((msg) => errs.push(invalid(child(pp, 'port'), port.port ?? 0, msg)));
      errs.push(...validateProtocol(port.protocol, child(pp, 'protocol')));
    });
  });
  return errs;
}
