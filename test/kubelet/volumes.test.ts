import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setUpVolumes, tearDownVolumes } from '../../agent/kubelet/volumes.js';
import { unmountBelow } from '../../agent/kubelet/memory-medium.js';
import type { Pod } from '../../api/index.js';
import { MapObjects } from './support/harness.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-volumes-'));
});
afterEach(() => {
  unmountBelow(dir); // a failed tmpfs test must not leave a mount behind
  fs.rmSync(dir, { recursive: true, force: true });
});

const pod: Pod = {
  metadata: { name: 'p', namespace: 'ns', uid: 'u1', labels: { a: '1', b: '2' } },
  spec: {
    containers: [{ name: 'c' }],
    volumes: [
      { name: 'scratch', emptyDir: {} },
      { name: 'conf', configMap: { name: 'cm' } },
      { name: 'picked', configMap: { name: 'cm', items: [{ key: 'k1', path: 'sub/one.txt', mode: 0o600 }] } },
      { name: 'creds', secret: { secretName: 's', defaultMode: 0o400 } },
      { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'name', fieldRef: { fieldPath: 'metadata.name' } }] } },
    ],
  },
};

describe('pod volumes', () => {
  it('materialises emptyDir, configMap (all keys or items with mode), secret and downwardAPI under the pod dir', async () => {
    const objects = new MapObjects();
    objects.configMaps.set('ns/cm', { metadata: { name: 'cm' }, data: { k1: 'v1', k2: 'v2' } });
    objects.secrets.set('ns/s', { metadata: { name: 's' }, data: { token: Buffer.from('t0k').toString('base64') } });
    const paths = await setUpVolumes(pod, dir, { objects, allocatable: {}, podIP: '', hostIP: '' });
    expect(fs.statSync(paths.get('scratch')!).isDirectory()).toBe(true);
    expect(paths.get('scratch')).toBe(path.join(dir, 'pods', 'u1', 'volumes', 'empty-dir', 'scratch'));
    expect(fs.readFileSync(path.join(paths.get('conf')!, 'k2'), 'utf8')).toBe('v2');
    expect(fs.readFileSync(path.join(paths.get('picked')!, 'sub/one.txt'), 'utf8')).toBe('v1');
    expect(fs.statSync(path.join(paths.get('picked')!, 'sub/one.txt')).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(path.join(paths.get('picked')!, 'k2'))).toBe(false);
    expect(fs.readFileSync(path.join(paths.get('creds')!, 'token'), 'utf8')).toBe('t0k');
    expect(fs.statSync(path.join(paths.get('creds')!, 'token')).mode & 0o777).toBe(0o400);
    expect(fs.readFileSync(path.join(paths.get('info')!, 'labels'), 'utf8')).toBe('a="1"\nb="2"');
    expect(fs.readFileSync(path.join(paths.get('info')!, 'name'), 'utf8')).toBe('p');
    tearDownVolumes(dir, 'u1');
    expect(fs.existsSync(path.join(dir, 'pods', 'u1'))).toBe(false);
  });

  it('refreshes a configMap volume atomically when the ConfigMap changes, dropping removed keys', async () => {
    const objects = new MapObjects();
    objects.configMaps.set('ns/cm', { metadata: { name: 'cm' }, data: { k1: 'v1', k2: 'v2' } });
    objects.secrets.set('ns/s', { metadata: { name: 's' }, data: {} });
    const paths = await setUpVolumes(pod, dir, { objects, allocatable: {}, podIP: '', hostIP: '' });
    const conf = paths.get('conf')!;
    const before = fs.readlinkSync(path.join(conf, '..data'));
    await setUpVolumes(pod, dir, { objects, allocatable: {}, podIP: '', hostIP: '' });
    expect(fs.readlinkSync(path.join(conf, '..data'))).toBe(before); // unchanged: not rewritten
    objects.configMaps.set('ns/cm', { metadata: { name: 'cm' }, data: { k1: 'new' } });
    await setUpVolumes({ ...pod, spec: { ...pod.spec!, volumes: pod.spec!.volumes!.filter((v) => v.name !== 'picked') } }, dir, { objects, allocatable: {}, podIP: '', hostIP: '' });
    expect(fs.readlinkSync(path.join(conf, '..data'))).not.toBe(before);
    expect(fs.readFileSync(path.join(conf, 'k1'), 'utf8')).toBe('new');
    expect(fs.existsSync(path.join(conf, 'k2'))).toBe(false);
    expect(fs.readdirSync(conf).filter((n) => n.startsWith('..') && n !== '..data')).toHaveLength(1);
  });
});

describe('memory-backed emptyDir', () => {
  it('is a tmpfs of sizeLimit, unmounted on teardown', async () => {
    const memPod: Pod = { metadata: { name: 'm', namespace: 'ns', uid: 'mem1' }, spec: { containers: [{ name: 'c' }], volumes: [{ name: 'ram', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } }] } };
    const paths = await setUpVolumes(memPod, dir, { objects: new MapObjects(), allocatable: {}, podIP: '', hostIP: '' });
    const mp = paths.get('ram')!;
    const line = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').find((l) => l.split(' ')[4] === mp);
    expect(line).toMatch(/ - tmpfs tmpfs .*size=1024k/);
    await setUpVolumes(memPod, dir, { objects: new MapObjects(), allocatable: {}, podIP: '', hostIP: '' }); // idempotent
    expect(fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.split(' ')[4] === mp)).toHaveLength(1);
    tearDownVolumes(dir, 'mem1');
    expect(fs.readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(mp);
    expect(fs.existsSync(mp)).toBe(false);
  });
});
