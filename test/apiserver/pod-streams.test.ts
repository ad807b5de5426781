// Pure logic of pod streams: which container a request means (upstream's defaulting and its messages),
// where a node's kubelet is, how the kubelet's errors become Status, and which paths are pod streams.
import { describe, expect, it } from 'vitest';
import type { Node, Pod } from '../../api/index.js';
import { kubeletEndpointOf, kubeletError, kubeletLogPath, parseStreamPath, resolveContainer } from '../../control-plane/apiserver/pod-streams/index.js';
import { parsePortForwardRequest, parseStreamRequest } from '../../agent/kubelet/server/exec-endpoint.js';

function pod(containers: string[], inits: string[] = []): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' },
    spec: { containers: containers.map((name) => ({ name, image: 'x' })), ...(inits.length ? { initContainers: inits.map((name) => ({ name, image: 'x' })) } : {}) },
  };
}

describe('resolveContainer', () => {
  const cases: { what: string; containers: string[]; inits?: string[]; asked?: string; want?: string; error?: string }[] = [
    { what: 'defaults to the only container', containers: ['app'], want: 'app' },
    { what: 'takes a named container', containers: ['a', 'b'], asked: 'b', want: 'b' },
    { what: 'takes a named init container', containers: ['a'], inits: ['setup'], asked: 'setup', want: 'setup' },
    { what: 'asks to choose among several', containers: ['a', 'b'], error: 'a container name must be specified for pod web, choose one of: [a b]' },
    { what: 'lists init containers too', containers: ['a', 'b'], inits: ['i'], error: 'a container name must be specified for pod web, choose one of: [a b] or one of the init containers: [i]' },
    { what: 'refuses an unknown container', containers: ['a'], asked: 'nope', error: 'container nope is not valid for pod web' },
    { what: 'refuses a pod without containers', containers: [], error: 'a container name must be specified for pod web' },
  ];
  for (const c of cases) {
    it(c.what, () => {
      const run = (): string => resolveContainer(pod(c.containers, c.inits), c.asked);
      if (c.error) {
        expect(run).toThrow(c.error);
        try {
          run();
        } catch (err) {
          expect((err as { code: number }).code).toBe(400);
          expect((err as Error).message).toBe(c.error);
        }
      } else expect(run()).toBe(c.want);
    });
  }
});

describe('kubeletError', () => {
  const cases: { what: string; code: number; body: string; status: number; reason: string; message: string }[] = [
    { what: 'a 404 plain text is NotFound with the kubelet\'s message', code: 404, body: 'pod "web" not found on this node', status: 404, reason: 'NotFound', message: 'pod "web" not found on this node' },
    { what: 'a 400 plain text is BadRequest', code: 400, body: 'container x is not valid for pod web\n', status: 400, reason: 'BadRequest', message: 'container x is not valid for pod web' },
    { what: 'a Status body gives its message', code: 400, body: JSON.stringify({ kind: 'Status', message: 'from status' }), status: 400, reason: 'BadRequest', message: 'from status' },
    { what: 'a 5xx stays a server error', code: 503, body: 'busy', status: 503, reason: 'InternalError', message: 'busy' },
    { what: 'an empty body still says what happened', code: 500, body: '', status: 500, reason: 'InternalError', message: 'the kubelet answered HTTP 500' },
  ];
  for (const c of cases) {
    it(c.what, () => {
      const status = kubeletError(c.code, c.body, 'web').toStatus();
      expect(status).toMatchObject({ kind: 'Status', code: c.status, reason: c.reason, message: c.message });
    });
  }
});

describe('kubeletEndpointOf', () => {
  const node = (addresses: { type: 'InternalIP' | 'Hostname'; address: string }[], port?: number): Node => ({
    apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' },
    status: { addresses, ...(port ? { daemonEndpoints: { kubeletEndpoint: { Port: port } } } : {}) },
  });
  it('prefers the InternalIP and takes the advertised port', () => {
    expect(kubeletEndpointOf(node([{ type: 'Hostname', address: 'h' }, { type: 'InternalIP', address: '10.0.0.5' }], 10250))).toEqual({ host: '10.0.0.5', port: 10250 });
  });
  it('refuses a node without address or port', () => {
    expect(() => kubeletEndpointOf(node([], 10250))).toThrow('node n1 has no address');
    expect(() => kubeletEndpointOf(node([{ type: 'InternalIP', address: '10.0.0.5' }]))).toThrow('node n1 does not report a kubelet endpoint port');
  });
});

describe('stream paths', () => {
  it('recognizes exec, attach and portforward of a pod, and nothing else', () => {
    expect(parseStreamPath('/api/v1/namespaces/ns/pods/web/exec?command=ls')).toEqual({ namespace: 'ns', pod: 'web', kind: 'exec' });
    expect(parseStreamPath('/api/v1/namespaces/ns/pods/web/attach')).toEqual({ namespace: 'ns', pod: 'web', kind: 'attach' });
    expect(parseStreamPath('/api/v1/namespaces/ns/pods/web/portforward?ports=80')).toEqual({ namespace: 'ns', pod: 'web', kind: 'portforward' });
    expect(parseStreamPath('/api/v1/namespaces/ns/pods/web/log')).toBeUndefined();
    expect(parseStreamPath('/api/v1/namespaces/ns/services/web/exec')).toBeUndefined();
    expect(parseStreamPath('/apis/apps/v1/namespaces/ns/pods/web/exec')).toBeUndefined();
  });

  it('passes only the log options on to the kubelet', () => {
    const q = new URLSearchParams('container=app&follow=true&tailLines=5&timestamps=true&pretty=true&limitBytes=10');
    expect(kubeletLogPath('ns', 'web', 'app', q)).toBe('/containerLogs/ns/web/app?follow=true&tailLines=5&timestamps=true&limitBytes=10');
    expect(kubeletLogPath('ns', 'web', 'app', new URLSearchParams())).toBe('/containerLogs/ns/web/app');
  });
});

describe('kubelet exec/attach requests', () => {
  it('reads the command and stream flags in kubectl\'s and upstream kubelet\'s spellings', () => {
    expect(parseStreamRequest('/exec/ns/web/app', new URLSearchParams('command=sh&command=-c&command=echo%20hi&stdin=true&stdout=true&stderr=true'))).toEqual({
      kind: 'exec', namespace: 'ns', pod: 'web', container: 'app', command: ['sh', '-c', 'echo hi'], stdin: true, stdout: true, stderr: true, tty: false,
    });
    expect(parseStreamRequest('/attach/ns/web/uid-1/app', new URLSearchParams('input=1&output=1&tty=1'))).toMatchObject({
      kind: 'attach', container: 'app', stdin: true, stdout: true, stderr: false, tty: true,
    });
  });
  it('drops stderr with a tty, as upstream', () => {
    expect(parseStreamRequest('/exec/ns/web/app', new URLSearchParams('command=sh&stdout=1&stderr=1&tty=1'))?.stderr).toBe(false);
  });
  it('refuses an exec without a command or without any stream', () => {
    expect(() => parseStreamRequest('/exec/ns/web/app', new URLSearchParams('stdout=1'))).toThrow('you must specify at least 1 command');
    expect(() => parseStreamRequest('/exec/ns/web/app', new URLSearchParams('command=ls'))).toThrow('you must specify at least one of stdin, stdout, stderr');
  });
  it('reads port-forward paths and their ports', () => {
    expect(parsePortForwardRequest('/portForward/ns/web', new URLSearchParams('port=80&port=443,8080'))).toEqual({ kind: 'portForward', namespace: 'ns', pod: 'web', ports: [80, 443, 8080] });
    expect(parsePortForwardRequest('/portForward/ns/web/uid-1', new URLSearchParams())).toMatchObject({ pod: 'web', ports: [] });
    expect(() => parsePortForwardRequest('/portForward/ns/web', new URLSearchParams('port=http'))).toThrow('invalid port "http"');
    expect(parsePortForwardRequest('/exec/ns/web/app', new URLSearchParams())).toBeUndefined();
  });
  it('ignores other paths', () => {
    expect(parseStreamRequest('/containerLogs/ns/web/app', new URLSearchParams())).toBeUndefined();
    expect(parseStreamRequest('/exec/ns/web', new URLSearchParams('command=ls&stdout=1'))).toBeUndefined();
  });
});
