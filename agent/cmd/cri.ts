// `skiff cri`: serves the CRI runtime.v1 API over Docker on a Unix socket until SIGTERM/SIGINT.
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import pino from 'pino';
import { startCriServer, defaultSocketPath } from '../cri/index.js';
import { portFlag, readFlags, runUntilSignal } from './command-line.js';

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
  const help = readFlags(argv, (name, value) => {
    switch (name) {
      case '--socket': flags.socket = value(); break;
      case '--docker-socket': flags.dockerSocket = value(); break;
      case '--pause-image': flags.pauseImage = value(); break;
      case '--log-level': flags.logLevel = value(); break;
      case '--streaming-port': flags.streamingPort = portFlag(name, value()); break;
      case '--adopt-selector': {
        const v = value();
        const eqAt = v.indexOf('=');
        if (eqAt <= 0) throw new Error('--adopt-selector must be KEY=VALUE');
        flags.adoptSelector[v.slice(0, eqAt)] = v.slice(eqAt + 1);
        break;
      }
      default: throw new Error(`unknown flag ${name}\n\n${usage}`);
    }
  });
  return help ?? flags;
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
  await runUntilSignal(logger, () => server.close());
}

// Run directly (`node agent/cmd/cri.js …`) as well as through `skiff cri`.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(`skiff cri: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  });
}
