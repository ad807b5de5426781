// The real kubectl v1.33 against a real `skiff server` (dist/ must be built) for the RBAC and
// certificates.k8s.io kinds: `kubectl get clusterroles`, `kubectl create clusterrolebinding`, `kubectl get
// csr` and `kubectl certificate approve|deny` (which GETs the CSR and PUTs .../approval). Everything goes
// through the admin kubeconfig the server writes. Each test builds on the objects the earlier ones made.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCsr, generateRsaKeyPair } from '../../pki/index.js';
import { kubectlFor, type Kubectl } from '../support/kubectl.js';
import { startSkiffServer, type SkiffServer } from '../support/skiff-server.js';

let server: SkiffServer;
let kubectl: Kubectl;

beforeAll(async () => {
  server = await startSkiffServer();
  kubectl = kubectlFor(server.kubeconfigPath);
}, 120_000);

afterAll(async () => {
  await kubectl?.cleanup();
  await server?.stop();
});

/** Splits `kubectl get` output into rows of cells (columns are separated by two or more spaces). */
function rows(text: string): string[][] {
  return text.trim().split('\n').map((line) => line.trim().split(/\s{2,}/));
}

function csrManifest(name: string): string {
  const key = generateRsaKeyPair();
  const request = createCsr(key.privateKeyPem, { commonName: 'bob', organizations: ['devs'] });
  // The client claims to be someone else: the server must record who really asked.
  return `apiVersion: certificates.k8s.io/v1
kind: CertificateSigningRequest
metadata: {name: ${name}}
spec:
  request: ${Buffer.from(request).toString('base64')}
  signerName: kubernetes.io/kube-apiserver-client
  expirationSeconds: 86400
  usages: [client auth]
  username: mallory
  groups: [system:masters-impostors]
`;
}

describe('kubectl with RBAC objects', () => {
  it('lists the bootstrap cluster roles with their creation time', async () => {
    const table = rows(await kubectl.ok(['get', 'clusterroles']));
    expect(table[0]).toEqual(['NAME', 'CREATED AT']);
    const admin = table.find((r) => r[0] === 'cluster-admin');
    expect(admin?.[1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('creates a cluster role and a binding to it for a user', async () => {
    expect(await kubectl.ok(['create', 'clusterrole', 'pod-viewer', '--verb=get,list,watch', '--resource=pods'])).toContain(
      'clusterrole.rbac.authorization.k8s.io/pod-viewer created',
    );
    expect(await kubectl.ok(['create', 'clusterrolebinding', 'x', '--clusterrole=view', '--user=bob'])).toContain(
      'clusterrolebinding.rbac.authorization.k8s.io/x created',
    );
    const table = rows(await kubectl.ok(['get', 'clusterrolebinding', 'x', '-o', 'wide']));
    expect(table[0]).toEqual(['NAME', 'ROLE', 'AGE', 'USERS', 'GROUPS', 'SERVICEACCOUNTS']);
    expect(table[1]?.slice(0, 2)).toEqual(['x', 'ClusterRole/view']);
    expect(table[1]?.[3]).toBe('bob');
    expect(await kubectl.ok(['get', 'clusterrolebinding', 'x', '-o', 'jsonpath={.subjects[0].apiGroup}'])).toBe('rbac.authorization.k8s.io');
  });

  it('refuses to point a binding at another role', async () => {
    const res = await kubectl.run(['patch', 'clusterrolebinding', 'x', '--type=merge', '-p', '{"roleRef":{"name":"edit"}}']);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('The ClusterRoleBinding "x" is invalid: roleRef: Invalid value');
    expect(res.stderr).toContain('cannot change roleRef');
  });

  it('creates a role and a role binding in a namespace', async () => {
    await kubectl.ok(['create', 'role', 'cm-reader', '-n', 'default', '--verb=get', '--resource=configmaps']);
    await kubectl.ok(['create', 'rolebinding', 'cm-readers', '-n', 'default', '--role=cm-reader', '--serviceaccount=default:default']);
    const table = rows(await kubectl.ok(['get', 'rolebindings', '-n', 'default', '-o', 'wide']));
    const row = table.find((r) => r[0] === 'cm-readers');
    expect(row?.[1]).toBe('Role/cm-reader');
    expect(row?.[row.length - 1]).toBe('default/default');
  });
});

describe('kubectl with CertificateSigningRequests', () => {
  it('records the real requester and shows the request as Pending', async () => {
    await kubectl.ok(['apply', '-f', '-'], { input: csrManifest('bob') });
    const username = await kubectl.ok(['get', 'csr', 'bob', '-o', 'jsonpath={.spec.username}']);
    expect(username).not.toBe('mallory');
    expect(username).not.toBe('');
    const groups = await kubectl.ok(['get', 'csr', 'bob', '-o', 'jsonpath={.spec.groups}']);
    expect(JSON.parse(groups)).toEqual(expect.arrayContaining(['system:masters', 'system:authenticated']));
    expect(JSON.parse(groups)).not.toContain('system:masters-impostors');
    const table = rows(await kubectl.ok(['get', 'csr']));
    expect(table[0]).toEqual(['NAME', 'AGE', 'SIGNERNAME', 'REQUESTOR', 'REQUESTEDDURATION', 'CONDITION']);
    const row = table.find((r) => r[0] === 'bob');
    expect(row?.slice(2)).toEqual(['kubernetes.io/kube-apiserver-client', username, '24h', 'Pending']);
  });

  it('approves with kubectl certificate approve', async () => {
    expect(await kubectl.ok(['certificate', 'approve', 'bob'])).toContain('certificatesigningrequest.certificates.k8s.io/bob approved');
    const condition = JSON.parse(await kubectl.ok(['get', 'csr', 'bob', '-o', 'jsonpath={.status.conditions[0]}']));
    expect(condition).toMatchObject({ type: 'Approved', status: 'True', reason: 'KubectlApprove' });
    expect(condition.lastTransitionTime).toMatch(/Z$/);
    const row = rows(await kubectl.ok(['get', 'csr', 'bob'])).find((r) => r[0] === 'bob');
    expect(row?.[row.length - 1]).toBe('Approved');
  });

  it('refuses to deny an approved request', async () => {
    const res = await kubectl.run(['certificate', 'deny', 'bob']);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('is already Approved');
  });

  it('denies another request with kubectl certificate deny', async () => {
    await kubectl.ok(['apply', '-f', '-'], { input: csrManifest('eve') });
    expect(await kubectl.ok(['certificate', 'deny', 'eve'])).toContain('certificatesigningrequest.certificates.k8s.io/eve denied');
    const row = rows(await kubectl.ok(['get', 'csr', 'eve'])).find((r) => r[0] === 'eve');
    expect(row?.[row.length - 1]).toBe('Denied');
  });
});
