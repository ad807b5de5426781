// Protocol negotiation for SPDY upgrades, as k8s.io/apimachinery's httpstream.Handshake does it: the
// client lists X-Stream-Protocol-Version values (repeated headers, maybe comma-joined by the HTTP layer) in
// its order of preference; the first one the server supports wins. No header at all means the legacy
// unversioned protocol; headers with nothing in common are refused with 403.

/** Exec/attach protocols the SPDY transport serves (v5 is WebSocket-only upstream). */
export const spdyExecProtocols = ['v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'] as const;
export type SpdyExecProtocol = (typeof spdyExecProtocols)[number];

/** The only port-forward protocol over SPDY. */
export const portForwardProtocol = 'portforward.k8s.io';

/** Splits raw `X-Stream-Protocol-Version` header values into the client's list, in order. */
export function offeredProtocols(raw: string | string[] | undefined): string[] {
  const values = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v.length > 0);
}

export type Negotiation<P extends string> = { ok: true; protocol: P; echoed: boolean } | { ok: false };

/**
 * Picks the protocol: the client's first offer the server supports. With no offer, `fallback` is used and
 * not echoed back (the legacy client sent no header and expects none).
 */
export function negotiate<P extends string>(offered: string[], supported: readonly P[], fallback: P): Negotiation<P> {
  if (offered.length === 0) return { ok: true, protocol: fallback, echoed: false };
  const found = offered.find((o): o is P => (supported as readonly string[]).includes(o));
  return found ? { ok: true, protocol: found, echoed: true } : { ok: false };
}

/** Whether an HTTP upgrade request asks for SPDY/3.1. */
export function wantsSpdy(upgradeHeader: string | undefined): boolean {
  return (upgradeHeader ?? '').split(',').some((v) => v.trim().toLowerCase() === 'spdy/3.1');
}
