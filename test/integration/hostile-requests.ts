// Generates malformed and hostile requests for the API server fuzz test. Deterministic (seeded), so a
// failure names a request that can be replayed. Every generated request is invalid on purpose: the
// server must answer each with a 4xx Status, never a 5xx, and never lose an earlier object.

export interface HostileRequest {
  method: string;
  path: string;
  contentType?: string;
  body?: string;
  /** What the request is trying, for the failure message. */
  label: string;
}

/** Mulberry32: a tiny seeded PRNG; quality is irrelevant here, repeatability is the point. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hostileNames = [
  '..',
  '.',
  '../../etc/passwd',
  '%2e%2e%2f%2e%2e',
  'a%2Fb',
  'a%00b',
  'UPPER',
  'under_score',
  '-leading',
  'trailing-',
  'x'.repeat(254),
  'x'.repeat(5000),
  'sp ace',
  'ünïcödé',
  '%',
  'a;b',
  '*',
];

const badJsonBodies = [
  '',
  '{',
  '}',
  '[]',
  'null',
  '42',
  '"string"',
  'true',
  '{"metadata":',
  '{"metadata": {"name": "x",}}',
  '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "\\ud800"}}x',
  '\u0000\u0001\u0002',
  '{"a":' + '['.repeat(2000) + ']'.repeat(2000) + '}',
];

/** Bodies that parse as JSON but are wrong in shape or type for a ConfigMap in namespace `ns`. */
function wrongShapeConfigMaps(ns: string): unknown[] {
  const meta = (extra: object) => ({ namespace: ns, ...extra });
  return [
    { apiVersion: 'v1', kind: 'ConfigMap' },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: 'not-an-object' },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: [] },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta({ name: 12 }) },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta({ name: null }) },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta({ name: 'ok', labels: 'x' }) },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta({ name: 'ok', labels: { 'bad key!': 'v' } }) },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta({ name: 'ok', labels: { k: 7 } }) },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta({ name: 'ok', annotations: ['a'] }) },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta({ name: 'ok', namespace: 'other-ns' }) },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta({ name: 'ok' }), data: 'x' },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta({ name: 'ok' }), data: { 'bad/key': 'v' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta({ name: 'ok' }), data: { k: { nested: true } } },
    { apiVersion: 'v1', kind: 'Pod', metadata: meta({ name: 'wrong-kind' }) },
    { apiVersion: 'v2', kind: 'ConfigMap', metadata: meta({ name: 'wrong-version' }) },
  ];
}

function wrongShapePods(ns: string): unknown[] {
  const pod = (spec: unknown, name = 'p') => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns }, spec });
  return [
    pod(undefined),
    pod('spec'),
    pod({ containers: [] }),
    pod({ containers: 'x' }),
    pod({ containers: [{}] }),
    pod({ containers: [{ name: 'c' }] }),
    pod({ containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 70000 }] }] }),
    pod({ containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 'eighty' }] }] }),
    pod({ containers: [{ name: 'c', image: 'i', resources: { limits: { cpu: 'lots' } } }] }),
    pod({ containers: [{ name: 'c', image: 'i' }, { name: 'c', image: 'i' }] }),
    pod({ containers: [{ name: 'c', image: 'i' }], restartPolicy: 'Sometimes' }),
    pod({ containers: [{ name: 'c', image: 'i', env: [{ name: '' }] }] }),
    pod({ containers: [{ name: 'c', image: 'i', volumeMounts: [{ name: 'missing', mountPath: '/x' }] }] }),
    pod({ containers: [{ name: 'c', image: 'i' }] }, 'Bad_Name'),
  ];
}

function pick<T>(rand: () => number, list: readonly T[]): T {
  const item = list[Math.floor(rand() * list.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/** `count` hostile requests against namespace `ns`, which the caller has created. */
export function hostileRequests(ns: string, count: number, seed = 20261124): HostileRequest[] {
  const rand = seededRandom(seed);
  const json = 'application/json';
  const generators: Array<() => HostileRequest> = [
    () => ({ method: 'POST', path: `/api/v1/namespaces/${ns}/configmaps`, contentType: json, body: pick(rand, badJsonBodies), label: 'bad JSON body' }),
    () => ({ method: 'POST', path: `/api/v1/namespaces/${ns}/configmaps`, contentType: json, body: JSON.stringify(pick(rand, wrongShapeConfigMaps(ns))), label: 'wrong-shape configmap' }),
    () => ({ method: 'POST', path: `/api/v1/namespaces/${ns}/pods`, contentType: json, body: JSON.stringify(pick(rand, wrongShapePods(ns))), label: 'invalid pod' }),
    () => {
      const name = pick(rand, hostileNames);
      return { method: 'POST', path: `/api/v1/namespaces/${ns}/configmaps`, contentType: json, body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns } }), label: `hostile name ${name.slice(0, 20)}` };
    },
    () => ({ method: 'GET', path: `/api/v1/namespaces/${ns}/configmaps/${pick(rand, hostileNames)}-absent`, label: 'get hostile name' }),
    () => ({ method: 'DELETE', path: `/api/v1/namespaces/${ns}/configmaps/${pick(rand, hostileNames)}-absent`, label: 'delete hostile name' }),
    () => ({ method: 'PUT', path: `/api/v1/namespaces/${ns}/configmaps/keep-0`, contentType: json, body: pick(rand, badJsonBodies), label: 'update with bad JSON' }),
    () => ({ method: 'PUT', path: `/api/v1/namespaces/${ns}/configmaps/keep-0`, contentType: json, body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other-name', namespace: ns } }), label: 'update with mismatched name' }),
    () => ({ method: 'PUT', path: `/api/v1/namespaces/${ns}/configmaps/keep-0`, contentType: json, body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'keep-0', namespace: ns, resourceVersion: '1' }, data: { clobbered: 'yes' } }), label: 'update with a stale resourceVersion' }),
    () => ({ method: 'PATCH', path: `/api/v1/namespaces/${ns}/configmaps/keep-0`, contentType: 'application/json-patch+json', body: pick(rand, ['{}', '[{"op":"explode"}]', '[{"op":"remove","path":"/nope/deeper"}]', '[{"op":"test","path":"/data/k","value":"not-the-value"}]', '[{"op":"replace","path":"/metadata/name","value":"renamed"}]', 'not json']), label: 'bad JSON patch' }),
    () => ({ method: 'PATCH', path: `/api/v1/namespaces/${ns}/configmaps/keep-0`, contentType: 'application/merge-patch+json', body: pick(rand, ['[', '{"metadata":{"name":"renamed"}}', '{"metadata":{"labels":"x"}}', '{"data":{"bad/key":"v"}}']), label: 'bad merge patch' }),
    () => ({ method: 'PATCH', path: `/api/v1/namespaces/${ns}/configmaps/keep-0`, contentType: pick(rand, ['text/plain', 'application/xml', 'application/x-www-form-urlencoded']), body: '{}', label: 'unsupported patch type' }),
    () => ({ method: 'POST', path: `/api/v1/namespaces/${ns}/configmaps`, contentType: pick(rand, ['text/plain', 'application/xml', 'image/png']), body: '{}', label: 'unsupported content type' }),
    () => ({ method: 'GET', path: `/api/v1/namespaces/${ns}/configmaps?${pick(rand, ['limit=abc', 'limit=-5', 'labelSelector=a%20in%20(', 'labelSelector=%21%21', 'fieldSelector=spec.nothing%3Dx', 'fieldSelector=%3D%3D', 'resourceVersion=abc', 'resourceVersionMatch=Bogus&resourceVersion=1', 'continue=not-a-token', 'timeoutSeconds=abc&watch=1', 'watch=maybe'])}`, label: 'bad list query' }),
    () => ({ method: 'GET', path: pick(rand, ['/api/v1/widgets', '/api/v2/pods', '/apis/nope/v1/things', '/apis/apps/v9/deployments', '/api/v1/namespaces/absent-ns/configmaps/x', '/api/v1/namespaces/' + 'n'.repeat(300) + '/pods/x', '/api/v1/namespaces/%2e%2e/configmaps/x', '/apis/apps/v1/namespaces/x/deployments/y/notasubresource']), label: 'unknown path' }),
    () => ({ method: pick(rand, ['TRACE', 'PROPFIND', 'PATCH', 'PUT']), path: `/api/v1/namespaces/${ns}/configmaps`, contentType: json, body: '{}', label: 'unsupported verb on a collection' }),
    () => ({ method: 'POST', path: `/api/v1/namespaces/${ns}/pods/absent/binding`, contentType: json, body: JSON.stringify({ apiVersion: 'v1', kind: 'Binding', metadata: { name: 'absent' }, target: { kind: 'Node', name: 'n1' } }), label: 'binding of an absent pod' }),
    () => ({ method: 'PUT', path: `/apis/apps/v1/namespaces/${ns}/deployments/absent/scale`, contentType: json, body: JSON.stringify({ apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'absent', namespace: ns }, spec: { replicas: -3 } }), label: 'scale of an absent deployment' }),
    () => ({ method: 'POST', path: `/api/v1/namespaces/${ns}/services`, contentType: json, body: JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc', namespace: ns }, spec: pick(rand, [{ ports: [{ port: 0 }] }, { ports: [{ port: 80, nodePort: 5 }], type: 'NodePort' }, { ports: [{ port: 80 }], clusterIP: '999.1.1.1' }, { ports: [{ port: 80 }], type: 'Galactic' }, { ports: 'eighty' }]) }), label: 'invalid service' }),
    () => ({ method: 'POST', path: `/api/v1/namespaces/${ns}/configmaps`, contentType: json, body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'strict', namespace: ns }, unknownTopLevel: true }), label: 'unknown field, strict' }),
  ];
  const out: HostileRequest[] = [];
  for (let i = 0; i < count; i++) out.push(pick(rand, generators)());
  // The strict-validation probe must ask for strictness, as kubectl does.
  return out.map((r) => (r.label === 'unknown field, strict' ? { ...r, path: `${r.path}?fieldValidation=Strict` } : r));
}
