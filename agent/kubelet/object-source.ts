// Where the kubelet reads the ConfigMaps and Secrets pods reference (env and volumes). A seam so that tests
// hand in maps; the real one GETs from the API server each time (a pod's sync is the refresh period).
import type { ConfigMap, Secret } from '../../api/index.js';
import { NotFoundError } from '../../api/errors.js';
import type { RestClient } from '../../client/index.js';
import { configMapsResource, secretsResource } from './resources.js';

export interface ObjectSource {
  /** The ConfigMap, or undefined when it does not exist. */
  configMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
  /** The Secret, or undefined when it does not exist. */
  secret(namespace: string, name: string): Promise<Secret | undefined>;
}

async function orUndefined<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  }
}

/** Reads through the API server. */
export class ApiObjectSource implements ObjectSource {
  constructor(private readonly client: RestClient) {}

  configMap(namespace: string, name: string): Promise<ConfigMap | undefined> {
    return orUndefined(this.client.get<ConfigMap>(configMapsResource, name, { namespace }));
  }

  secret(namespace: string, name: string): Promise<Secret | undefined> {
    return orUndefined(this.client.get<Secret>(secretsResource, name, { namespace }));
  }
}

/** Secret data decoded from base64 to text. */
export function secretText(secret: Secret): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(secret.data ?? {})) out[k] = Buffer.from(v, 'base64').toString('utf8');
  return out;
}

/** Secret data decoded to bytes. */
export function secretBytes(secret: Secret): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(secret.data ?? {})) out[k] = Buffer.from(v, 'base64');
  return out;
}

/** ConfigMap data (text and binary) as bytes. */
export function configMapBytes(cm: ConfigMap): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(cm.data ?? {})) out[k] = Buffer.from(v, 'utf8');
  for (const [k, v] of Object.entries(cm.binaryData ?? {})) out[k] = Buffer.from(v, 'base64');
  return out;
}
