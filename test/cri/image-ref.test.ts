import { describe, expect, it } from 'vitest';
import { familiarImageRef, isImageId, normalizeImageRef, parseImageReference, registryOf } from '../../agent/cri/image-ref.js';

const id = 'a3c03b0b52524626e6ad1a7dab0908366d1fed9bc7473c7fd17147cd8353613a';
const digest = 'sha256:' + 'b'.repeat(64);

describe('image reference normalisation', () => {
  it.each([
    ['busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
    ['busybox:1.36', 'docker.io/library/busybox:1.36', 'busybox:1.36'],
    ['library/busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
    ['docker.io/library/busybox:latest', 'docker.io/library/busybox:latest', 'busybox:latest'],
    ['index.docker.io/library/busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
    ['skiff/busybox:v1', 'docker.io/skiff/busybox:v1', 'skiff/busybox:v1'],
    ['docker.io/skiff/busybox:v1', 'docker.io/skiff/busybox:v1', 'skiff/busybox:v1'],
    ['127.0.0.1:5000/skiff/busybox:v1', '127.0.0.1:5000/skiff/busybox:v1', '127.0.0.1:5000/skiff/busybox:v1'],
    ['localhost/app', 'localhost/app:latest', 'localhost/app:latest'],
    ['registry.example.com/team/app', 'registry.example.com/team/app:latest', 'registry.example.com/team/app:latest'],
    [`busybox@${digest}`, `docker.io/library/busybox@${digest}`, `busybox@${digest}`],
    [`busybox:1.36@${digest}`, `docker.io/library/busybox:1.36@${digest}`, `busybox:1.36@${digest}`],
    [`sha256:${id}`, `sha256:${id}`, `sha256:${id}`],
    [id, `sha256:${id}`, `sha256:${id}`],
  ])('%s → %s ⇄ %s', (input, normalized, familiar) => {
    expect(normalizeImageRef(input)).toBe(normalized);
    expect(familiarImageRef(input)).toBe(familiar);
    expect(familiarImageRef(normalized)).toBe(familiar);
  });

  it.each(['', 'UPPER/case', 'bad//path', 'trailing/'])('rejects %j', (ref) => {
    expect(() => parseImageReference(ref)).toThrow();
  });

  it('tells image ids from names', () => {
    expect(isImageId(`sha256:${id}`)).toBe(true);
    expect(isImageId(id)).toBe(true);
    expect(isImageId('busybox')).toBe(false);
  });

  it('finds the registry a reference pulls from', () => {
    expect(registryOf('busybox')).toBe('docker.io');
    expect(registryOf('127.0.0.1:5000/a/b:c')).toBe('127.0.0.1:5000');
  });
});
