// The real kubectl v1.33, unchanged, against a real `skiff server` (dist/ must be built:
// `npx tsc -p tsconfig.build.json`). Each test builds on the objects the earlier ones made, in order.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlFor, type Kubectl } from '../support/kubectl.js';
import { startSkiffServer, type SkiffServer } from '../support/skiff-server.js';

const podManifest = `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: [sleep, "3600"]
    ports: [{containerPort: 80}]
`;

const deploymentManifest = `apiVersion: apps/v1
kind: Deployment
metadata: {name: frontend}
spec:
  replicas: 2
  selector: {matchLabels: {app: frontend}}
  template:
    metadata: {labels: {app: frontend}}
    spec:
      containers: [{name: web, image: "nginx:1.27"}]
`;

const serviceManifest = `apiVersion: v1
kind: Service
metadata: {name: frontend}
spec:
  selector: {app: frontend}
  ports: [{port: 80, targetPort: 8080}]
`;

const configMapManifest = `apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {mode: "fast"}
`;

function appliedConfigMap(value: string): string {
  return `apiVersion: v1
kind: ConfigMap
metadata: {name: applied}
data: {key: "${value}"}
`;
}

let server: SkiffServer;
let kubectl: Kubectl;
let dir: string;

function manifest(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'skiff-kubectl-e2e-'));
  server = await startSkiffServer();
  kubectl = kubectlFor(server.kubeconfigPath);
});

afterAll(async () => {
  await kubectl?.cleanup();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('kubectl against skiff server', () => {
  it('reports the server version as Kubernetes 1.33', async () => {
    const out = await kubectl.ok(['version']);
    expect(out).toMatch(/Server Version: v1\.33\.\d+/);
  });

  it('lists the served resources with api-resources and api-versions', async () => {
    const resources = await kubectl.ok(['api-resources']);
    expect(resources).toMatch(/^pods\s+po\s+v1\s+true\s+Pod$/m);
    expect(resources).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    expect(resources).toMatch(/^nodes\s+no\s+v1\s+false\s+Node$/m);
    const versions = (await kubectl.ok(['api-versions'])).split('\n');
    expect(versions).toEqual(expect.arrayContaining(['v1', 'apps/v1', 'batch/v1', 'coordination.k8s.io/v1']));
  });

  it('creates a pod, a deployment, a service and a config map from files', async () => {
    for (const [file, text, expected] of [
      ['pod.yaml', podManifest, 'pod/web created'],
      ['deployment.yaml', deploymentManifest, 'deployment.apps/frontend created'],
      ['service.yaml', serviceManifest, 'service/frontend created'],
      ['configmap.yaml', configMapManifest, 'configmap/settings created'],
    ] as const) {
      expect(await kubectl.ok(['create', '-f', manifest(file, text)])).toContain(expected);
    }
  });

  it('prints the server-side table for get, and the wide columns with -o wide', async () => {
    const pods = await kubectl.ok(['get', 'pods']);
    expect(pods).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s*$/m);
    expect(pods).toMatch(/^web\s+0\/1\s+\S+\s+0\s+\d+s\s*$/m);
    const wide = await kubectl.ok(['get', 'pods', '-o', 'wide']);
    expect(wide).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES\s*$/m);
    const deployments = await kubectl.ok(['get', 'deployments']);
    expect(deployments).toMatch(/^frontend\s+0\/2\s+\d+\s+\d+\s+\d+s\s*$/m);
    const services = await kubectl.ok(['get', 'svc', 'frontend']);
    expect(services).toMatch(/^frontend\s+ClusterIP\s+\d+\.\d+\.\d+\.\d+\s+<none>\s+80\/TCP\s+\d+s\s*$/m);
    const configMaps = await kubectl.ok(['get', 'configmap', 'settings']);
    expect(configMaps).toMatch(/^settings\s+1\s+\d+s\s*$/m);
  });

  it('prints objects as yaml, jsonpath and names', async () => {
    const pod = parse(await kubectl.ok(['get', 'pod', 'web', '-o', 'yaml'])) as { kind: string; metadata: { name: string; uid: string } };
    expect(pod.kind).toBe('Pod');
    expect(pod.metadata.name).toBe('web');
    expect(pod.metadata.uid).toBeTruthy();
    expect(await kubectl.ok(['get', 'pod', 'web', '-o', 'jsonpath={.spec.containers[0].image}'])).toBe('busybox:1.36');
    const names = (await kubectl.ok(['get', 'pods,deployments', '-o', 'name'])).trim().split('\n');
    expect(names).toEqual(expect.arrayContaining(['pod/web', 'deployment.apps/frontend']));
  });

  it('adds a NAMESPACE column across all namespaces with -A', async () => {
    const out = await kubectl.ok(['get', 'services', '-A']);
    expect(out).toMatch(/^NAMESPACE\s+NAME\s+TYPE\s+CLUSTER-IP/m);
    expect(out).toMatch(/^default\s+frontend\s+ClusterIP/m);
    const namespaces = await kubectl.ok(['get', 'namespaces']);
    expect(namespaces).toMatch(/^default\s+Active\s+\S+\s*$/m);
  });

  it('applies a manifest: created, then unchanged, then configured after an edit', async () => {
    const file = manifest('applied.yaml', appliedConfigMap('one'));
    expect(await kubectl.ok(['apply', '-f', file])).toContain('configmap/applied created');
    expect(await kubectl.ok(['apply', '-f', file])).toContain('configmap/applied unchanged');
    writeFileSync(file, appliedConfigMap('two'));
    expect(await kubectl.ok(['apply', '-f', file])).toContain('configmap/applied configured');
    expect(await kubectl.ok(['get', 'configmap', 'applied', '-o', 'jsonpath={.data.key}'])).toBe('two');
  });

  it('applies an edited deployment with strategic merge metadata from OpenAPI v3', async () => {
    const twoContainers = `apiVersion: apps/v1
kind: Deployment
metadata: {name: merged}
spec:
  replicas: 1
  selector: {matchLabels: {app: merged}}
  template:
    metadata: {labels: {app: merged}}
    spec:
      containers:
      - {name: web, image: "nginx:1.27", ports: [{containerPort: 80}]}
      - {name: helper, image: busybox}
      volumes: [{name: data, emptyDir: {}}]
`;
    const file = manifest('merged.yaml', twoContainers);
    await kubectl.ok(['apply', '-f', file]);
    // Drop a container, change an image and switch a volume's source: the patch kubectl computes needs
    // the merge keys (containers by name) and retainKeys (volumes) from the OpenAPI v3 document.
    writeFileSync(file, twoContainers.replace('nginx:1.27', 'nginx:1.28').replace(/ {6}- \{name: helper.*\n/, '').replace('emptyDir: {}', 'configMap: {name: settings}'));
    expect(await kubectl.ok(['apply', '-f', file])).toContain('deployment.apps/merged configured');
    const spec = JSON.parse(await kubectl.ok(['get', 'deployment', 'merged', '-o', 'jsonpath={.spec.template.spec}'])) as {
      containers: Array<{ name: string; image: string }>;
      volumes: Array<Record<string, unknown>>;
    };
    expect(spec.containers.map((c) => `${c.name}=${c.image}`)).toEqual(['web=nginx:1.28']);
    // retainKeys dropped emptyDir; defaultMode 420 (0644) is upstream's default for configMap volumes.
    expect(spec.volumes).toEqual([{ name: 'data', configMap: { name: 'settings', defaultMode: 420 } }]);
    await kubectl.ok(['delete', 'deployment', 'merged']);
  });

  it('explains fields from the OpenAPI v3 schema', async () => {
    const out = await kubectl.ok(['explain', 'deployment.spec.strategy']);
    expect(out).toMatch(/^GROUP:\s+apps$/m);
    expect(out).toMatch(/^FIELD: strategy <DeploymentStrategy>$/m);
    expect(out).toMatch(/^\s+rollingUpdate\s+<RollingUpdateDeployment>$/m);
  });

  it('labels and annotates a pod', async () => {
    expect(await kubectl.ok(['label', 'pod', 'web', 'tier=front'])).toContain('pod/web labeled');
    expect(await kubectl.ok(['annotate', 'pod', 'web', 'owner=team-a'])).toContain('pod/web annotated');
    expect(await kubectl.ok(['get', 'pods', '-l', 'tier=front', '-o', 'name'])).toBe('pod/web\n');
    expect(await kubectl.ok(['get', 'pod', 'web', '-o', 'jsonpath={.metadata.annotations.owner}'])).toBe('team-a');
    // Label columns come from the row objects (PartialObjectMetadata) of the server-side table.
    expect(await kubectl.ok(['get', 'pods', '-L', 'tier'])).toMatch(/^web\s+.*\s+front\s*$/m);
    expect(await kubectl.ok(['get', 'pods', '--show-labels'])).toMatch(/^web\s+.*app=web,tier=front\s*$/m);
  });

  it('patches with merge, JSON and strategic merge patches', async () => {
    await kubectl.ok(['patch', 'pod', 'web', '--type', 'merge', '-p', '{"metadata":{"labels":{"merged":"yes"}}}']);
    await kubectl.ok(['patch', 'pod', 'web', '--type', 'json', '-p', '[{"op":"add","path":"/metadata/labels/jsonpatched","value":"yes"}]']);
    // Strategic merge: the container list merges by name, so the port survives an image-only patch.
    await kubectl.ok(['patch', 'pod', 'web', '-p', '{"spec":{"containers":[{"name":"app","image":"busybox:1.37"}]}}']);
    const labels = JSON.parse(await kubectl.ok(['get', 'pod', 'web', '-o', 'jsonpath={.metadata.labels}'])) as Record<string, string>;
    expect(labels).toMatchObject({ app: 'web', tier: 'front', merged: 'yes', jsonpatched: 'yes' });
    expect(await kubectl.ok(['get', 'pod', 'web', '-o', 'jsonpath={.spec.containers[0].image} {.spec.containers[0].ports[0].containerPort}'])).toBe('busybox:1.37 80');
  });

  it('scales a deployment through its scale subresource', async () => {
    expect(await kubectl.ok(['scale', 'deployment', 'frontend', '--replicas=3'])).toContain('deployment.apps/frontend scaled');
    expect(await kubectl.ok(['get', 'deployment', 'frontend', '-o', 'jsonpath={.spec.replicas}'])).toBe('3');
  });

  it('describes a pod and a deployment', async () => {
    const pod = await kubectl.ok(['describe', 'pod', 'web']);
    expect(pod).toMatch(/^Name:\s+web$/m);
    expect(pod).toMatch(/^Namespace:\s+default$/m);
    expect(pod).toMatch(/Image:\s+busybox:1\.37/);
    const deployment = await kubectl.ok(['describe', 'deployment', 'frontend']);
    expect(deployment).toMatch(/^Name:\s+frontend$/m);
    expect(deployment).toMatch(/^Replicas:\s+3 desired/m);
    expect(deployment).toMatch(/^Selector:\s+app=frontend$/m);
  });

  it('streams a later change with get -w', async () => {
    const watch = kubectl.stream(['get', 'configmaps', '-w']);
    try {
      await watch.waitForLine(/^settings\s+1\s/);
      // `create -f`, not `create configmap`: the typed client behind the latter sends protobuf bodies.
      const later = manifest('later.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: later}\ndata: {a: "1", b: "2"}\n');
      await kubectl.ok(['create', '-f', later]);
      await watch.waitForLine(/^later\s+2\s/);
    } finally {
      await watch.stop();
    }
  });

  it('rejects an invalid pod with the usual 422 text', async () => {
    const bad = manifest('invalid.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: invalid}\nspec:\n  containers: [{name: app}]\n');
    const r = await kubectl.run(['create', '-f', bad]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('The Pod "invalid" is invalid: spec.containers[0].image: Required value');
  });

  it('rejects an unknown field with strict server-side field validation', async () => {
    const unknown = manifest('unknown.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: unknownfield}\nspec:\n  foo: 1\n  containers: [{name: app, image: busybox}]\n');
    const r = await kubectl.run(['create', '-f', unknown]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('Error from server (BadRequest)');
    expect(r.stderr).toContain('unknown field "spec.foo"');
    const notCreated = await kubectl.run(['get', 'pod', 'unknownfield']);
    expect(notCreated.stderr).toContain('pods "unknownfield" not found');
  });

  it('deletes objects by name and by file', async () => {
    expect(await kubectl.ok(['delete', 'pod', 'web', '--wait=false'])).toContain('pod "web" deleted');
    expect(await kubectl.ok(['delete', '-f', join(dir, 'service.yaml')])).toContain('service "frontend" deleted');
    expect(await kubectl.ok(['delete', 'configmap', 'applied', 'later'])).toContain('configmap "applied" deleted');
    const gone = await kubectl.run(['get', 'configmap', 'applied']);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain('configmaps "applied" not found');
  });
});
