// Label selectors (k8s.io/apimachinery/pkg/labels): the query-string form `a=b,c!=d,e in (x,y),!f`, the
// object form {matchLabels, matchExpressions}, and matching against an object's labels. Every
// requirement must hold (AND); requirements are kept sorted by key so toString() is canonical.
import { BadRequestError } from '../errors.js';
import { isQualifiedName, isValidLabelValue } from '../names.js';
import type { LabelSelector, LabelSelectorOperator, LabelSelectorRequirement } from '../types/meta.js';

export type SelectorOperator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

/** One `key op values` term. `values` is sorted and de-duplicated. */
export interface Requirement {
  key: string;
  operator: SelectorOperator;
  values: string[];
}

export type Labels = Readonly<Record<string, string>> | undefined | null;

/** A parsed label selector. */
export interface Selector {
  readonly requirements: readonly Requirement[];
  /** True when every requirement holds for these labels (absent labels count as no labels). */
  matches(labels: Labels): boolean;
  /** Selects everything: no requirements. */
  isEmpty(): boolean;
  /** The canonical query-string form; '' for the empty selector. */
  toString(): string;
  /** For `exact` selectors (only = / ==), the single required value of a key. */
  requiresExactMatch(key: string): string | undefined;
}

function has(labels: Labels, key: string): boolean {
  return labels != null && Object.prototype.hasOwnProperty.call(labels, key);
}

/** Evaluates one requirement against a label set, with upstream's rules for absent keys. */
export function requirementMatches(r: Requirement, labels: Labels): boolean {
  const present = has(labels, r.key);
  const value = present ? (labels?.[r.key] ?? '') : '';
  switch (r.operator) {
    case '=':
    case '==':
    case 'in':
      return present && r.values.includes(value);
    case '!=':
    case 'notin':
      return !present || !r.values.includes(value);
    case 'exists':
      return present;
    case '!':
      return !present;
    case 'gt':
    case 'lt': {
      if (!present || !/^-?\d+$/.test(value)) return false;
      const lhs = Number(value);
      const rhs = Number(r.values[0]);
      return r.operator === 'gt' ? lhs > rhs : lhs < rhs;
    }
  }
}

/** The text of one requirement, as upstream's Requirement.String(). */
export function requirementString(r: Requirement): string {
  switch (r.operator) {
    case '!':
      return `!${r.key}`;
    case 'exists':
      return r.key;
    case 'in':
    case 'notin':
      return `${r.key} ${r.operator} (${r.values.join(',')})`;
    case 'gt':
      return `${r.key}>${r.values[0] ?? ''}`;
    case 'lt':
      return `${r.key}<${r.values[0] ?? ''}`;
    default:
      return `${r.key}${r.operator}${r.values[0] ?? ''}`;
  }
}

class InternalSelector implements Selector {
  readonly requirements: readonly Requirement[];
  constructor(requirements: Requirement[]) {
    this.requirements = [...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
  matches(labels: Labels): boolean {
    return this.requirements.every((r) => requirementMatches(r, labels));
  }
  isEmpty(): boolean {
    return this.requirements.length === 0;
  }
  toString(): string {
    return this.requirements.map(requirementString).join(',');
  }
  requiresExactMatch(key: string): string | undefined {
    for (const r of this.requirements) {
      if (r.key !== key) continue;
      if ((r.operator === '=' || r.operator === '==' || (r.operator === 'in' && r.values.length === 1)) && r.values.length === 1) {
        return r.values[0];
      }
    }
    return undefined;
  }
}

/** Matches nothing: what upstream returns for a nil *LabelSelector. */
class NothingSelector implements Selector {
  readonly requirements: readonly Requirement[] = [];
  matches(): boolean {
    return false;
  }
  isEmpty(): boolean {
    return false;
  }
  toString(): string {
    return '';
  }
  requiresExactMatch(): string | undefined {
    return undefined;
  }
}

/** A selector that selects everything. */
export function everything(): Selector {
  return new InternalSelector([]);
}

/** A selector that selects nothing (upstream's labels.Nothing()). */
export function nothing(): Selector {
  return new NothingSelector();
}

/** A selector requiring every key of `set` to equal its value (upstream's SelectorFromSet). */
export function selectorFromSet(set: Readonly<Record<string, string>> | undefined): Selector {
  return new InternalSelector(Object.entries(set ?? {}).map(([key, v]) => ({ key, operator: '=', values: [v] })));
}

/** Builds a selector from requirements, validating keys and values as upstream's NewRequirement does. */
export function selectorFromRequirements(requirements: Requirement[]): Selector {
  for (const r of requirements) validateRequirement(r);
  return new InternalSelector(requirements);
}

/**
 * Checks one requirement: a qualified-name key, label values, and the value count each operator
 * needs. Throws an Error with upstream's `key: Invalid value: ...` style text.
 */
export function validateRequirement(r: Requirement): void {
  const keyErrs = isQualifiedName(r.key);
  if (keyErrs.length > 0) throw new Error(`key: Invalid value: ${JSON.stringify(r.key)}: ${keyErrs.join('; ')}`);
  const valuesText = `[]string{${r.values.map((v) => JSON.stringify(v)).join(', ')}}`;
  switch (r.operator) {
    case 'in':
    case 'notin':
      if (r.values.length === 0) throw new Error(`values: Invalid value: ${valuesText}: for 'in', 'notin' operators, values set can't be empty`);
      break;
    case '=':
    case '==':
    case '!=':
      if (r.values.length !== 1) throw new Error(`values: Invalid value: ${valuesText}: exact-match compatibility requires one single value`);
      break;
    case 'exists':
    case '!':
      if (r.values.length !== 0) throw new Error(`values: Invalid value: ${valuesText}: values set must be empty for exists and does not exist`);
      break;
    case 'gt':
    case 'lt':
      if (r.values.length !== 1) throw new Error(`values: Invalid value: ${valuesText}: for 'Gt', 'Lt' operators, exactly one value is required`);
      if (!/^-?\d+$/.test(r.values[0] ?? '')) throw new Error(`values[0]: Invalid value: ${JSON.stringify(r.values[0])}: for 'Gt', 'Lt' operators, the value must be an integer`);
      return;
  }
  r.values.forEach((v, i) => {
    const errs = isValidLabelValue(v);
    if (errs.length > 0) throw new Error(`values[${i}]: Invalid value: ${JSON.stringify(v)}: ${errs.join('; ')}`);
  });
}

function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

/**
 * Builds a selector from the object form (metav1.LabelSelector). As upstream: undefined/null selects
 * nothing, an empty selector selects everything. Throws BadRequestError for a bad operator or key.
 */
export function labelSelectorFromSpec(spec: LabelSelector | undefined | null): Selector {
  if (spec == null) return nothing();
  const reqs: Requirement[] = [];
  for (const [key, v] of Object.entries(spec.matchLabels ?? {})) reqs.push({ key, operator: '=', values: [v] });
  for (const expr of spec.matchExpressions ?? []) {
    const values = sortedUnique(expr.values ?? []);
    switch (expr.operator) {
      case 'In':
        reqs.push({ key: expr.key, operator: 'in', values });
        break;
      case 'NotIn':
        reqs.push({ key: expr.key, operator: 'notin', values });
        break;
      case 'Exists':
        reqs.push({ key: expr.key, operator: 'exists', values });
        break;
      case 'DoesNotExist':
        reqs.push({ key: expr.key, operator: '!', values });
        break;
      default:
        throw new BadRequestError(`${JSON.stringify(String(expr.operator))} is not a valid label selector operator`);
    }
  }
  try {
    return selectorFromRequirements(reqs);
  } catch (e) {
    throw new BadRequestError(e instanceof Error ? e.message : String(e));
  }
}

/** Converts a selector back to the object form where possible (only =, in, notin, exists, !). */
export function selectorToSpec(selector: Selector): LabelSelector {
  const out: LabelSelector = {};
  for (const r of selector.requirements) {
    if ((r.operator === '=' || r.operator === '==') && r.values.length === 1) {
      out.matchLabels = { ...out.matchLabels, [r.key]: r.values[0] ?? '' };
      continue;
    }
    const operator: LabelSelectorOperator | undefined =
      r.operator === 'in' ? 'In' : r.operator === 'notin' || r.operator === '!=' ? 'NotIn' : r.operator === 'exists' ? 'Exists' : r.operator === '!' ? 'DoesNotExist' : undefined;
    if (operator === undefined) throw new BadRequestError(`${r.operator} is not a valid label selector operator`);
    const expr: LabelSelectorRequirement =
      operator === 'Exists' || operator === 'DoesNotExist' ? { key: r.key, operator } : { key: r.key, operator, values: [...r.values] };
    out.matchExpressions = [...(out.matchExpressions ?? []), expr];
  }
  return out;
}

/** Builds a selector from requirements already validated (for this room's parser). */
export function newSelector(requirements: Requirement[]): Selector {
  return new InternalSelector(requirements);
}
