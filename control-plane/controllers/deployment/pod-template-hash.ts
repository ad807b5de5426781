// The pod-template-hash that names a Deployment's ReplicaSets and keeps their pods apart (upstream's
// controller.ComputeHash): FNV-32a over the template, plus the collision count when a name collided,
// written with the vowel-free alphabet upstream uses for generated names. The hash only has to be stable
// for one template within Skiff; upstream's own bytes come from Go's %#v printing, which we do not copy.
import type { PodTemplateSpec } from '../../../api/index.js';
import { semanticJson } from '../canonical-json.js';

export const podTemplateHashLabel = 'pod-template-hash';

const alphabet = 'bcdfghjklmnpqrstvwxz2456789';

function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

export function computeHash(template: PodTemplateSpec, collisionCount?: number): string {
  let text = semanticJson(template);
  if (collisionCount !== undefined && collisionCount > 0) text += String(collisionCount);
  return Array.from(String(fnv32a(text)), (ch) => alphabet[ch.charCodeAt(0) % alphabet.length]).join('');
}

function withoutHash(template: PodTemplateSpec | undefined): unknown {
  const t = structuredClone(template ?? {});
  const labels = t.metadata?.labels;
  if (labels) {
    delete labels[podTemplateHashLabel];
    if (Object.keys(labels).length === 0) delete t.metadata?.labels;
  }
  return t;
}

/** Whether two templates are the same but for the pod-template-hash label (upstream's EqualIgnoreHash). */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return semanticJson(withoutHash(a)) === semanticJson(withoutHash(b));
}
