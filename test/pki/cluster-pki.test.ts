import { X509Certificate, createHash } from 'node:crypto';
import { execSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  apiServerSubjectAltNames,
  caCertHash,
  caCertHashMatches,
  ensureClusterPki,
  kubeconfigWithCerts,
  type ClusterPki,
} from '../../pki/index.js';

const options = { serverAddresses: ['10.0.0.5', 'skiff.example'], serviceIP: '10.96.0.1' };
const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'skiff-pki-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function hasOpenssl(): boolean {
  try {
    execSync('openssl version', { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('ensureClusterPki', () => {
  let dataDir: string;
  let pki: ClusterPki;
  beforeAll(() => {
    dataDir = tempDir();
    pki = ensureClusterPki(dataDir, options);
  });

  it('writes the CA, serving and admin pairs with private keys mode 0600', () => {
    for (const base of ['ca', 'apiserver', 'admin']) {
      expect(readFileSync(join(dataDir, 'pki', `${base}.crt`), 'utf8')).toContain('BEGIN CERTIFICATE');
      expect(statSync(join(dataDir, 'pki', `${base}.key`)).mode & 0o777).toBe(0o600);
    }
  });

  it('creates a self-signed CA valid for about ten years', () => {
    const ca = new X509Certificate(pki.ca.certPem);
    expect(ca.ca).toBe(true);
    expect(ca.verify(ca.publicKey)).toBe(true);
    const years = (Date.parse(ca.validTo) - Date.now()) / (365 * 24 * 3600 * 1000);
    expect(years).toBeGreaterThan(9.9);
    expect(years).toBeLessThan(10.1);
  });

  it('issues a serving certificate chained to the CA that answers to every expected name', () => {
    const ca = new X509Certificate(pki.ca.certPem);
    const cert = new X509Certificate(pki.apiServer.certPem);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.ca).toBe(false);
    for (const host of ['skiff.example', 'localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local']) {
      expect(cert.checkHost(host), host).toBe(host);
    }
    for (const ip of ['10.0.0.5', '127.0.0.1', '10.96.0.1']) expect(cert.checkIP(ip), ip).toBe(ip);
    expect(cert.checkHost('evil.example')).toBeUndefined();
    expect(cert.checkIP('10.0.0.6')).toBeUndefined();
    expect(cert.subjectAltName).toContain('IP Address:10.0.0.5');
    expect(cert.subjectAltName).toContain('DNS:skiff.example');
  });

  it('issues the admin client certificate as kubernetes-admin in system:masters', () => {
    const cert = new X509Certificate(pki.admin.certPem);
    expect(cert.verify(new X509Certificate(pki.ca.certPem).publicKey)).toBe(true);
    expect(cert.subject).toContain('CN=kubernetes-admin');
    expect(cert.subject).toContain('O=system:masters');
    expect(cert.keyUsage).toContain('1.3.6.1.5.5.7.3.2');
  });

  it.each([
    ['apiServerKubeletClient', 'apiserver-kubelet-client', 'kube-apiserver-kubelet-client'],
    ['scheduler', 'scheduler', 'system:kube-scheduler'],
    ['controllerManager', 'controller-manager', 'system:kube-controller-manager'],
  ] as const)('issues the %s client certificate (%s.crt) as %s in system:masters', (field, base, cn) => {
    const cert = new X509Certificate(pki[field].certPem);
    expect(cert.verify(new X509Certificate(pki.ca.certPem).publicKey)).toBe(true);
    expect(cert.subject.split('\n')).toEqual(['O=system:masters', `CN=${cn}`]);
    expect(cert.keyUsage).toContain('1.3.6.1.5.5.7.3.2');
    expect(readFileSync(join(dataDir, 'pki', `${base}.crt`), 'utf8')).toBe(pki[field].certPem);
    expect(statSync(join(dataDir, 'pki', `${base}.key`)).mode & 0o777).toBe(0o600);
  });

  it('reuses every file on a second call with the same options', () => {
    const again = ensureClusterPki(dataDir, options);
    expect(again.ca).toEqual(pki.ca);
    expect(again.apiServer).toEqual(pki.apiServer);
    expect(again.admin).toEqual(pki.admin);
    expect(again.apiServerKubeletClient).toEqual(pki.apiServerKubeletClient);
    expect(again.scheduler).toEqual(pki.scheduler);
    expect(again.controllerManager).toEqual(pki.controllerManager);
    expect(again.caCertHash).toBe(pki.caCertHash);
  });

  it('reissues only the serving certificate when the addresses change', () => {
    const other = tempDir();
    const first = ensureClusterPki(other, options);
    const changed = ensureClusterPki(other, { ...options, serverAddresses: ['10.0.0.5'] });
    expect(changed.ca).toEqual(first.ca);
    expect(changed.admin).toEqual(first.admin);
    expect(changed.apiServer.certPem).not.toBe(first.apiServer.certPem);
    const cert = new X509Certificate(changed.apiServer.certPem);
    expect(cert.checkHost('skiff.example')).toBeUndefined();
    expect(cert.checkIP('10.0.0.5')).toBe('10.0.0.5');
  });

  it('refuses to replace half a CA', () => {
    const other = tempDir();
    ensureClusterPki(other, options);
    rmSync(join(other, 'pki', 'ca.key'));
    expect(() => ensureClusterPki(other, options)).toThrow(/incomplete cluster CA/);
  });

  it('reissues a leaf whose file is corrupt', () => {
    const other = tempDir();
    const first = ensureClusterPki(other, options);
    writeFileSync(join(other, 'pki', 'admin.crt'), 'garbage');
    const again = ensureClusterPki(other, options);
    expect(again.admin.certPem).not.toBe(first.admin.certPem);
    expect(new X509Certificate(again.admin.certPem).subject).toContain('CN=kubernetes-admin');
  });

  it('lists de-duplicated SANs', () => {
    expect(apiServerSubjectAltNames({ serverAddresses: ['127.0.0.1', 'localhost'], serviceIP: '10.96.0.1' })).toEqual([
      '127.0.0.1',
      'localhost',
      'kubernetes',
      'kubernetes.default',
      'kubernetes.default.svc',
      'kubernetes.default.svc.cluster.local',
      '10.96.0.1',
    ]);
  });

  it('computes the CA hash over the SubjectPublicKeyInfo as kubeadm does', () => {
    const hash = caCertHash(pki.ca.certPem);
    expect(hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(pki.caCertHash).toBe(hash);
    let expected: string;
    if (hasOpenssl()) {
      const caFile = join(dataDir, 'pki', 'ca.crt');
      const out = execSync(`openssl x509 -pubkey -noout -in '${caFile}' | openssl pkey -pubin -outform der | sha256sum`, { encoding: 'utf8' });
      expected = `sha256:${out.split(' ')[0] ?? ''}`;
    } else {
      const spki = new X509Certificate(pki.ca.certPem).publicKey.export({ type: 'spki', format: 'der' });
      expected = `sha256:${createHash('sha256').update(spki).digest('hex')}`;
    }
    expect(hash).toBe(expected);
  });

  it.each([
    ['the exact hash', (h: string) => h, true],
    ['upper-case hex', (h: string) => `sha256:${h.slice(7).toUpperCase()}`, true],
    ['a different hash', () => `sha256:${'0'.repeat(64)}`, false],
    ['no algorithm prefix', (h: string) => h.slice(7), false],
    ['a truncated hash', (h: string) => h.slice(0, 40), false],
    ['an empty pin', () => '', false],
  ])('caCertHashMatches accepts %s: %s', (_name, pin, want) => {
    expect(caCertHashMatches(pki.ca.certPem, pin(pki.caCertHash))).toBe(want);
  });
});

describe('kubeconfigWithCerts', () => {
  it('renders a Config with base64 *-data fields and the context selected', () => {
    const text = kubeconfigWithCerts({ server: 'https://127.0.0.1:6443', caPem: 'CA', certPem: 'CERT', keyPem: 'KEY', user: 'kubernetes-admin' });
    const config = parse(text) as Record<string, unknown>;
    expect(config).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'skiff', cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': 'Q0E=' } }],
      users: [{ name: 'kubernetes-admin', user: { 'client-certificate-data': 'Q0VSVA==', 'client-key-data': 'S0VZ' } }],
      contexts: [{ name: 'kubernetes-admin@skiff', context: { cluster: 'skiff', user: 'kubernetes-admin' } }],
      'current-context': 'kubernetes-admin@skiff',
      preferences: {},
    });
  });
});
