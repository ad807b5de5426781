// kubectl's generator commands (`kubectl create configmap|namespace|deployment|service|secret|job|
// serviceaccount`) go through client-go's typed clients, which send `application/vnd.kubernetes.protobuf`
// bodies rather than JSON. The real kubectl v1.33 against a real `skiff server` (dist/ must be built).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlFor, type Kubectl } from '../support/kubectl.js';
import { startSkiffServer, type SkiffServer } from '../support/skiff-server.js';

let server: SkiffServer;
let kubectl: Kubectl;

beforeAll(async () => {
  server = await startSkiffServer();
  kubectl = kubectlFor(server.kubeconfigPath);
});

afterAll(async () => {
  await kubectl?.cleanup();
  await server?.stop();
});

async function jsonpath(args: string[], path: string): Promise<string> {
  return kubectl.ok(['get', ...args, '-o', `jsonpath=${path}`]);
}

describe('kubectl generator commands (protobuf request bodies)', () => {
  it('creates a namespace and a config map in it', async () => {
    expect(await kubectl.ok(['create', 'namespace', 'typed'])).toContain('namespace/typed created');
    expect(await kubectl.ok(['create', 'configmap', 'cm', '-n', 'typed', '--from-literal=a=1', '--from-literal=empty='])).toContain(
      'configmap/cm created',
    );
    expect(await jsonpath(['configmap', 'cm', '-n', 'typed'], '{.data}')).toBe('{"a":"1","empty":""}');
  });

  it('creates a secret with base64 data', async () => {
    await kubectl.ok(['create', 'secret', 'generic', 'creds', '--from-literal=user=admin']);
    expect(await jsonpath(['secret', 'creds'], '{.data.user}')).toBe('YWRtaW4=');
  });

  it('creates a deployment with its pod template, keeping replicas: 0', async () => {
    await kubectl.ok(['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=3', '--port=80']);
    expect(await jsonpath(['deployment', 'web'], '{.spec.replicas} {.spec.selector.matchLabels.app} {.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].ports[0].containerPort}')).toBe(
      '3 web nginx:1.27 80',
    );
    await kubectl.ok(['create', 'deployment', 'idle', '--image=busybox', '--replicas=0']);
    expect(await jsonpath(['deployment', 'idle'], '{.spec.replicas}')).toBe('0');
  });

  it('creates services with int-or-string target ports', async () => {
    await kubectl.ok(['create', 'service', 'clusterip', 'svc', '--tcp=80:8080']);
    expect(await jsonpath(['service', 'svc'], '{.spec.type} {.spec.ports[0].port} {.spec.ports[0].targetPort}')).toBe('ClusterIP 80 8080');
    await kubectl.ok(['create', 'service', 'nodeport', 'np', '--tcp=81:http']);
    expect(await jsonpath(['service', 'np'], '{.spec.type} {.spec.ports[0].targetPort}')).toBe('NodePort http');
  });

  it('creates a job with a command and a service account', async () => {
    await kubectl.ok(['create', 'job', 'once', '--image=busybox', '--', 'echo', 'hi']);
    expect(await jsonpath(['job', 'once'], '{.spec.template.spec.restartPolicy} {.spec.template.spec.containers[0].command}')).toBe(
      'Never ["echo","hi"]',
    );
    expect(await kubectl.ok(['create', 'serviceaccount', 'robot'])).toContain('serviceaccount/robot created');
  });
});
