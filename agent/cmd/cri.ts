// `skiff cri`: serves the CRI runtime.v1 API over Docker on a Unix socket until SIGTERM/SIGINT.
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import pino from 'pino';
import { startCriServer, defaultSocketPath } from '../cri/index.js';

const usage = `usage: skiff cri [--socket PATH] [--docker-socket PATH] [--streaming-port N] [--pause-image REF] [--log-level LEVEL]

  --socket PATH          CRI socket to serve on (default ${defaultSocketPath})
  --docker-socket PATH   Docker engine socket (default /var/run/docker.sock)
  --streaming-port N     port of the exec/attach/port-forward server on 127.0.0.1 (default: a free port)
  --pause-image REF      sandbox image (default skiff/pause:v1)
  --log-level LEVEL      pino level: trace, debug, info, warn, error (default info)
  --adopt-selector K=V   at start, resume log copying only for containers with this CRI label (repeatable;
                         for servers sharing one Docker engine, as tests do; default: all containers)`;

interface Flags {
  socket: string;
  dockerSocket: string;
  streamingPort: number;
  pauseImage: string | undefined;
  logLevel: string;
  adoptSelector: Record<string, string>;
}

/** Parses the flags; throws with a message fit for the user on a bad one. */
export function parseFlags(argv: string[]): Flags | 'help' {
  const flags: Flags = { socket: defaultSocketPath, dockerSocket: '/var/run/docker.sock', streamingPort: 0, pauseImage: undefined, logLevel: 'info', adoptSelector: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return 'help';
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      const v = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
      if (v === undefined || v === '') throw new Error(`${name} needs a value`);
      return v;
    };
    switch (name) {
      case '--socket': flags.socket = value(); break;
      case '--docker-socket': flags.dockerSocket = value(); break;
      case '--pause-image': flags.pauseImage = value(); break;
      case '--log-level': flags.logLevel = value(); break;
      case '--adopt-selector': {
        const v = value();
        const eqAt = v.indexOf('=');
        if (eqAt <= 0) throw new Error('--adopt-selector must be KEY=VALUE');
        flags.adoptSelector[v.slice(0, eqAt)] = v.slice(eqAt + 1);
        break;
      }
      case '--streaming-port': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error('--streaming-port must be a port number');
        flags.streamingPort = n;
        break;
      }
      default: throw new Error(`unknown flag ${arg}\n\n${usage}`);
    }
  }
  return flags;
}

export async function main(argv: string[]): Promise<void> {
  const flags = parseFlags(argv);
  if (flags === 'help') {
    console.log(usage);
    return;
  }
  const logger = pino({ name: 'skiff-cri', level: flags.logLevel });
  const server = await startCriServer({
    socketPath: flags.socket,
    dockerSocket: flags.dockerSocket,
    streamingAddress: `127.0.0.1:${flags.streamingPort}`,
    pauseImage: flags.pauseImage,
    adoptSelector: flags.adoptSelector,
    logger,
  });
  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      logger.info({ signal }, 'shutting down');
      server.close().then(resolve, (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        resolve();
      });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

// Run directly (`node agent/cmd/cri.js …`) as well as through `skiff cri`.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(`skiff cri: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  });
}
