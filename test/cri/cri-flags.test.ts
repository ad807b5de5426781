import { describe, expect, it } from 'vitest';
import { parseFlags } from '../../agent/cmd/cri.js';

describe('skiff cri flags', () => {
  it('defaults to /run/skiff/cri.sock, the local Docker socket and a free streaming port', () => {
    expect(parseFlags([])).toEqual({ socket: '/run/skiff/cri.sock', dockerSocket: '/var/run/docker.sock', streamingPort: 0, pauseImage: undefined, logLevel: 'info', adoptSelector: {} });
  });

  it.each([
    [['--socket', '/tmp/a.sock'], { socket: '/tmp/a.sock' }],
    [['--socket=/tmp/b.sock'], { socket: '/tmp/b.sock' }],
    [['--docker-socket', '/run/n1/docker.sock'], { dockerSocket: '/run/n1/docker.sock' }],
    [['--streaming-port', '10010'], { streamingPort: 10010 }],
    [['--log-level=debug', '--pause-image', 'p:v2'], { logLevel: 'debug', pauseImage: 'p:v2' }],
    [['--adopt-selector', 'a=b', '--adopt-selector=c=d=e'], { adoptSelector: { a: 'b', c: 'd=e' } }],
  ])('%j', (argv, want) => {
    expect(parseFlags(argv)).toMatchObject(want);
  });

  it.each([[['--streaming-port', 'x']], [['--streaming-port', '70000']], [['--socket']], [['--nope']], [['--adopt-selector', 'novalue']]])('rejects %j', (argv) => {
    expect(() => parseFlags(argv)).toThrow();
  });

  it('answers help', () => {
    expect(parseFlags(['--help'])).toBe('help');
  });
});
