import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAgentFlags, type AgentFlags } from '../../agent/cmd/agent.js';

const hash = `sha256:${'a'.repeat(64)}`;
const dir = mkdtempSync(join(tmpdir(), 'skiff-join-flags-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('skiff agent join flags', () => {
  it('joins with --server, --token and --ca-cert-hash instead of --kubeconfig', () => {
    const f = parseAgentFlags(['--server', 'https://10.0.0.1:6443', '--token', 'abcdef.0123456789abcdef', '--ca-cert-hash', hash]) as AgentFlags;
    expect(f.kubeconfig).toBe('');
    expect(f.join).toEqual({ server: 'https://10.0.0.1:6443', token: 'abcdef.0123456789abcdef', caCertHash: hash });
  });

  it('accepts --server alone (a restart on an earlier join)', () => {
    expect((parseAgentFlags(['--server=https://10.0.0.1:6443']) as AgentFlags).join).toEqual({ server: 'https://10.0.0.1:6443', token: undefined, caCertHash: undefined });
  });

  it('reads the token from --token-file, trimmed, without echoing it on failure', () => {
    const file = join(dir, 'token');
    writeFileSync(file, 'abcdef.0123456789abcdef\n', { mode: 0o600 });
    expect((parseAgentFlags(['--server', 'https://h:1', '--token-file', file]) as AgentFlags).join?.token).toBe('abcdef.0123456789abcdef');
    expect(() => parseAgentFlags(['--server', 'https://h:1', '--token-file', join(dir, 'missing')])).toThrow(/--token-file .*missing: ENOENT/);
  });

  const refused: Array<[string, string[], RegExp]> = [
    ['--kubeconfig together with --server', ['--kubeconfig', '/k', '--server', 'https://h:1'], /alternatives/],
    ['--kubeconfig together with --token', ['--kubeconfig', '/k', '--token', 't'], /alternatives/],
    ['--token without --server', ['--token', 't', '--ca-cert-hash', hash], /need --server/],
    ['neither', [], /--kubeconfig is required/],
  ];
  it.each(refused)('refuses %s', (_name, argv, message) => {
    expect(() => parseAgentFlags(argv)).toThrow(message);
  });
});
