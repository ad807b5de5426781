// `skiff scheduler --kubeconfig FILE`: runs the default scheduler against an API server until SIGTERM.
import { parseArgs } from 'node:util';
import pino from 'pino';
import { RestClient } from '../../client/rest-client.js';
import { Scheduler } from '../scheduler/index.js';

const usage = `usage: skiff scheduler --kubeconfig FILE [flags]

flags:
  --kubeconfig FILE                     admin kubeconfig of the API server (default $KUBECONFIG or ~/.kube/config)
  --kube-api-qps N                      client-side request rate (default 500)
  --kube-api-burst N                    client-side burst (default 1000)
  --percentage-of-nodes-to-score N      fixed share of nodes to find feasible, 0 = adaptive (default 0)
  --log-level LEVEL                     pino level (default info)
  -h, --help                            show this help`;

function positiveNumber(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) throw new Error(`invalid --${flag} "${text}"`);
  return n;
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      kubeconfig: { type: 'string' },
      'kube-api-qps': { type: 'string' },
      'kube-api-burst': { type: 'string' },
      'percentage-of-nodes-to-score': { type: 'string' },
      'log-level': { type: 'string', default: 'info' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const logger = pino({ level: values['log-level'] ?? 'info' });
  // Upstream defaults to 50 qps; binding thousands of pods a second needs more, and Skiff's server is local.
  const client = RestClient.fromKubeconfig(values.kubeconfig, {
    qps: positiveNumber('kube-api-qps', values['kube-api-qps'], 500),
    burst: positiveNumber('kube-api-burst', values['kube-api-burst'], 1000),
    userAgent: 'skiff-scheduler',
  });
  const percentage = positiveNumber('percentage-of-nodes-to-score', values['percentage-of-nodes-to-score'], 0);
  const scheduler = new Scheduler({ client, logger, percentageOfNodesToScore: percentage });
  let stopping: Promise<void> | undefined;
  const shutdown = (signal: string): Promise<void> => {
    stopping ??= (async () => {
      logger.info({ signal }, 'shutting down');
      await scheduler.stop().catch((err: unknown) => logger.error({ err }, 'stopping the scheduler failed'));
      client.close();
    })();
    return stopping;
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM').then(() => process.exit(0)));
  process.once('SIGINT', () => void shutdown('SIGINT').then(() => process.exit(0)));
  scheduler.start();
  logger.info({ server: client.server.toString() }, 'scheduler started');
}
