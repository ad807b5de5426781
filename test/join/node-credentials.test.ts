import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeCredentialPaths, unusableReason, writeFileAtomic, writeNodeCredentials } from '../../agent/join/index.js';
import { caCertHash, kubeconfigWithCerts } from '../../pki/index.js';
import { makeCa, makeLeaf } from './pki-fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'skiff-node-creds-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const ca = makeCa();
const other = makeCa('other');
const leaf = makeLeaf(ca, 'client', 'system:node:n1', ['system:nodes']);
const foreignLeaf = makeLeaf(other, 'client', 'system:node:n1', ['system:nodes']);
let seq = 0;

function kubeconfigFile(text: string): string {
  const file = join(root, `kubeconfig-${++seq}`);
  writeFileSync(file, text);
  return file;
}
const kc = (over: Partial<Parameters<typeof kubeconfigWithCerts>[0]> = {}): string =>
  kubeconfigFile(kubeconfigWithCerts({ server: 'https://10.0.0.1:6443', caPem: ca.certPem, certPem: leaf.certPem, keyPem: leaf.keyPem, user: 'system:node:n1', ...over }));

describe('whether a stored node kubeconfig can be reused', () => {
  it('accepts a complete, valid identity matching the pin (or with no pin given)', () => {
    const file = kc();
    expect(unusableReason(file, caCertHash(ca.certPem))).toBeUndefined();
    expect(unusableReason(file, undefined)).toBeUndefined();
  });

  const dayMs = 86_400_000;
  const cases: Array<[string, () => string, string | undefined, number, RegExp]> = [
    ['a missing file', () => join(root, 'nope'), undefined, Date.now(), /does not exist/],
    ['garbage', () => kubeconfigFile(': : :'), undefined, Date.now(), /cannot be read/],
    ['a plain-http server', () => kc({ server: 'http://10.0.0.1:8080' }), undefined, Date.now(), /not https/],
    ['an expired certificate', () => kc(), undefined, Date.now() + 2 * dayMs, /expired/],
    ['a key of another certificate', () => kc({ keyPem: foreignLeaf.keyPem }), undefined, Date.now(), /key does not match/],
    ['a certificate from another CA', () => kc({ certPem: foreignLeaf.certPem, keyPem: foreignLeaf.keyPem }), undefined, Date.now(), /not signed by its CA/],
    ['a CA other than --ca-cert-hash', () => kc(), caCertHash(other.certPem), Date.now(), /does not match --ca-cert-hash/],
  ];
  it.each(cases)('refuses %s', (_name, file, pin, now, reason) => {
    expect(unusableReason(file(), pin, now)).toMatch(reason);
  });
});

describe('writing a node identity', () => {
  it('writes every file atomically with its mode and leaves no temp files', () => {
    const dataDir = join(root, 'node');
    const paths = writeNodeCredentials(dataDir, { server: 'https://10.0.0.1:6443', nodeName: 'n1', caPem: ca.certPem, certPem: leaf.certPem, keyPem: leaf.keyPem });
    expect(paths).toEqual(nodeCredentialPaths(dataDir));
    expect(statSync(paths.clientKey).mode & 0o777).toBe(0o600);
    expect(statSync(paths.kubeconfig).mode & 0o777).toBe(0o600);
    expect(statSync(paths.clientCert).mode & 0o777).toBe(0o644);
    expect(statSync(join(dataDir, 'pki')).mode & 0o777).toBe(0o700);
    expect(unusableReason(paths.kubeconfig, caCertHash(ca.certPem))).toBeUndefined();
    expect([...readdirSync(dataDir), ...readdirSync(join(dataDir, 'pki'))].filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('replaces an existing file and tightens its mode', () => {
    const file = join(root, 'atomic', 'key');
    writeFileAtomic(file, 'old', 0o644);
    writeFileAtomic(file, 'new', 0o600);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
