// The kubelet's port-forward over SPDY (portforward.k8s.io): per forwarded connection the client opens an
// error stream and a data stream, both carrying `port` and `requestID` headers. Once a pair is complete the
// server connects to the pod's port and copies bytes both ways on the data stream; a failure is written
// as text on the error stream. The connection lives until the client closes it.
import type { Duplex } from 'node:stream';
import type { SpdySession } from './session.js';
import type { SpdyStream } from './stream.js';

/** How long the second stream of a pair may take, as the kubelet's stream creation timeout. */
export const pairTimeoutMs = 30_000;

interface Pair {
  data?: SpdyStream;
  error?: SpdyStream;
  timer: NodeJS.Timeout;
}

/** Opens a connection to the pod's port (the caller knows how to reach the pod). */
export type PortDialer = (port: number) => Duplex;

/** Serves port-forward requests on an upgraded session until it closes. */
export function servePortForward(session: SpdySession, dial: PortDialer, podName: string): void {
  const pairs = new Map<string, Pair>();
  session.on('stream', (s) => {
    void s.reply({});
    const type = s.headers['streamtype'];
    const requestId = s.headers['requestid'] ?? '';
    if (type !== 'data' && type !== 'error') {
      s.destroy();
      return;
    }
    let pair = pairs.get(requestId);
    if (!pair) {
      const timer = setTimeout(() => {
        pairs.delete(requestId);
        pair?.data?.destroy();
        pair?.error?.destroy();
      }, pairTimeoutMs);
      pair = { timer };
      pairs.set(requestId, pair);
    }
    if (pair[type]) {
      s.destroy();
      return;
    }
    pair[type] = s;
    if (type === 'error') s.resume(); // nothing is expected from the client on it but its FIN
    if (pair.data && pair.error) {
      clearTimeout(pair.timer);
      pairs.delete(requestId);
      forward(pair.data, pair.error, dial, podName);
    }
  });
  session.on('close', () => {
    for (const p of pairs.values()) clearTimeout(p.timer);
    pairs.clear();
  });
}

function forward(data: SpdyStream, error: SpdyStream, dial: PortDialer, podName: string): void {
  const port = Number(data.headers['port']);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    error.end(`invalid port "${data.headers['port'] ?? ''}"`);
    data.end();
    return;
  }
  const conn = dial(port);
  let failed = false;
  conn.on('error', (err: Error) => {
    if (failed) return;
    failed = true;
    if (error.writable) error.end(`error forwarding port ${port} to pod ${podName}: ${err.message}`);
    if (data.writable) data.end();
    conn.destroy();
  });
  data.pipe(conn); // the client's FIN half-closes the TCP connection
  conn.pipe(data); // the pod closing its side ends the data stream
  conn.on('close', () => {
    if (error.writable) error.end();
  });
  data.on('close', () => {
    // A reset (or the connection going) leaves nothing to forward to.
    if (!data.readableEnded || data.resetStatus !== undefined) conn.destroy();
  });
}
