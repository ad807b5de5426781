// A pod's effective requests and limits, and its QoS class, as upstream's resource helpers compute
// them: app containers (and sidecars) add up, ordinary init containers run one at a time so only the
// largest counts, and pod overhead is added on top. The scheduler, kubelet and status use these.
import { parseQuantity, Quantity } from './quantity.js';
import type { Container, PodQOSClass, PodSpec } from './types/pod.js';
import type { ResourceList } from './types/meta.js';

/** Parsed resource map; names absent from the map are zero. */
export type Resources = Map<string, Quantity>;

function parseList(list: ResourceList | undefined): Resources {
  const out: Resources = new Map();
  for (const [name, v] of Object.entries(list ?? {})) {
    try {
      out.set(name, parseQuantity(v));
    } catch {
      // Validation rejects bad quantities before they are stored; treat leftovers as absent.
    }
  }
  return out;
}

function addInto(total: Resources, add: Resources): void {
  for (const [name, q] of add) total.set(name, (total.get(name) ?? Quantity.fromNanos(0n)).add(q));
}

function maxInto(total: Resources, other: Resources): void {
  for (const [name, q] of other) {
    const cur = total.get(name);
    if (!cur || q.cmp(cur) > 0) total.set(name, q);
  }
}

function containerList(c: Container, which: 'requests' | 'limits'): Resources {
  // A limit without a request requests the limit (the pod defaulter does this too).
  if (which === 'requests') {
    const req = parseList(c.resources?.requests);
    for (const [name, q] of parseList(c.resources?.limits)) if (!req.has(name)) req.set(name, q);
    return req;
  }
  return parseList(c.resources?.limits);
}

function aggregate(spec: PodSpec, which: 'requests' | 'limits'): Resources {
  const total: Resources = new Map();
  for (const c of spec.containers ?? []) addInto(total, containerList(c, which));
  const sidecars: Resources = new Map();
  const initMax: Resources = new Map();
  for (const c of spec.initContainers ?? []) {
    const r = containerList(c, which);
    if (c.restartPolicy === 'Always') {
      addInto(sidecars, r);
      addInto(total, r);
      continue;
    }
    // An ordinary init container runs alongside the sidecars started before it.
    const during: Resources = new Map(sidecars);
    addInto(during, r);
    maxInto(initMax, during);
  }
  maxInto(total, initMax);
  addInto(total, parseList(spec.overhead));
  return total;
}

/** The pod's effective requests (what the scheduler fits against allocatable). */
export function podRequests(spec: PodSpec | undefined): Resources {
  return spec ? aggregate(spec, 'requests') : new Map();
}

/** The pod's effective limits. */
export function podLimits(spec: PodSpec | undefined): Resources {
  return spec ? aggregate(spec, 'limits') : new Map();
}

const qosResources = ['cpu', 'memory'];

/**
 * Upstream's GetPodQOS: BestEffort when no container sets cpu/memory requests or limits; Guaranteed
 * when every container limits both and requests equal limits; Burstable otherwise.
 */
export function podQOSClass(spec: PodSpec | undefined): PodQOSClass {
  const containers = [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const requests = parseList(c.resources?.requests);
    const limits = parseList(c.resources?.limits);
    for (const name of qosResources) {
      const req = requests.get(name);
      const lim = limits.get(name);
      if ((req && !req.isZero()) || (lim && !lim.isZero())) any = true;
      if (!lim || lim.isZero()) guaranteed = false;
      else if (req && req.cmp(lim) !== 0) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
