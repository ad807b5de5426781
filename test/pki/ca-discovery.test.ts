// The join's CA pinning over a real TLS handshake on loopback.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caCertHash,
  discoverPinnedCa,
  ensureClusterPki,
  generateRsaKeyPair,
  issueCertificate,
  type ClusterPki,
} from '../../pki/index.js';

let dir: string;
let pki: ClusterPki;
const servers: Server[] = [];

async function serve(cert: string, key: string): Promise<number> {
  const server = createServer({ cert, key }, (s) => s.end());
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'skiff-ca-discovery-'));
  pki = ensureClusterPki(dir, { serverAddresses: ['127.0.0.1'], serviceIP: '10.96.0.1' });
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('discoverPinnedCa', () => {
  it('returns the CA when the server sends it in its chain and the hash matches', async () => {
    const port = await serve(pki.apiServer.certPem + pki.ca.certPem, pki.apiServer.keyPem);
    const caPem = await discoverPinnedCa('127.0.0.1', port, pki.caCertHash);
    expect(caCertHash(caPem)).toBe(pki.caCertHash);
  });

  it('refuses a CA whose hash differs from the pin, naming both', async () => {
    const port = await serve(pki.apiServer.certPem + pki.ca.certPem, pki.apiServer.keyPem);
    const wrong = `sha256:${'ab'.repeat(32)}`;
    await expect(discoverPinnedCa('127.0.0.1', port, wrong)).rejects.toThrow(
      `the server's CA does not match --ca-cert-hash: expected ${wrong}, the server presented ${pki.caCertHash}`,
    );
  });

  it('refuses a server that does not send its CA', async () => {
    const port = await serve(pki.apiServer.certPem, pki.apiServer.keyPem);
    await expect(discoverPinnedCa('127.0.0.1', port, pki.caCertHash)).rejects.toThrow(/did not send its CA/);
  });

  it('refuses an impostor that replays the real CA certificate with its own serving certificate', async () => {
    const keys = generateRsaKeyPair();
    const fake = issueCertificate(
      { commonName: 'kube-apiserver', subjectAltNames: ['127.0.0.1'], usage: 'server', validityMs: 86_400_000, publicKeyPem: keys.publicKeyPem },
      { signingKeyPem: keys.privateKeyPem, issuerCertPem: pki.ca.certPem },
    );
    const port = await serve(fake + pki.ca.certPem, keys.privateKeyPem);
    await expect(discoverPinnedCa('127.0.0.1', port, pki.caCertHash)).rejects.toThrow(/not signed by the pinned CA/);
  });

  it('reports a connection failure clearly', async () => {
    const port = await serve(pki.apiServer.certPem, pki.apiServer.keyPem);
    const closed = servers.pop();
    await new Promise<void>((resolve) => closed?.close(() => resolve()));
    await expect(discoverPinnedCa('127.0.0.1', port, pki.caCertHash, { timeoutMs: 5000 })).rejects.toThrow(/cannot fetch the cluster CA from 127.0.0.1/);
  });
});
