// `skiff controller-manager`: runs the controllers against any Skiff (or Kubernetes) API server named by
// a kubeconfig, as kube-controller-manager does. `skiff server` runs the same controllers in-process.
import { parseArgs } from 'node:util';
import pino from 'pino';
import { InformerFactory, RealClock, RestClient } from '../../client/index.js';
import { controllerNames, resolveControllerNames, startControllers } from '../controllers/index.js';

const usage = `usage: skiff controller-manager --kubeconfig FILE [flags]

flags:
  --kubeconfig FILE           the API server and credentials (default $KUBECONFIG or ~/.kube/config)
  --controllers A,B,...       controllers to run (default all: ${controllerNames.join(',')}); * means all
  --log-level LEVEL           pino level: trace, debug, info, warn, error (default info)
  -h, --help                  show this help`;

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      kubeconfig: { type: 'string' },
      controllers: { type: 'string' },
      'log-level': { type: 'string', default: 'info' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const enabled = values.controllers?.split(',').map((s) => s.trim()).filter((s) => s !== '');
  resolveControllerNames(enabled); // fail fast on a typo, before connecting
  const logger = pino({ level: values['log-level'] ?? 'info' });
  // Controllers write a lot at start-up (adoptions, status); upstream's defaults are 20 qps / burst 30 per
  // controller client, this one client is shared by all.
  const client = RestClient.fromKubeconfig(values.kubeconfig, { qps: 100, burst: 200, userAgent: 'skiff-controller-manager' });
  const clock = new RealClock();
  const informers = new InformerFactory(client, { logger: logger.child({ component: 'informers' }), clock });
  const running = await startControllers({ client, informers, clock, logger, ...(enabled ? { enabled } : {}) });

  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      logger.info({ signal }, 'shutting down');
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  await running.stop();
  await informers.stop();
  client.close();
  logger.info('stopped');
}
