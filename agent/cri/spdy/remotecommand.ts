// The kubelet's remotecommand (exec/attach) over SPDY: the client opens one stream per channel, naming it
// in the `streamType` header (error, stdin, stdout, stderr, resize); the server accepts each (SYN_REPLY),
// waits until every stream the request implies exists, runs the command, writes how it ended on the error
// stream and closes the connection. Protocols v2+ expect stderr only without a TTY; v3+ add resize.
import type { ExecChannels, ExecInput } from '../streaming-server.js';
import { parseResize } from '../ws-channel.js';
import { JsonObjectSplitter } from './json-stream.js';
import type { SpdyExecProtocol } from './negotiate.js';
import type { SpdySession } from './session.js';
import type { SpdyStream } from './stream.js';

/** How long the client has to open its streams, as the kubelet's default. */
export const streamCreationTimeoutMs = 30_000;

export interface RemoteCommandShape {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

type StreamType = 'error' | 'stdin' | 'stdout' | 'stderr' | 'resize';

/** The stream types a request of this shape must open before the command starts. */
export function expectedStreams(protocol: SpdyExecProtocol, shape: RemoteCommandShape): StreamType[] {
  const out: StreamType[] = ['error'];
  if (shape.stdin) out.push('stdin');
  if (shape.stdout) out.push('stdout');
  if (shape.stderr && !shape.tty) out.push('stderr');
  if (shape.tty && protocol !== 'channel.k8s.io' && protocol !== 'v2.channel.k8s.io') out.push('resize');
  return out;
}

function endAndWait(s: SpdyStream | undefined): Promise<void> {
  if (!s || s.destroyed || s.writableFinished) return Promise.resolve();
  return new Promise((resolve) => {
    s.once('finish', resolve);
    s.once('close', resolve);
    s.end();
  });
}

/**
 * Waits for the client's streams on a freshly upgraded session and returns them as transport-neutral
 * channels. Rejects (and closes the session) if they do not all arrive in time.
 */
export function acceptRemoteCommand(session: SpdySession, protocol: SpdyExecProtocol, shape: RemoteCommandShape, timeoutMs = streamCreationTimeoutMs): Promise<ExecChannels> {
  const want = new Set(expectedStreams(protocol, shape));
  const got = new Map<StreamType, SpdyStream>();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      void session.close();
      reject(new Error(`timed out waiting for client streams (have ${[...got.keys()].join(',') || 'none'}, want ${[...want].join(',')})`));
    }, timeoutMs);
    const onClose = (): void => {
      cleanup();
      reject(new Error('connection closed before the client opened its streams'));
    };
    const onStream = (s: SpdyStream): void => {
      void s.reply({});
      const type = s.headers['streamtype'] as StreamType | undefined;
      if (!type || !want.has(type) || got.has(type)) {
        // Not part of this request (or a duplicate): accept it so the client is not stuck, ignore its data.
        s.resume();
        return;
      }
      got.set(type, s);
      if (got.size === want.size) {
        cleanup();
        resolve(channels(session, protocol, got));
      }
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      session.off('stream', onStream);
      session.off('close', onClose);
    };
    session.on('stream', onStream);
    session.on('close', onClose);
  });
}

function channels(session: SpdySession, protocol: SpdyExecProtocol, got: Map<StreamType, SpdyStream>): ExecChannels {
  const stdout = got.get('stdout');
  const stderr = got.get('stderr');
  const error = got.get('error');
  // Late streams the client opens (none expected) are accepted and drained.
  session.on('stream', (s) => {
    void s.reply({});
    s.resume();
  });
  return {
    protocol,
    stdout: (chunk) => void (stdout?.writable && stdout.write(chunk)),
    stderr: (chunk) => void (stderr?.writable && stderr.write(chunk)),
    isOpen: () => session.isOpen,
    listen(input: ExecInput) {
      const stdin = got.get('stdin');
      if (stdin) {
        stdin.on('data', (b: Buffer) => input.stdin(b));
        stdin.on('end', () => input.stdinEnd());
      }
      const resize = got.get('resize');
      if (resize) {
        const splitter = new JsonObjectSplitter((text) => {
          const size = parseResize(Buffer.from(text, 'utf8'));
          if (size) input.resize(size.width, size.height);
        });
        resize.setEncoding('utf8');
        resize.on('data', (t: string) => splitter.push(t));
      }
      if (!session.isOpen) input.closed();
      else session.once('close', () => input.closed());
    },
    async finish(payload: string) {
      // Output first, so the status is the last thing the client reads before the connection closes.
      await Promise.all([endAndWait(stdout), endAndWait(stderr)]);
      if (error && payload) error.write(payload);
      await endAndWait(error);
      await session.close();
    },
  };
}
