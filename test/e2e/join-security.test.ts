// What a join must refuse, run as a user would: `skiff agent --server --token --ca-cert-hash` against a real
// `skiff server`. A forged token, an expired one and one whose Secret was deleted get a one-line
// `skiff: join refused: …` and exit 1 with nothing stored; a wrong CA hash stops before the token is sent
// (proven against a TLS server that records every byte it receives); no output ever shows a token secret.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RestClient } from '../../client/index.js';
import { bootstrapTokenSecret, caCertHash, generateBootstrapToken } from '../../pki/index.js';
import { TestNodes, createToken, runSkiff, startRecordingServer, type RecordingServer } from '../integration/join-support.js';
import { makeCa } from '../join/pki-fixtures.js';
import { secretsResource } from '../kubelet/support/agent-e2e.js';
import { startSkiffServer, type SkiffServer } from '../support/skiff-server.js';

describe('join security', () => {
  let server: SkiffServer;
  let admin: RestClient;
  let nodes: TestNodes;
  let pin: string;
  const secrets: string[] = [];
  const outputs: string[] = [];

  beforeAll(async () => {
    server = await startSkiffServer({ controlLoops: true });
    admin = RestClient.fromKubeconfig(server.kubeconfigPath);
    nodes = new TestNodes();
    pin = (await createToken(server.dataDir)).joinArgs[5] ?? '';
  }, 120_000);

  afterAll(async () => {
    await nodes?.cleanup();
    admin?.close();
    await server?.stop();
  }, 120_000);

  /** Runs a join with `token` (and `hash`) on a fresh node; answers its exit code and output. */
  async function joinWith(name: string, token: string, hash = pin, url = server.url): Promise<{ code: number | null; output: string; stored: boolean }> {
    secrets.push(token.split('.')[1] ?? token);
    const node = nodes.node(name);
    const agent = nodes.start(['--server', url, '--token', token, '--ca-cert-hash', hash, ...node.flags]);
    const timer = setTimeout(() => void agent.stop(), 90_000);
    const code = await agent.exited;
    clearTimeout(timer);
    outputs.push(agent.output());
    return { code, output: agent.output(), stored: existsSync(`${node.dataDir}/kubelet.kubeconfig`) };
  }

  const tokenRefused = /^skiff: join refused: the bootstrap token is invalid or expired \(401 Unauthorized[^\n]*\)$/m;

  it('refuses a forged token', async () => {
    const r = await joinWith('forged', generateBootstrapToken());
    expect(r.code).toBe(1);
    expect(r.output).toMatch(tokenRefused);
    expect(r.stored).toBe(false);
  }, 120_000);

  it('refuses an expired token', async () => {
    const token = generateBootstrapToken();
    await admin.create(secretsResource, bootstrapTokenSecret(token, 60, 'expired', new Date(Date.now() - 3_600_000)));
    const r = await joinWith('expired', token);
    expect(r.code).toBe(1);
    expect(r.output).toMatch(tokenRefused);
    expect(r.stored).toBe(false);
  }, 120_000);

  it('refuses a token reused after its Secret was deleted', async () => {
    const created = await createToken(server.dataDir, '10m');
    secrets.push(created.secret);
    const deleted = await runSkiff(['token', 'delete', '--data-dir', server.dataDir, created.token]);
    expect(deleted.code).toBe(0);
    outputs.push(deleted.stdout + deleted.stderr);
    const r = await joinWith('reused', created.token, created.joinArgs[5]);
    expect(r.code).toBe(1);
    expect(r.output).toMatch(tokenRefused);
    expect(r.stored).toBe(false);
  }, 120_000);

  it('refuses a wrong CA hash for the real server', async () => {
    const wrong = caCertHash(makeCa('not-the-cluster').certPem);
    const r = await joinWith('wrong-hash', generateBootstrapToken(), wrong);
    expect(r.code).toBe(1);
    expect(r.output).toMatch(new RegExp(`^skiff: join refused: the server's CA does not match --ca-cert-hash: expected ${wrong}, the server presented ${pin}$`, 'm'));
    expect(r.stored).toBe(false);
  }, 120_000);

  describe('against a server that records what it receives', () => {
    let recorder: RecordingServer;
    beforeAll(async () => {
      recorder = await startRecordingServer();
    });
    afterAll(async () => {
      await recorder?.close();
    });

    it('a wrong CA hash: the agent connects, reads the CA, and sends not one byte', async () => {
      recorder.reset();
      const r = await joinWith('recorded-wrong', generateBootstrapToken(), pin, recorder.url);
      expect(r.code).toBe(1);
      expect(r.output).toMatch(/^skiff: join refused: the server's CA does not match --ca-cert-hash/m);
      expect(recorder.connections()).toBeGreaterThanOrEqual(1);
      await recorder.drained();
      expect(recorder.received()).toBe('');
    }, 120_000);

    it('the right CA hash: the recorder sees the request and the token (so it would have seen them)', async () => {
      recorder.reset();
      const token = generateBootstrapToken();
      const r = await joinWith('recorded-right', token, caCertHash(recorder.caPem), recorder.url);
      expect(r.code).toBe(1);
      expect(r.output).toMatch(tokenRefused);
      expect(recorder.received().toLowerCase()).toContain(`authorization: bearer ${token}`);
    }, 120_000);
  });

  it('never shows a token secret in any agent, token command or server output', () => {
    expect(outputs.length).toBeGreaterThanOrEqual(6);
    for (const secret of secrets) {
      for (const text of [...outputs, server.output()]) expect(text).not.toContain(secret);
    }
  });
});
