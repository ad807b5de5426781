import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/object.js';
import { validate } from '../../api/validation/index.js';
import { pod, podsR, summary } from './fixtures.js';

type Spec = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function withSpec(mutate: (spec: Spec, obj: KubeObject) => void): KubeObject {
  const p = pod();
  mutate(p['spec'] as Spec, p);
  return p;
}

describe('validate pods', () => {
  it('accepts a valid pod', () => {
    expect(validate(podsR, pod())).toEqual([]);
  });

  it.each<[string, (s: Spec, o: KubeObject) => void, string, string]>([
    ['no containers', (s) => (s.containers = []), 'spec.containers', 'Required value'],
    ['container name missing', (s) => delete s.containers[0].name, 'spec.containers[0].name', 'Required value'],
    ['container name not a DNS label', (s) => (s.containers[0].name = 'Web_1'), 'spec.containers[0].name', 'Invalid value: "Web_1": a lowercase RFC 1123 label must consist of'],
    ['duplicate across init and app', (s) => (s.containers[0].name = 'init'), 'spec.containers[0].name', 'Duplicate value: "init"'],
    ['image missing', (s) => delete s.containers[0].image, 'spec.containers[0].image', 'Required value'],
    ['image with spaces', (s) => (s.containers[0].image = ' nginx'), 'spec.containers[0].image', 'Invalid value: " nginx": must not have leading or trailing whitespace'],
    ['init image missing', (s) => (s.initContainers[0].image = ''), 'spec.initContainers[0].image', 'Required value'],
    ['port zero', (s) => (s.containers[0].ports[0].containerPort = 0), 'spec.containers[0].ports[0].containerPort', 'Required value'],
    ['port too large', (s) => (s.containers[0].ports[0].containerPort = 70000), 'spec.containers[0].ports[0].containerPort', 'Invalid value: 70000: must be between 1 and 65535, inclusive'],
    ['host port too large', (s) => (s.containers[0].ports[0].hostPort = 65536), 'spec.containers[0].ports[0].hostPort', 'Invalid value: 65536: must be between 1 and 65535, inclusive'],
    ['bad protocol', (s) => (s.containers[0].ports[0].protocol = 'ICMP'), 'spec.containers[0].ports[0].protocol', 'Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"'],
    ['empty protocol', (s) => (s.containers[0].ports[0].protocol = ''), 'spec.containers[0].ports[0].protocol', 'Required value'],
    ['duplicate port name', (s) => s.containers[0].ports.push({ name: 'http', containerPort: 81, protocol: 'TCP' }), 'spec.containers[0].ports[1].name', 'Duplicate value: "http"'],
    ['bad port name', (s) => (s.containers[0].ports[0].name = 'HTTP'), 'spec.containers[0].ports[0].name', 'Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)'],
    ['restartPolicy enum', (s) => (s.restartPolicy = 'Sometimes'), 'spec.restartPolicy', 'Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
    ['restartPolicy empty', (s) => (s.restartPolicy = ''), 'spec.restartPolicy', 'Required value'],
    ['dnsPolicy enum', (s) => (s.dnsPolicy = 'Google'), 'spec.dnsPolicy', 'Unsupported value: "Google": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"'],
    ['dnsPolicy None without config', (s) => (s.dnsPolicy = 'None'), 'spec.dnsConfig', 'Required value: must provide `dnsConfig` when `dnsPolicy` is None'],
    ['negative grace period', (s) => (s.terminationGracePeriodSeconds = -1), 'spec.terminationGracePeriodSeconds', 'Invalid value: -1: must be greater than or equal to 0'],
    ['activeDeadlineSeconds zero', (s) => (s.activeDeadlineSeconds = 0), 'spec.activeDeadlineSeconds', 'Invalid value: 0: must be between 1 and 2147483647, inclusive'],
    ['duplicate volume names', (s) => s.volumes.push({ name: 'data', emptyDir: {} }), 'spec.volumes[2].name', 'Duplicate value: "data"'],
    ['volume without source', (s) => (s.volumes[0] = { name: 'data' }), 'spec.volumes[0]', 'Required value: must specify a volume type'],
    ['volume with two sources', (s) => (s.volumes[0].hostPath = { path: '/tmp' }), 'spec.volumes[0].hostPath', 'Forbidden: may not specify more than 1 volume type'],
    ['volume name not a label', (s) => (s.volumes[1].name = 'Cfg'), 'spec.volumes[1].name', 'Invalid value: "Cfg"'],
    ['hostPath without path', (s) => (s.volumes[0] = { name: 'data', hostPath: { path: '' } }), 'spec.volumes[0].hostPath.path', 'Required value'],
    ['hostPath bad type', (s) => (s.volumes[0] = { name: 'data', hostPath: { path: '/x', type: 'Dir' } }), 'spec.volumes[0].hostPath.type', 'Unsupported value: "Dir"'],
    ['secret without name', (s) => (s.volumes[0] = { name: 'data', secret: {} }), 'spec.volumes[0].secret.secretName', 'Required value'],
    ['configMap bad mode', (s) => (s.volumes[1].configMap.defaultMode = 0o1000), 'spec.volumes[1].configMap.defaultMode', 'Invalid value: 512: must be a number between 0 and 0777 (octal), both inclusive'],
    ['configMap item escaping', (s) => (s.volumes[1].configMap.items = [{ key: 'a', path: '../a' }]), 'spec.volumes[1].configMap.items[0].path', 'Invalid value: "../a": must not contain \'..\''],
    ['downwardAPI bad field', (s) => (s.volumes[0] = { name: 'data', downwardAPI: { items: [{ path: 'x', fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } }] } }), 'spec.volumes[0].downwardAPI.items[0].fieldRef.fieldPath', 'Unsupported value: "spec.nodeName"'],
    ['projected two kinds in one source', (s) => (s.volumes[0] = { name: 'data', projected: { sources: [{ secret: { name: 's' }, configMap: { name: 'c' } }] } }), 'spec.volumes[0].projected.sources[0].configMap', 'Forbidden: may not specify more than 1 volume type'],
    ['mount of unknown volume', (s) => (s.containers[0].volumeMounts[0].name = 'nope'), 'spec.containers[0].volumeMounts[0].name', 'Not found: "nope"'],
    ['mount path missing', (s) => (s.containers[0].volumeMounts[0].mountPath = ''), 'spec.containers[0].volumeMounts[0].mountPath', 'Required value'],
    ['mount path duplicated', (s) => s.containers[0].volumeMounts.push({ name: 'cfg', mountPath: '/data' }), 'spec.containers[0].volumeMounts[1].mountPath', 'Invalid value: "/data": must be unique'],
    ['probe without handler', (s) => (s.containers[0].livenessProbe = { periodSeconds: 10 }), 'spec.containers[0].livenessProbe', 'Required value: must specify a handler type'],
    ['probe with two handlers', (s) => (s.containers[0].readinessProbe.exec = { command: ['true'] }), 'spec.containers[0].readinessProbe.httpGet', 'Forbidden: may not specify more than 1 handler type'],
    ['probe negative period', (s) => (s.containers[0].readinessProbe.periodSeconds = -5), 'spec.containers[0].readinessProbe.periodSeconds', 'Invalid value: -5: must be greater than or equal to 0'],
    ['liveness successThreshold', (s) => (s.containers[0].livenessProbe.successThreshold = 2), 'spec.containers[0].livenessProbe.successThreshold', 'Invalid value: 2: must be 1'],
    ['probe bad port', (s) => (s.containers[0].livenessProbe.tcpSocket.port = 0), 'spec.containers[0].livenessProbe.tcpSocket.port', 'Invalid value: 0: must be between 1 and 65535, inclusive'],
    ['probe bad scheme', (s) => (s.containers[0].readinessProbe.httpGet.scheme = 'FTP'), 'spec.containers[0].readinessProbe.httpGet.scheme', 'Unsupported value: "FTP": supported values: "HTTP", "HTTPS"'],
    ['exec without command', (s) => (s.containers[0].livenessProbe = { exec: {} }), 'spec.containers[0].livenessProbe.exec.command', 'Required value'],
    ['lifecycle without handler', (s) => (s.containers[0].lifecycle = { preStop: {} }), 'spec.containers[0].lifecycle.preStop', 'Required value: must specify a handler type'],
    ['init container readiness probe', (s) => (s.initContainers[0].readinessProbe = { exec: { command: ['x'] } }), 'spec.initContainers[0].readinessProbe', 'Forbidden: may not be set for init containers'],
    ['bad quantity', (s) => (s.containers[0].resources.limits.cpu = 'lots'), 'spec.containers[0].resources.limits[cpu]', "Invalid value: \"lots\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
    ['negative quantity', (s) => (s.containers[0].resources.requests.memory = '-1Mi'), 'spec.containers[0].resources.requests[memory]', 'Invalid value: "-1Mi": must be greater than or equal to 0'],
    ['request above limit', (s) => (s.containers[0].resources.requests.cpu = '2'), 'spec.containers[0].resources.requests', 'Invalid value: "2": must be less than or equal to cpu limit of 1'],
    ['unknown resource name', (s) => (s.containers[0].resources.requests.gpu = '1'), 'spec.containers[0].resources.requests[gpu]', 'Invalid value: "gpu": must be a standard resource for containers'],
    ['env name missing', (s) => s.containers[0].env.push({ value: 'x' }), 'spec.containers[0].env[1].name', 'Required value'],
    ['env name invalid', (s) => s.containers[0].env.push({ name: '1X' }), 'spec.containers[0].env[1].name', 'Invalid value: "1X": a valid environment variable name must consist of'],
    ['env value and valueFrom', (s) => (s.containers[0].env[0].value = 'x'), 'spec.containers[0].env[0].valueFrom', 'Invalid value: "": may not be specified when `value` is not empty'],
    ['env two sources', (s) => (s.containers[0].env[0].valueFrom.secretKeyRef = { name: 's', key: 'k' }), 'spec.containers[0].env[0].valueFrom', 'Invalid value: "": may not have more than one field specified at a time'],
    ['env unsupported fieldPath', (s) => (s.containers[0].env[0].valueFrom.fieldRef.fieldPath = 'spec.containers'), 'spec.containers[0].env[0].valueFrom.fieldRef.fieldPath', 'Unsupported value: "spec.containers": supported values: "metadata.name"'],
    ['env configMapKeyRef without key', (s) => (s.containers[0].env[0].valueFrom = { configMapKeyRef: { name: 'cm' } }), 'spec.containers[0].env[0].valueFrom.configMapKeyRef.key', 'Required value'],
    ['env resourceFieldRef unsupported', (s) => (s.containers[0].env[0].valueFrom = { resourceFieldRef: { resource: 'limits.gpu' } }), 'spec.containers[0].env[0].valueFrom.resourceFieldRef.resource', 'Unsupported value: "limits.gpu"'],
    ['envFrom with no source', (s) => (s.containers[0].envFrom = [{ prefix: 'X_' }]), 'spec.containers[0].envFrom', 'Invalid value: "": must specify one of: `configMapRef` or `secretRef`'],
    ['imagePullPolicy enum', (s) => (s.containers[0].imagePullPolicy = 'Sometimes'), 'spec.containers[0].imagePullPolicy', 'Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"'],
    ['nodeName invalid', (s) => (s.nodeName = 'Node_1'), 'spec.nodeName', 'Invalid value: "Node_1"'],
    ['nodeSelector key invalid', (s) => (s.nodeSelector = { 'a b': 'c' }), 'spec.nodeSelector', 'Invalid value: "a b": name part must consist of'],
    ['toleration operator Exists with value', (s) => (s.tolerations = [{ key: 'k', operator: 'Exists', value: 'v' }]), 'spec.tolerations[0].operator', 'Invalid value: core.Toleration{Key:"k", Operator:"Exists", Value:"v"}: value must be empty when `operator` is \'Exists\''],
    ['toleration bad effect', (s) => (s.tolerations = [{ key: 'k', operator: 'Exists', effect: 'NoRun' }]), 'spec.tolerations[0].effect', 'Unsupported value: "NoRun": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"'],
    ['toleration empty key needs Exists', (s) => (s.tolerations = [{ operator: 'Equal', value: 'x' }]), 'spec.tolerations[0].operator', 'Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"'],
    ['tolerationSeconds needs NoExecute', (s) => (s.tolerations = [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 5 }]), 'spec.tolerations[0].effect', 'Invalid value: "NoSchedule": effect must be \'NoExecute\' when `tolerationSeconds` is set'],
    ['node affinity without terms', (s) => (s.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } }), 'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms', 'Required value: must have at least one node selector term'],
    ['node affinity In without values', (s) => (s.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In' }] }] } } }), 'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values', "Required value: must be specified when `operator` is 'In' or 'NotIn'"],
    ['node affinity bad operator', (s) => (s.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'Near' }] }] } } }), 'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator', 'Invalid value: "Near": not a valid selector operator'],
    ['preferred weight out of range', (s) => (s.affinity = { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, preference: { matchExpressions: [{ key: 'zone', operator: 'Exists' }] } }] } }), 'spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight', 'Invalid value: 0: must be in the range 1-100'],
    ['hostNetwork port mismatch', (s) => { s.hostNetwork = true; s.containers[0].ports[0].hostPort = 8080; }, 'spec.containers[0].ports[0].hostPort', 'Invalid value: 8080: must match `containerPort` when `hostNetwork` is true'],
    ['bad pod IP in status', (_s, o) => (o['status'] = { podIP: '10.0.0' }), 'status.podIP', 'Invalid value: "10.0.0": must be a valid IP address'],
  ])('rejects %s', (_name, mutate, field, detail) => {
    const errs = validate(podsR, withSpec(mutate));
    expect(summary(errs)).toEqual(expect.arrayContaining([expect.stringContaining(`${field}: ${detail}`)]));
  });

  it.each<[string, (s: Spec) => void]>([
    ['a sidecar init container with probes', (s) => Object.assign(s.initContainers[0], { restartPolicy: 'Always', livenessProbe: { exec: { command: ['true'] } } })],
    ['requests without limits', (s) => delete s.containers[0].resources.limits],
    ['hostNetwork with matching ports', (s) => { s.hostNetwork = true; s.containers[0].ports[0].hostPort = 80; }],
    ['an extended resource with equal request and limit', (s) => { s.containers[0].resources.requests['example.com/gpu'] = '1'; s.containers[0].resources.limits['example.com/gpu'] = '1'; }],
    ['env from labels subscript', (s) => (s.containers[0].env[0].valueFrom.fieldRef.fieldPath = "metadata.labels['app']")],
    ['toleration matching everything', (s) => (s.tolerations = [{ operator: 'Exists' }])],
    ['projected volume', (s) => s.volumes.push({ name: 'token', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }, { configMap: { name: 'ca' } }] } })],
  ])('accepts %s', (_name, mutate) => {
    expect(summary(validate(podsR, withSpec(mutate)))).toEqual([]);
  });

  it('reports a body with wrongly typed fields instead of throwing', () => {
    const p = pod();
    (p['spec'] as Spec).containers = [{ name: 'a', image: 'b', ports: [null] }];
    const errs = validate(podsR, p);
    expect(errs.length).toBeGreaterThan(0);
  });
});
