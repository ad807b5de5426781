import { describe, expect, it } from 'vitest';
import { exitStatusPayload, frame, negotiateStreamProtocol, parsePorts, parseResize, portPreamble } from '../../agent/cri/ws-channel.js';

describe('the WebSocket channel protocol', () => {
  it.each([
    [['v4.channel.k8s.io', 'v5.channel.k8s.io'], 'v5.channel.k8s.io'],
    [['v4.channel.k8s.io', 'channel.k8s.io'], 'v4.channel.k8s.io'],
    [['channel.k8s.io'], 'channel.k8s.io'],
    [['SPDY/3.1+portforward.k8s.io', 'base64.channel.k8s.io'], undefined],
  ])('negotiates %j → %s', (offered, want) => {
    expect(negotiateStreamProtocol(offered)).toBe(want);
  });

  it('prefixes a channel byte', () => {
    expect([...frame(2, 'ab')]).toEqual([2, 0x61, 0x62]);
  });

  it('reports exit codes as a metav1.Status in v4 and v5, as text before', () => {
    expect(JSON.parse(exitStatusPayload('v5.channel.k8s.io', 0, ['true']))).toEqual({ metadata: {}, status: 'Success' });
    const failure = JSON.parse(exitStatusPayload('v4.channel.k8s.io', 3, ['sh'])) as Record<string, unknown>;
    expect(failure).toMatchObject({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '3' }] } });
    expect(exitStatusPayload('channel.k8s.io', 0, [])).toBe('');
    expect(exitStatusPayload('v2.channel.k8s.io', 1, ['x'])).toContain('exit code 1');
  });

  it.each([
    ['{"Width":80,"Height":24}', { width: 80, height: 24 }],
    ['{"Width":"80"}', undefined],
    ['not json', undefined],
  ])('parses resize %s', (body, want) => {
    expect(parseResize(Buffer.from(body))).toEqual(want);
  });

  it('reads port-forward ports, repeated or comma-separated, and rejects bad ones', () => {
    expect(parsePorts(['80', '8080,9090'])).toEqual([80, 8080, 9090]);
    expect(() => parsePorts(['0'])).toThrow();
    expect(() => parsePorts(['http'])).toThrow();
    expect([...portPreamble(8080)]).toEqual([0x90, 0x1f]);
  });
});
