import { describe, expect, it } from 'vitest';
import { decodeProtobufObject } from '../../control-plane/apiserver/protobuf/decode.js';

// Bodies captured from kubectl v1.33 (`kubectl create deployment web --image=nginx:1 --replicas=3
// --port=8080`, `kubectl create secret generic s1 --from-literal=a=b`, `kubectl create service
// nodeport svc1 --tcp=80:8080`), hex-encoded.
const deployment = '6b3873000a150a07617070732f7631120a4465706c6f796d656e7412bb010a1f0a0377656212001a0022002a003200380042005a0a0a0361707012037765621289010803120c0a0a0a0361707012037765621a6f0a1c0a0012001a0022002a003200380042005a0a0a036170701203776562124f12310a056e67696e7812076e67696e783a312a00320b0a00100018903f22002a0042006a007200800100880100900100a201001a00320042004a0052005800600068008201008a01009a0100c2010022020a00280038001a0c0800100018002000280038001a002200';
const secret = '6b3873000a0c0a0276311206536563726574121e0a120a02733112001a0022002a0032003800420012060a01611201621a001a002200';
const service = '6b3873000a0d0a027631120753657276696365126b0a210a047376633112001a0022002a003200380042005a0b0a0361707012047376633112420a1b0a0738302d38303830120354435018502207080010903f1a002800120b0a036170701204737663311a0022084e6f6465506f72743a00420052005a00600068001a020a001a002200';

describe('decodeProtobufObject', () => {
  it('decodes kubectl create deployment into the JSON kubectl would have sent', () => {
    expect(decodeProtobufObject(Buffer.from(deployment, 'hex'))).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1', ports: [{ containerPort: 8080 }] }] } },
      },
    });
  });

  it('decodes secret data bytes as base64', () => {
    expect(decodeProtobufObject(Buffer.from(secret, 'hex'))).toEqual({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's1' }, data: { a: 'Yg==' } });
  });

  it('decodes an IntOrString targetPort as a number', () => {
    const svc = decodeProtobufObject(Buffer.from(service, 'hex')) as any;
    expect(svc.spec).toEqual({ ports: [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }], selector: { app: 'svc1' }, type: 'NodePort' });
  });

  it('treats the zero nodePort and hostPort Go writes for unset ints as unset', () => {
    // Both bodies carry the fields with value 0 on the wire (ServicePort 5 and ContainerPort 2).
    expect(service).toContain('2800');
    expect(deployment).toContain('0a00100018903f');
    const svc = decodeProtobufObject(Buffer.from(service, 'hex')) as any;
    expect(svc.spec.ports[0]).not.toHaveProperty('nodePort');
    const dep = decodeProtobufObject(Buffer.from(deployment, 'hex')) as any;
    expect(dep.spec.template.spec.containers[0].ports[0]).not.toHaveProperty('hostPort');
  });

  const bad: [string, Buffer][] = [
    ['without the k8s magic', Buffer.from('{"kind":"Pod"}')],
    ['truncated', Buffer.from(deployment, 'hex').subarray(0, 60)],
    ['with a bad varint', Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from('08ffffffffffffffffffff', 'hex')])],
  ];
  for (const [what, body] of bad) {
    it(`rejects a body ${what} with a 4xx`, () => {
      expect(() => decodeProtobufObject(body)).toThrow(expect.objectContaining({ code: expect.any(Number) }));
      try {
        decodeProtobufObject(body);
      } catch (e) {
        expect((e as { code: number }).code).toBeGreaterThanOrEqual(400);
        expect((e as { code: number }).code).toBeLessThan(500);
      }
    });
  }

  it('refuses kinds it has no message table for with 415', () => {
    const envelope = Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from('0a0e0a02763112084e6f6e73656e7365', 'hex')]);
    expect(() => decodeProtobufObject(envelope)).toThrow(expect.objectContaining({ code: 415 }));
  });
});
