// discovery.k8s.io/v1 EndpointSlice (upstream's pkg/apis/discovery/validation).
import type { FieldError } from '../errors.js';
import { isDNS1123Label, isDNS1123Subdomain, isIPv4, isIPv6, isValidPortNum } from '../names.js';
import type { KubeObject } from '../object.js';
import type { Endpoint, EndpointSlicePort } from '../types/endpoint-slice.js';
import { asArray, child, duplicate, index, invalid, notSupported, required, tooMany, validateImmutableField } from './field-error.js';
import { validateProtocol } from './container.js';

export const addressTypes = ['FQDN', 'IPv4', 'IPv6'];
const maxAddresses = 100;
const maxEndpoints = 1000;
const maxPorts = 20000;

function validateAddress(addressType: string, addr: string, path: string): FieldError[] {
  if (addressType === 'IPv4') return isIPv4(addr) ? [] : [invalid(path, addr, 'must be a valid IPv4 address')];
  if (addressType === 'IPv6') return isIPv6(addr) ? [] : [invalid(path, addr, 'must be a valid IPv6 address')];
  if (addressType === 'FQDN') return isDNS1123Subdomain(addr).map((m) => invalid(path, addr, m));
  return [];
}

/** EndpointSlice: addressType, endpoints with 1-100 addresses of that type, unique valid ports. */
export function validateEndpointSlice(slice: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const addressType = slice['addressType'];
  if (addressType === undefined || addressType === '') errs.push(required('addressType', ''));
  else if (!addressTypes.includes(String(addressType))) errs.push(notSupported('addressType', addressType, addressTypes));
  const endpoints = asArray<Endpoint>(slice['endpoints']);
  if (endpoints.length > maxEndpoints) errs.push(tooMany('endpoints', endpoints.length, maxEndpoints));
  endpoints.forEach((ep, i) => {
    const p = index('endpoints', i);
    const addrs = asArray<string>(ep.addresses);
    if (addrs.length === 0) errs.push(required(child(p, 'addresses'), 'must contain at least 1 address'));
    else if (addrs.length > maxAddresses) errs.push(tooMany(child(p, 'addresses'), addrs.length, maxAddresses));
    addrs.forEach((a, j) => errs.push(...validateAddress(String(addressType), a, index(child(p, 'addresses'), j))));
    if (ep.hostname) isDNS1123Label(ep.hostname).forEach((m) => errs.push(invalid(child(p, 'hostname'), ep.hostname, m)));
    if (ep.nodeName) isDNS1123Subdomain(ep.nodeName).forEach((m) => errs.push(invalid(child(p, 'nodeName'), ep.nodeName, m)));
  });
  const ports = asArray<EndpointSlicePort>(slice['ports']);
  if (ports.length > maxPorts) errs.push(tooMany('ports', ports.length, maxPorts));
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const p = index('ports', i);
    const name = port.name ?? '';
    if (name !== '') isDNS1123Label(name).forEach((m) => errs.push(invalid(child(p, 'name'), name, m)));
    if (names.has(name)) errs.push(duplicate(child(p, 'name'), name));
    names.add(name);
    if (port.port !== undefined && port.port !== null) {
      isValidPortNum(port.port).forEach((m) => errs.push(invalid(child(p, 'port'), port.port, m)));
    }
    errs.push(...validateProtocol(port.protocol, child(p, 'protocol')));
  });
  return errs;
}

/** An EndpointSlice's addressType never changes. */
export function validateEndpointSliceUpdate(slice: KubeObject, old: KubeObject): FieldError[] {
  return validateImmutableField(slice['addressType'], old['addressType'], 'addressType');
}
