// Kubeconfig files (clientcmd's v1 Config): the current context names a cluster (server, CA) and a user
// (client certificate, token). Relative file paths resolve against the kubeconfig's own directory, as
// kubectl resolves them.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import type { ConnectionConfig } from './connection.js';

interface KubeconfigCluster {
  server?: string;
  'certificate-authority'?: string;
  'certificate-authority-data'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'tls-server-name'?: string;
}

interface KubeconfigUser {
  'client-certificate'?: string;
  'client-certificate-data'?: string;
  'client-key'?: string;
  'client-key-data'?: string;
  token?: string;
  tokenFile?: string;
}

interface KubeconfigContext {
  cluster?: string;
  user?: string;
  namespace?: string;
}

export interface LoadKubeconfigOptions {
  /** Use this context instead of `current-context` (kubectl's --context). */
  context?: string;
}

/** `$KUBECONFIG` (its first entry), else `~/.kube/config`. */
export function defaultKubeconfigPath(): string {
  const env = process.env['KUBECONFIG'];
  const first = env?.split(path.delimiter).find((p) => p.length > 0);
  return first ?? path.join(homedir(), '.kube', 'config');
}

/** Reads and resolves a kubeconfig file into a connection. Throws with the reason when it is unusable. */
export function loadKubeconfig(file: string = defaultKubeconfigPath(), options: LoadKubeconfigOptions = {}): ConnectionConfig {
  return parseKubeconfig(readFileSync(file, 'utf8'), path.dirname(path.resolve(file)), options);
}

/** Resolves kubeconfig YAML text; `baseDir` anchors relative certificate and token paths. */
export function parseKubeconfig(text: string, baseDir: string, options: LoadKubeconfigOptions = {}): ConnectionConfig {
  const doc: unknown = parse(text);
  if (!isRecord(doc)) throw new Error('kubeconfig: not a YAML mapping');
  const contextName = options.context ?? str(doc['current-context']);
  if (!contextName) throw new Error('kubeconfig: no current-context set and no context given');
  const context = findEntry<KubeconfigContext>(doc, 'contexts', 'context', contextName);
  if (!context) throw new Error(`kubeconfig: context "${contextName}" not found`);
  const cluster = context.cluster ? findEntry<KubeconfigCluster>(doc, 'clusters', 'cluster', context.cluster) : undefined;
  if (!cluster?.server) throw new Error(`kubeconfig: cluster "${context.cluster ?? ''}" of context "${contextName}" not found or has no server`);
  const user = context.user ? (findEntry<KubeconfigUser>(doc, 'users', 'user', context.user) ?? {}) : {};

  const file = (p: string): Buffer => readFileSync(path.resolve(baseDir, p));
  const material = (data: string | undefined, filePath: string | undefined): Buffer | undefined => {
    if (data) return Buffer.from(data, 'base64');
    if (filePath) return file(filePath);
    return undefined;
  };
  const ca = material(cluster['certificate-authority-data'], cluster['certificate-authority']);
  const cert = material(user['client-certificate-data'], user['client-certificate']);
  const key = material(user['client-key-data'], user['client-key']);
  return {
    server: cluster.server,
    namespace: context.namespace || 'default',
    ...(ca ? { ca } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    ...(cluster['insecure-skip-tls-verify'] ? { insecureSkipTLSVerify: true } : {}),
    ...(cluster['tls-server-name'] ? { tlsServerName: cluster['tls-server-name'] } : {}),
    ...(user.token ? { token: user.token } : {}),
    ...(user.tokenFile ? { tokenFile: path.resolve(baseDir, user.tokenFile) } : {}),
  };
}

function findEntry<V>(doc: Record<string, unknown>, listField: string, bodyField: string, name: string): V | undefined {
  const list = doc[listField];
  if (!Array.isArray(list)) return undefined;
  for (const entry of list as unknown[]) {
    if (!isRecord(entry) || entry['name'] !== name) continue;
    const body = entry[bodyField];
    return (isRecord(body) ? body : {}) as V;
  }
  return undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}
