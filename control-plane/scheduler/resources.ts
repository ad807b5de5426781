// A pod's requests as plain numbers in the units the scheduler adds up: cpu in millicores, memory and
// ephemeral-storage in bytes. The exact requests drive the fit filter; the "non-zero" ones (upstream's
// GetNonzeroRequests: 100m cpu and 200Mi memory for a container that asks for nothing) drive scoring,
// so best-effort pods still spread instead of piling onto the first node.
import { podRequests } from '../../api/pod-resources.js';
import type { Quantity } from '../../api/quantity.js';
import { parseQuantity } from '../../api/quantity.js';
import type { Container, Pod } from '../../api/types/pod.js';
import type { ResourceList } from '../../api/types/meta.js';

/** Upstream's DefaultMilliCPURequest. */
export const defaultMilliCpuRequest = 100;
/** Upstream's DefaultMemoryRequest: 200 MiB. */
export const defaultMemoryRequestBytes = 200 * 1024 * 1024;

/** Requests or capacity in scheduler units. `scalar` holds every other named resource in whole units. */
export interface ResourceAmounts {
  milliCpu: number;
  memoryBytes: number;
  ephemeralStorageBytes: number;
  /** Extended resources (`example.com/gpu`) and hugepages, in milli-units so fractions add up exactly. */
  scalarMilli: Map<string, number>;
}

export function emptyAmounts(): ResourceAmounts {
  return { milliCpu: 0, memoryBytes: 0, ephemeralStorageBytes: 0, scalarMilli: new Map() };
}

function fromQuantities(list: Iterable<[string, Quantity]>): ResourceAmounts {
  const out = emptyAmounts();
  for (const [name, q] of list) {
    if (name === 'cpu') out.milliCpu = q.milliValue();
    else if (name === 'memory') out.memoryBytes = q.value();
    else if (name === 'ephemeral-storage') out.ephemeralStorageBytes = q.value();
    else if (name !== 'pods') out.scalarMilli.set(name, q.milliValue());
  }
  return out;
}

/** A node's allocatable (or capacity) list in scheduler units, plus its pod count limit. */
export function amountsFromList(list: ResourceList | undefined): { amounts: ResourceAmounts; pods: number } {
  const parsed: Array<[string, Quantity]> = [];
  let pods = 0;
  for (const [name, v] of Object.entries(list ?? {})) {
    try {
      const q = parseQuantity(v);
      if (name === 'pods') pods = q.value();
      else parsed.push([name, q]);
    } catch {
      // Node validation rejects bad quantities; a leftover counts as absent (zero).
    }
  }
  return { amounts: fromQuantities(parsed), pods };
}

/** The pod's effective requests (init-container max rule, sidecars, overhead) in scheduler units. */
export function podRequestAmounts(pod: Pod): ResourceAmounts {
  return fromQuantities(podRequests(pod.spec));
}

function containerNonZero(c: Container): { milliCpu: number; memoryBytes: number } {
  const req = c.resources?.requests ?? {};
  const lim = c.resources?.limits ?? {};
  const cpu = req['cpu'] ?? lim['cpu'];
  const mem = req['memory'] ?? lim['memory'];
  return {
    milliCpu: cpu === undefined ? defaultMilliCpuRequest : parseQuantity(cpu).milliValue(),
    memoryBytes: mem === undefined ? defaultMemoryRequestBytes : parseQuantity(mem).value(),
  };
}

/** Upstream's non-zero requests: as podRequestAmounts for cpu/memory, with defaults for containers that ask for none. */
export function podNonZeroRequests(pod: Pod): { milliCpu: number; memoryBytes: number } {
  const spec = pod.spec;
  let milliCpu = 0;
  let memoryBytes = 0;
  for (const c of spec?.containers ?? []) {
    const r = containerNonZero(c);
    milliCpu += r.milliCpu;
    memoryBytes += r.memoryBytes;
  }
  let initCpu = 0;
  let initMem = 0;
  for (const c of spec?.initContainers ?? []) {
    const r = containerNonZero(c);
    if (c.restartPolicy === 'Always') {
      milliCpu += r.milliCpu;
      memoryBytes += r.memoryBytes;
      continue;
    }
    initCpu = Math.max(initCpu, r.milliCpu);
    initMem = Math.max(initMem, r.memoryBytes);
  }
  const overhead = amountsFromList(spec?.overhead).amounts;
  return {
    milliCpu: Math.max(milliCpu, initCpu) + overhead.milliCpu,
    memoryBytes: Math.max(memoryBytes, initMem) + overhead.memoryBytes,
  };
}
