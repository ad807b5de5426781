import { describe, expect, it } from 'vitest';
import {
  decodeAnnotations, decodeContainerMeta, decodeSandboxMeta, decodeUserLabels, encodeContainerLabels, encodeSandboxLabels, objectTypeOf,
} from '../../agent/cri/labels.js';

describe('CRI metadata in Docker labels', () => {
  it('round-trips a sandbox: metadata, user labels and annotations', () => {
    const meta = { name: 'web', namespace: 'prod', uid: 'u-1', attempt: 2 };
    const labels = { app: 'web', 'io.skiff.type': 'user-value-that-must-not-clash' };
    const annotations = { 'kubernetes.io/config.seen': '2024-01-01', empty: '' };
    const docker = encodeSandboxLabels(meta, labels, annotations);
    expect(objectTypeOf(docker)).toBe('podsandbox');
    expect(decodeSandboxMeta(docker)).toEqual(meta);
    expect(decodeUserLabels(docker)).toEqual(labels);
    expect(decodeAnnotations(docker)).toEqual(annotations);
  });

  it('round-trips a container with its sandbox id, log path and image', () => {
    const meta = { name: 'app', attempt: 0, sandboxId: 'abc', logPath: '/var/log/pods/ns_p_u/app/0.log', image: 'docker.io/library/busybox:latest' };
    const docker = encodeContainerLabels(meta, { tier: 'x' }, { note: 'y' });
    expect(objectTypeOf(docker)).toBe('container');
    expect(decodeContainerMeta(docker)).toEqual(meta);
    expect(decodeUserLabels(docker)).toEqual({ tier: 'x' });
    expect(decodeAnnotations(docker)).toEqual({ note: 'y' });
  });

  it.each([
    [undefined, undefined],
    [{}, undefined],
    [{ 'io.skiff.type': 'other' }, undefined],
    [{ 'io.skiff.type': 'container' }, 'container'],
  ])('objectTypeOf(%j) is %s', (labels, type) => {
    expect(objectTypeOf(labels as Record<string, string> | undefined)).toBe(type);
  });

  it('reads a garbled attempt as 0 rather than NaN', () => {
    expect(decodeSandboxMeta({ 'io.skiff.sandbox.attempt': 'x' }).attempt).toBe(0);
  });
});
