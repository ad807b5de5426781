// Copies a container's output from Docker's log stream into the CRI log file the kubelet reads
// (LogDirectory/LogPath, in the format of cri-log.ts), as cri-dockerd does in spirit. One copier per
// running container. Resumable: on (re)start it reads the last timestamp of each stream already in the file
// and asks Docker only for what came at or after the earlier of the two. A message is written only if it
// is newer than the last one written for its stream: that skips what the file already holds (Docker's
// `since` is inclusive) and the repeats Docker 20.10's follow mode sometimes sends, so a restarted CRI
// server neither loses nor duplicates lines.
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import type { Logger } from 'pino';
import { DockerFrameParser } from './docker-stream.js';
import { compareTimestamps, dockerMessageToRecords, dockerSince, formatCriLogLine, lastTimestampsByStream, type LogStream } from './cri-log.js';

const tailBytes = 64 * 1024;

async function readTail(file: string): Promise<string> {
  try {
    const fh = await fs.promises.open(file, 'r');
    try {
      const { size } = await fh.stat();
      const start = Math.max(0, size - tailBytes);
      const buf = Buffer.alloc(size - start);
      await fh.read(buf, 0, buf.length, start);
      return buf.toString('utf8');
    } finally {
      await fh.close();
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}

/** Follows one container's Docker log stream into its CRI log file. */
export class LogCopier {
  private out: fs.WriteStream | undefined;
  private source: Readable | undefined;
  private stopped = false;
  private lastWritten: Partial<Record<LogStream, string>> = {};
  /** Resolves when Docker's stream ends (the container stopped) or the copier is stopped. */
  readonly done: Promise<void>;
  private resolveDone!: () => void;

  constructor(
    private readonly docker: Dockerode,
    readonly containerId: string,
    readonly logPath: string,
    private readonly tty: boolean,
    private readonly log: Logger,
  ) {
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  async start(): Promise<void> {
    await fs.promises.mkdir(path.dirname(this.logPath), { recursive: true });
    this.lastWritten = lastTimestampsByStream(await readTail(this.logPath));
    const known = [this.lastWritten.stdout, this.lastWritten.stderr].filter((t): t is string => t !== undefined);
    const since = known.sort(compareTimestamps)[0];
    this.out = fs.createWriteStream(this.logPath, { flags: 'a' });
    const opts = { follow: true as const, stdout: true, stderr: true, timestamps: true, ...(since ? { since: dockerSince(since) } : {}) };
    const stream = (await this.docker.getContainer(this.containerId).logs(opts as Dockerode.ContainerLogsOptions & { follow: true })) as unknown as Readable;
    if (this.stopped) {
      stream.destroy();
      return;
    }
    this.source = stream;
    if (this.tty) {
      let pending = '';
      stream.on('data', (chunk: Buffer) => {
        pending += chunk.toString('utf8');
        const cut = pending.lastIndexOf('\n');
        if (cut < 0) return;
        for (const line of pending.slice(0, cut).split('\n')) this.write(`${line}\n`, 'stdout');
        pending = pending.slice(cut + 1);
      });
    } else {
      const parser = new DockerFrameParser((s, payload) => this.write(payload.toString('utf8'), s));
      stream.on('data', (chunk: Buffer) => parser.push(chunk));
    }
    stream.on('error', (err) => this.log.warn({ container: this.containerId, err }, 'container log stream failed'));
    stream.on('close', () => this.finish());
    stream.on('end', () => this.finish());
  }

  private write(message: string, stream: LogStream): void {
    const records = dockerMessageToRecords(message, stream);
    const ts = records[0]?.timestamp;
    if (!ts) return;
    // All records of one message share its timestamp, so the check is per message.
    const last = this.lastWritten[stream];
    if (last && compareTimestamps(ts, last) <= 0) return;
    this.lastWritten[stream] = ts;
    this.out?.write(records.map(formatCriLogLine).join(''));
  }

  /** Closes and reopens the file, after the kubelet rotated it (renamed it away). */
  async reopen(): Promise<void> {
    const old = this.out;
    this.out = fs.createWriteStream(this.logPath, { flags: 'a' });
    if (old) await new Promise<void>((resolve) => old.end(resolve));
  }

  private finish(): void {
    if (!this.out) return this.resolveDone();
    const out = this.out;
    this.out = undefined;
    out.end(() => this.resolveDone());
  }

  /** Stops following; what was received is flushed. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.source?.destroy();
    this.finish();
    await this.done;
  }
}

/** The copiers of one CRI server, by container id. */
export class LogCopiers {
  private readonly copiers = new Map<string, LogCopier>();
  /** Set by stopAll: a server shutting down starts no new copiers (a resume may still be iterating). */
  private closed = false;

  constructor(private readonly docker: Dockerode, private readonly log: Logger) {}

  /** Starts (or resumes) copying a container's logs; a no-op when a copier already follows it. */
  async ensure(containerId: string, logPath: string, tty: boolean): Promise<void> {
    if (!logPath || this.closed || this.copiers.has(containerId)) return;
    const copier = new LogCopier(this.docker, containerId, logPath, tty, this.log);
    this.copiers.set(containerId, copier);
    void copier.done.then(() => {
      if (this.copiers.get(containerId) === copier) this.copiers.delete(containerId);
    });
    try {
      await copier.start();
    } catch (err) {
      this.copiers.delete(containerId);
      throw err;
    }
  }

  get(containerId: string): LogCopier | undefined {
    return this.copiers.get(containerId);
  }

  async stop(containerId: string): Promise<void> {
    await this.copiers.get(containerId)?.stop();
  }

  /** Waits until the copier of a stopped container has flushed everything Docker had. */
  async drained(containerId: string): Promise<void> {
    await this.copiers.get(containerId)?.done;
  }

  async stopAll(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.copiers.values()].map((c) => c.stop()));
  }
}
