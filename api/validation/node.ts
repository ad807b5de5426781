// core/v1 Node and Namespace.
import type { FieldError } from '../errors.js';
import { validateLabelName, validateLabelValue } from '../labels/validation.js';
import { isQualifiedName, isValidCIDR, isValidIP } from '../names.js';
import type { KubeObject } from '../object.js';
import type { Taint } from '../types/node.js';
import { asArray, asRecord, child, duplicate, forbidden, index, invalid, notSupported } from './field-error.js';
import { parseResourceList } from './quantity-fields.js';
import { validateTaintEffect } from './scheduling.js';

function validateTaints(taints: Taint[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  taints.forEach((t, i) => {
    const p = index(path, i);
    errs.push(...validateLabelName(t.key ?? '', child(p, 'key')));
    if (t.value) errs.push(...validateLabelValue(t.value, child(p, 'value')));
    errs.push(...validateTaintEffect(t.effect, false, child(p, 'effect')));
    const k = `${t.key ?? ''}:${t.effect ?? ''}`;
    if (seen.has(k)) errs.push(duplicate(p, { rendered: `"taints must be unique by key and effect pair"` }));
    seen.add(k);
  });
  return errs;
}

/** Node spec (taints, pod CIDRs) and status (quantities, addresses). */
export function validateNode(node: KubeObject): FieldError[] {
  const spec = asRecord(node['spec']) ?? {};
  const errs = validateTaints(asArray<Taint>(spec['taints']), 'spec.taints');
  const podCIDR = spec['podCIDR'];
  if (typeof podCIDR === 'string' && podCIDR !== '') isValidCIDR(podCIDR).forEach((m) => errs.push(invalid('spec.podCIDR', podCIDR, m)));
  const cidrs = asArray<string>(spec['podCIDRs']);
  cidrs.forEach((c, i) => isValidCIDR(c).forEach((m) => errs.push(invalid(index('spec.podCIDRs', i), c, m))));
  if (cidrs.length > 2) errs.push(invalid('spec.podCIDRs', { rendered: `[]string{${cidrs.map((c) => JSON.stringify(c)).join(', ')}}` }, 'may specify no more than one CIDR for each IP family'));
  if (cidrs.length > 0 && typeof podCIDR === 'string' && podCIDR !== '' && cidrs[0] !== podCIDR) {
    errs.push(invalid('spec.podCIDRs', { rendered: `[]string{${cidrs.map((c) => JSON.stringify(c)).join(', ')}}` }, 'first value must match `spec.podCIDR`'));
  }
  const status = asRecord(node['status']);
  if (status) {
    parseResourceList(asRecord(status['capacity']), 'status.capacity', errs);
    parseResourceList(asRecord(status['allocatable']), 'status.allocatable', errs);
    asArray<{ type?: string; address?: string }>(status['addresses']).forEach((a, i) => {
      const ap = index('status.addresses', i);
      if ((a.type === 'InternalIP' || a.type === 'ExternalIP') && a.address) {
        isValidIP(a.address).forEach((m) => errs.push(invalid(child(ap, 'address'), a.address, m)));
      }
    });
  }
  return errs;
}

/** podCIDR(s) may go from empty to set, never change after; providerID likewise. */
export function validateNodeUpdate(node: KubeObject, old: KubeObject): FieldError[] {
  const next = asRecord(node['spec']) ?? {};
  const prev = asRecord(old['spec']) ?? {};
  const errs: FieldError[] = [];
  const prevCIDR = prev['podCIDR'];
  if (typeof prevCIDR === 'string' && prevCIDR !== '' && next['podCIDR'] !== prevCIDR) {
    errs.push(forbidden('spec.podCIDR', 'node updates may not change podCIDR except from "" to valid'));
  }
  const prevCIDRs = asArray<string>(prev['podCIDRs']);
  const nextCIDRs = asArray<string>(next['podCIDRs']);
  if (prevCIDRs.length > 0 && (prevCIDRs.length !== nextCIDRs.length || prevCIDRs.some((c, i) => nextCIDRs[i] !== c))) {
    errs.push(forbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid'));
  }
  const prevProvider = prev['providerID'];
  if (typeof prevProvider === 'string' && prevProvider !== '' && next['providerID'] !== prevProvider) {
    errs.push(forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  }
  return errs;
}

/** Namespace: finalizers are qualified names, phase Active or Terminating. */
export function validateNamespace(ns: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = asRecord(ns['spec']);
  asArray<string>(spec?.['finalizers']).forEach((f, i) => {
    const p = index('spec.finalizers', i);
    isQualifiedName(f).forEach((m) => errs.push(invalid(p, f, m)));
  });
  const phase = asRecord(ns['status'])?.['phase'];
  if (phase !== undefined && phase !== 'Active' && phase !== 'Terminating') {
    errs.push(notSupported('status.phase', phase, ['Active', 'Terminating']));
  }
  return errs;
}
