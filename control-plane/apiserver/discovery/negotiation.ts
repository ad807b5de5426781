// Content negotiation for discovery: a client that lists the aggregated form in Accept gets it, with the
// Content-Type naming exactly what was sent (client-go checks the g/v/as parameters before decoding);
// everyone else gets the legacy document as application/json.
import type { DiscoveryVersion } from './aggregated-discovery.js';

interface MediaRange {
  type: string;
  params: Map<string, string>;
  q: number;
  index: number;
}

function parseAccept(accept: string): MediaRange[] {
  return accept
    .split(',')
    .map((part, index) => {
      const [type = '', ...rest] = part.split(';').map((s) => s.trim());
      const params = new Map<string, string>();
      for (const p of rest) {
        const eq = p.indexOf('=');
        if (eq > 0) params.set(p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim());
      }
      const q = Number(params.get('q') ?? '1');
      return { type: type.toLowerCase(), params, q: Number.isFinite(q) ? q : 1, index };
    })
    .filter((m) => m.type !== '' && m.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
}

export function aggregatedContentType(version: DiscoveryVersion): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}

/**
 * The aggregated discovery version the client prefers, or undefined when it prefers (or only accepts)
 * plain JSON. Only JSON encodings are offered: a protobuf range is skipped, so the client's next choice wins.
 */
export function preferredDiscovery(accept: string | undefined): DiscoveryVersion | undefined {
  if (!accept) return undefined;
  for (const m of parseAccept(accept)) {
    if (m.type !== 'application/json') continue;
    const g = m.params.get('g');
    const v = m.params.get('v');
    const as = m.params.get('as');
    if (g === undefined && v === undefined && as === undefined) return undefined;
    if (g === 'apidiscovery.k8s.io' && as === 'APIGroupDiscoveryList' && (v === 'v2' || v === 'v2beta1')) return v;
  }
  return undefined;
}
