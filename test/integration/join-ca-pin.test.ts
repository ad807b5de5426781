// A wrong --ca-cert-hash stops the join before the token leaves the node (the library, without a build:
// e2e/join-security.test.ts runs the same through the `skiff agent` command). The "API server" records
// every byte it receives: with the right hash it sees the CSR request and its bearer token (so it would
// have seen them); with a wrong one it sees the connection discovery made and nothing else.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureNodeCredentials } from '../../agent/join/index.js';
import { caCertHash } from '../../pki/index.js';
import { makeCa } from '../join/pki-fixtures.js';
import { startRecordingServer, type RecordingServer } from './join-support.js';

const token = 'abcdef.0123456789abcdef';

describe('joining a server whose CA does not match --ca-cert-hash', () => {
  let recorder: RecordingServer;
  let dir: string;

  beforeAll(async () => {
    recorder = await startRecordingServer();
  });
  afterAll(async () => {
    await recorder?.close();
  });
  beforeEach(() => {
    recorder.reset();
    dir = mkdtempSync(join(tmpdir(), 'skiff-join-pin-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const joinWith = (pin: string) =>
    ensureNodeCredentials({ server: recorder.url, token, caCertHash: pin, nodeName: 'n1', dataDir: dir, logger: pino({ level: 'silent' }), timeoutMs: 10_000 });

  it('sends nothing at all after the handshake', async () => {
    const wrong = caCertHash(makeCa('someone-else').certPem);
    await expect(joinWith(wrong)).rejects.toThrow(
      new RegExp(`^join refused: the server's CA does not match --ca-cert-hash: expected ${wrong}, the server presented ${caCertHash(recorder.caPem)}$`),
    );
    expect(recorder.connections()).toBeGreaterThanOrEqual(1);
    await recorder.drained();
    expect(recorder.received()).toBe('');
  });

  it('sends the CSR with the token to the pinned server (the recorder would have seen it)', async () => {
    await expect(joinWith(caCertHash(recorder.caPem))).rejects.toThrow(/^join refused: the bootstrap token is invalid or expired \(401 Unauthorized\)$/);
    expect(recorder.received()).toMatch(/^POST \/apis\/certificates\.k8s\.io\/v1\/certificatesigningrequests /);
    expect(recorder.received().toLowerCase()).toContain(`authorization: bearer ${token}`);
  });
});
