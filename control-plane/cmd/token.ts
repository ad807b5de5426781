// `skiff token create | list | delete`: bootstrap tokens for joining nodes, as `kubeadm token` manages them.
// A token is a kube-system Secret `bootstrap-token-<id>` written through the API with the admin kubeconfig;
// `create` prints the token and the join command (with the CA's hash, so the node can pin it) on exactly
// two lines, for scripts to read with `sed -n 1p` / `sed -n 2p`.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AlreadyExistsError, NotFoundError } from '../../api/errors.js';
import type { Secret } from '../../api/types/config.js';
import { builtinResources, type ResourceInfo } from '../../api/resources.js';
import { RestClient, loadKubeconfig, type ConnectionConfig } from '../../client/index.js';
import {
  bootstrapTokenNamespace,
  bootstrapTokenSecret,
  bootstrapTokenSecretName,
  bootstrapTokenSecretType,
  caCertHash,
  defaultBootstrapTokenTtlSeconds,
  generateBootstrapToken,
  parseBootstrapToken,
} from '../../pki/index.js';

const usage = `usage: skiff token create [--data-dir DIR | --kubeconfig FILE] [--ttl DURATION] [--description TEXT]
       skiff token list   [--data-dir DIR | --kubeconfig FILE]
       skiff token delete [--data-dir DIR | --kubeconfig FILE] TOKEN_OR_ID

  create  stores a new bootstrap token and prints two lines: the token, and the \`skiff agent\` command
          that joins a node with it (server, token and the cluster CA's hash)
  list    prints the bootstrap tokens, their expiry, usages and groups
  delete  removes a bootstrap token (nodes that joined with it keep their certificates)

flags:
  --data-dir DIR       the server's data dir: uses DIR/admin.kubeconfig
  --kubeconfig FILE    an admin kubeconfig instead
  --ttl DURATION       lifetime of the token, e.g. 30m, 2h, 1h30m; 0 never expires (default 24h)
  --description TEXT   stored with the token (default "created by skiff token create")
  -h, --help           show this help`;

const secretsResource: ResourceInfo = (() => {
  const r = builtinResources.find((x) => x.group === '' && x.plural === 'secrets');
  if (!r) throw new Error('resource secrets is not registered');
  return r;
})();

const durationUnitsMs: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/**
 * Parses a Go-style duration (`24h`, `30m`, `1h30m`, `90s`, `1.5h`; `0` alone) into whole seconds, as
 * kubeadm's `--ttl` reads it. Throws on anything else, negative durations included.
 */
export function parseTtlSeconds(text: string): number {
  if (text === '0') return 0;
  if (text.length === 0) throw new Error('invalid --ttl "": use a duration such as 30m, 2h or 1h30m (0 = never expires)');
  const part = /(\d+(?:\.\d+)?)(ms|h|m|s)/y;
  let totalMs = 0;
  let at = 0;
  while (at < text.length) {
    part.lastIndex = at;
    const m = part.exec(text);
    if (!m || !m[1] || !m[2]) throw new Error(`invalid --ttl "${text}": use a duration such as 30m, 2h or 1h30m (0 = never expires)`);
    totalMs += Number(m[1]) * (durationUnitsMs[m[2]] ?? 0);
    at = part.lastIndex;
  }
  return Math.round(totalMs / 1000);
}

/** The `skiff agent` command line that joins a node to the server of `connection` with `token`. */
export function joinCommand(connection: ConnectionConfig, token: string): string {
  const url = new URL(connection.server);
  if (url.protocol !== 'https:') {
    throw new Error(`the server ${connection.server} is plain HTTP (--insecure-http): nodes join it with --kubeconfig, not a token`);
  }
  if (!connection.ca) throw new Error('the kubeconfig has no certificate authority, so the join command cannot pin it (--ca-cert-hash)');
  const port = url.port || '443';
  return `skiff agent --server https://${url.hostname}:${port} --token ${token} --ca-cert-hash ${caCertHash(connection.ca.toString('utf8'))}`;
}

/** Creates a fresh token's Secret, drawing a new token on the (unlikely) collision with an existing id. */
export async function createBootstrapToken(client: RestClient, ttlSeconds: number, description: string): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const token = generateBootstrapToken();
    try {
      await client.create(secretsResource, bootstrapTokenSecret(token, ttlSeconds, description), { namespace: bootstrapTokenNamespace });
      return token;
    } catch (err) {
      if (!(err instanceof AlreadyExistsError) || attempt >= 3) throw err;
    }
  }
}

const decode = (data: Record<string, string> | undefined, key: string): string | undefined => {
  const v = data?.[key];
  return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8');
};

/** `kubeadm token list`'s human form of the time left: `23h`, `59m`, `<forever>`, `<invalid>` once expired. */
function timeLeft(expiration: string | undefined, nowMs: number): string {
  if (!expiration) return '<forever>';
  const leftMs = Date.parse(expiration) - nowMs;
  if (Number.isNaN(leftMs) || leftMs <= 0) return '<invalid>';
  if (leftMs >= 3_600_000) return `${Math.floor(leftMs / 3_600_000)}h`;
  if (leftMs >= 60_000) return `${Math.floor(leftMs / 60_000)}m`;
  return `${Math.floor(leftMs / 1000)}s`;
}

/** The rows `skiff token list` prints, from the kube-system Secrets (other Secrets are skipped). */
export function tokenTable(secrets: readonly Secret[], nowMs: number): string {
  const rows = [['TOKEN', 'TTL', 'EXPIRES', 'USAGES', 'DESCRIPTION', 'EXTRA GROUPS']];
  for (const s of secrets) {
    if (s.type !== bootstrapTokenSecretType) continue;
    const id = decode(s.data, 'token-id');
    const secret = decode(s.data, 'token-secret');
    if (!id || !secret) continue;
    const expiration = decode(s.data, 'expiration');
    const usages = Object.keys(s.data ?? {})
      .filter((k) => k.startsWith('usage-bootstrap-') && decode(s.data, k) === 'true')
      .map((k) => k.slice('usage-bootstrap-'.length));
    rows.push([`${id}.${secret}`, timeLeft(expiration, nowMs), expiration ?? '<never>', usages.join(','), decode(s.data, 'description') ?? '<none>', decode(s.data, 'auth-extra-groups') ?? '']);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd((widths[i] ?? 0) + 3))).join('').trimEnd()).join('\n');
}

function kubeconfigOf(values: { 'data-dir'?: string; kubeconfig?: string }): string {
  if (values.kubeconfig && values['data-dir']) throw new Error('give --data-dir or --kubeconfig, not both');
  if (values.kubeconfig) return values.kubeconfig;
  if (values['data-dir']) return join(values['data-dir'], 'admin.kubeconfig');
  throw new Error(`--data-dir or --kubeconfig is required\n\n${usage}`);
}

export async function main(argv: string[]): Promise<void> {
  const [verb, ...rest] = argv;
  if (!verb || verb === '--help' || verb === '-h' || verb === 'help') {
    console.log(usage);
    return;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      'data-dir': { type: 'string' },
      kubeconfig: { type: 'string' },
      ttl: { type: 'string' },
      description: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const connection = loadKubeconfig(kubeconfigOf(values));
  const client = new RestClient(connection, { userAgent: 'skiff-token', rateLimit: false });
  try {
    switch (verb) {
      case 'create': {
        if (positionals.length > 0) throw new Error(`skiff token create takes no arguments\n\n${usage}`);
        const ttlSeconds = values.ttl === undefined ? defaultBootstrapTokenTtlSeconds : parseTtlSeconds(values.ttl);
        // Checked before the Secret exists: a token nobody can use should not be left behind.
        joinCommand(connection, generateBootstrapToken());
        const token = await createBootstrapToken(client, ttlSeconds, values.description ?? 'created by skiff token create');
        process.stdout.write(`${token}\n${joinCommand(connection, token)}\n`);
        return;
      }
      case 'list': {
        const secrets = await client.list<Secret>(secretsResource, { namespace: bootstrapTokenNamespace });
        console.log(tokenTable(secrets.items, Date.now()));
        return;
      }
      case 'delete': {
        const [arg] = positionals;
        if (!arg || positionals.length > 1) throw new Error(`skiff token delete needs one token or token id\n\n${usage}`);
        const id = parseBootstrapToken(arg)?.id ?? (/^[a-z0-9]{6}$/.test(arg) ? arg : undefined);
        // Never echo what was given: it may be a whole token.
        if (!id) throw new Error('skiff token delete: expected a token id ([a-z0-9]{6}) or a token');
        try {
          await client.delete(secretsResource, bootstrapTokenSecretName(id), { namespace: bootstrapTokenNamespace });
        } catch (err) {
          if (err instanceof NotFoundError) throw new Error(`bootstrap token "${id}" not found`);
          throw err;
        }
        console.log(`bootstrap token "${id}" deleted`);
        return;
      }
      default:
        throw new Error(`unknown token command "${verb}"\n\n${usage}`);
    }
  } finally {
    client.close();
  }
}
