// The Kubernetes WebSocket channel protocol (what `kubectl exec` speaks through the API server and the
// kubelet since 1.29, preferring `v5.channel.k8s.io`): every binary message starts with a channel byte —
// 0 stdin, 1 stdout, 2 stderr, 3 error (a metav1.Status JSON in v4+, plain text before), 4 resize
// (`{"Width":w,"Height":h}`) — and v5 adds the close signal `[255, channel]` with which the client
// half-closes a stream (stdin EOF). Pure helpers only.

export const stdinChannel = 0;
export const stdoutChannel = 1;
export const stderrChannel = 2;
export const errorChannel = 3;
export const resizeChannel = 4;
export const closeSignal = 255;

/** Subprotocols for exec/attach, most preferred first. */
export const streamProtocols = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'] as const;
export type StreamProtocol = (typeof streamProtocols)[number];

/** Picks the subprotocol for exec/attach from what the client offers; undefined if none is supported. */
export function negotiateStreamProtocol(offered: Iterable<string>): StreamProtocol | undefined {
  const set = new Set(offered);
  return streamProtocols.find((p) => set.has(p));
}

/** Prefixes `data` with its channel byte. */
export function frame(channel: number, data: Buffer | string): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return Buffer.concat([Buffer.from([channel]), body]);
}

/** The error-channel payload that reports how a command ended, for the given protocol. */
export function exitStatusPayload(protocol: StreamProtocol, exitCode: number, cmd: string[]): string {
  const structured = protocol === 'v4.channel.k8s.io' || protocol === 'v5.channel.k8s.io';
  if (exitCode === 0) return structured ? JSON.stringify({ metadata: {}, status: 'Success' }) : '';
  const message = `command terminated with non-zero exit code: error executing command ${JSON.stringify(cmd)}, exit code ${exitCode}`;
  if (!structured) return message;
  return JSON.stringify({
    metadata: {},
    status: 'Failure',
    message,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  });
}

/** The error-channel payload for a failure that is not an exit code. */
export function failureStatusPayload(protocol: StreamProtocol, message: string): string {
  const structured = protocol === 'v4.channel.k8s.io' || protocol === 'v5.channel.k8s.io';
  return structured ? JSON.stringify({ metadata: {}, status: 'Failure', message, reason: 'InternalError' }) : message;
}

/** A terminal size from a resize message, or undefined if malformed. */
export function parseResize(body: Buffer): { width: number; height: number } | undefined {
  try {
    const v = JSON.parse(body.toString('utf8')) as { Width?: unknown; Height?: unknown };
    if (typeof v.Width === 'number' && typeof v.Height === 'number') return { width: v.Width, height: v.Height };
  } catch {
    // fall through: a malformed resize is ignored, as the kubelet does
  }
  return undefined;
}

/** Port numbers from a port-forward URL's `port` query parameters (repeated or comma-separated). */
export function parsePorts(values: string[]): number[] {
  const ports: number[] = [];
  for (const v of values) {
    for (const part of v.split(',')) {
      const n = Number(part.trim());
      if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`invalid port "${part}"`);
      ports.push(n);
    }
  }
  return ports;
}

/** The port-forward preamble: the port number, little-endian uint16, written first on both channels. */
export function portPreamble(port: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(port);
  return b;
}
