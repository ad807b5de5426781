import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadKubeconfig, parseKubeconfig } from '../../client/kubeconfig.js';
import { RestClient } from '../../client/rest-client.js';

const tlsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'support', 'tls');
const pem = (name: string): Buffer => readFileSync(path.join(tlsDir, name));
const b64 = (name: string): string => pem(name).toString('base64');

function kubeconfig(cluster: Record<string, unknown>, user: Record<string, unknown>, extra = ''): string {
  const yamlMap = (m: Record<string, unknown>): string =>
    Object.entries(m)
      .map(([k, v]) => `\n      ${k}: ${JSON.stringify(v)}`)
      .join('');
  return `apiVersion: v1
kind: Config
current-context: admin@skiff
clusters:
  - name: skiff
    cluster:${yamlMap(cluster)}
  - name: other
    cluster:
      server: https://other:6443
users:
  - name: admin
    user:${yamlMap(user) || ' {}'}
contexts:
  - name: admin@skiff
    context:
      cluster: skiff
      user: admin
  - name: other-ctx
    context:
      cluster: other
      user: admin
      namespace: team-a
${extra}`;
}

describe('kubeconfig', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'skiff-kubeconfig-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('resolves inline certificate data of the current context', () => {
    const conn = parseKubeconfig(
      kubeconfig(
        { server: 'https://127.0.0.1:6443', 'certificate-authority-data': b64('ca.crt') },
        { 'client-certificate-data': b64('client.crt'), 'client-key-data': b64('client.key') },
      ),
      dir,
    );
    expect(conn.server).toBe('https://127.0.0.1:6443');
    expect(conn.namespace).toBe('default');
    expect(conn.ca?.equals(pem('ca.crt'))).toBe(true);
    expect(conn.cert?.equals(pem('client.crt'))).toBe(true);
    expect(conn.key?.equals(pem('client.key'))).toBe(true);
    expect(conn.insecureSkipTLSVerify).toBeUndefined();
  });

  it('reads certificate files relative to the kubeconfig directory and resolves the token file path', () => {
    writeFileSync(path.join(dir, 'ca.pem'), pem('ca.crt'));
    writeFileSync(path.join(dir, 'token'), 'abc\n');
    const file = path.join(dir, 'config');
    writeFileSync(file, kubeconfig({ server: 'https://127.0.0.1:6443', 'certificate-authority': 'ca.pem' }, { tokenFile: 'token' }));
    const conn = loadKubeconfig(file);
    expect(conn.ca?.equals(pem('ca.crt'))).toBe(true);
    expect(conn.tokenFile).toBe(path.join(dir, 'token'));
  });

  it.each([
    ['a static token', { server: 'http://127.0.0.1:8080' }, { token: 't0k3n' }, { token: 't0k3n' }],
    ['insecure-skip-tls-verify', { server: 'https://x', 'insecure-skip-tls-verify': true }, {}, { insecureSkipTLSVerify: true }],
    ['tls-server-name', { server: 'https://10.0.0.1', 'tls-server-name': 'kubernetes' }, {}, { tlsServerName: 'kubernetes' }],
  ])('reads %s', (_name, cluster, user, expected) => {
    expect(parseKubeconfig(kubeconfig(cluster, user), dir)).toMatchObject(expected);
  });

  it('uses the named context and its namespace instead of current-context', () => {
    const conn = parseKubeconfig(kubeconfig({ server: 'http://127.0.0.1:1' }, {}), dir, { context: 'other-ctx' });
    expect(conn).toMatchObject({ server: 'https://other:6443', namespace: 'team-a' });
  });

  it.each([
    ['no current context', 'apiVersion: v1\nkind: Config\n', {}, /no current-context/],
    ['a missing context', kubeconfig({ server: 'http://x' }, {}), { context: 'nope' }, /context "nope" not found/],
    [
      'a context naming a missing cluster',
      'current-context: c\ncontexts:\n  - name: c\n    context: {cluster: gone, user: u}\n',
      {},
      /cluster "gone"/,
    ],
    ['text that is not a mapping', '- just\n- a list\n', {}, /not a YAML mapping/],
  ])('rejects %s', (_name, text, options, message) => {
    expect(() => parseKubeconfig(text, dir, options)).toThrow(message);
  });
});

describe('RestClient over HTTPS with a kubeconfig', () => {
  let server: https.Server;
  let url: string;
  let dir: string;
  const clientNames: string[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'skiff-kubeconfig-'));
    clientNames.length = 0;
    server = https.createServer({ key: pem('server.key'), cert: pem('server.crt'), ca: pem('ca.crt'), requestCert: true, rejectUnauthorized: false }, (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      clientNames.push(String(peer.subject?.CN ?? 'anonymous'));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ major: '1', minor: '33', auth: req.headers.authorization ?? null }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  function clientFor(cluster: Record<string, unknown>, user: Record<string, unknown>): RestClient {
    const file = path.join(dir, 'config');
    writeFileSync(file, kubeconfig({ server: url, ...cluster }, user));
    return RestClient.fromKubeconfig(file, { rateLimit: false, timeoutMs: 5000 });
  }

  it('verifies the server with the CA and presents the client certificate', async () => {
    const client = clientFor(
      { 'certificate-authority-data': b64('ca.crt') },
      { 'client-certificate-data': b64('client.crt'), 'client-key-data': b64('client.key') },
    );
    try {
      expect(await client.request('GET', '/version')).toMatchObject({ major: '1' });
    } finally {
      client.close();
    }
    expect(clientNames).toEqual(['test-admin']);
  });

  it('refuses a server whose certificate it cannot verify', async () => {
    const client = clientFor({}, { token: 'x' });
    try {
      await expect(client.request('GET', '/version')).rejects.toThrow(/certificate/i);
    } finally {
      client.close();
    }
  });

  it('skips verification when told to, sending the bearer token', async () => {
    const client = clientFor({ 'insecure-skip-tls-verify': true }, { token: 'secret-token' });
    try {
      expect(await client.request('GET', '/version')).toMatchObject({ auth: 'Bearer secret-token' });
    } finally {
      client.close();
    }
  });
});
