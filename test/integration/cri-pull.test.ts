// PullImage against a real registry (Debian's docker-registry on 127.0.0.1:<free port>), without and with
// basic auth, and the errors a kubelet needs to tell apart: missing image vs. bad credentials.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { status } from '@grpc/grpc-js';
import { startCriHarness, docker, type CriHarness } from '../support/docker.js';
import { startRegistry, pushToRegistry, type Registry } from '../support/registry.js';

let h: CriHarness;
const registries: Registry[] = [];
const pulled: string[] = [];

beforeAll(async () => {
  h = await startCriHarness('cri-pull');
});

afterAll(async () => {
  for (const ref of pulled) await docker.getImage(ref).remove().catch(() => undefined);
  await Promise.all(registries.map((r) => r.stop()));
  await h?.cleanup();
});

async function registry(auth?: { username: string; password: string }): Promise<Registry> {
  const r = await startRegistry({ auth });
  registries.push(r);
  return r;
}

describe('PullImage from an open registry', () => {
  let ref: string;

  beforeAll(async () => {
    const r = await registry();
    ref = await pushToRegistry(r, 'skiff/busybox:v1', 'skiff/busybox', 'v1');
    pulled.push(ref);
  });

  it('pulls an image that is not present locally and reports it by id and name', async () => {
    expect((await h.client.imageStatus({ image: { image: ref } })).image).toBeNull();
    const { image_ref } = await h.client.pullImage({ image: { image: ref } });
    expect(image_ref).toMatch(/^sha256:[0-9a-f]{64}$/);
    const { image } = await h.client.imageStatus({ image: { image: ref } });
    expect(image?.id).toBe(image_ref);
    expect(image?.repo_tags).toContain(ref);
    expect(image?.repo_digests.some((d) => d.startsWith(`${ref.split(':v1')[0]}@sha256:`))).toBe(true);
    const listed = await h.client.listImages({ filter: { image: { image: ref } } });
    expect(listed.images.map((i) => i.id)).toEqual([image_ref]);
  });

  it('removes the pulled tag, and removing it again is not an error', async () => {
    await h.client.pullImage({ image: { image: ref } });
    await h.client.removeImage({ image: { image: ref } });
    expect((await h.client.imageStatus({ image: { image: ref } })).image).toBeNull();
    await h.client.removeImage({ image: { image: ref } });
  });

  it('answers NOT_FOUND for an image the registry does not have', async () => {
    const missing = ref.replace('skiff/busybox:v1', 'skiff/nothing-here:v1');
    await expect(h.client.pullImage({ image: { image: missing } })).rejects.toMatchObject({ code: status.NOT_FOUND });
  });
});

describe('PullImage from a registry with basic auth', () => {
  const creds = { username: 'skiff', password: 's3cret-pass' };
  let ref: string;
  let host: string;

  beforeAll(async () => {
    const r = await registry(creds);
    host = r.host;
    ref = await pushToRegistry(r, 'skiff/busybox:v1', 'skiff/private', 'v1', creds);
    pulled.push(ref);
  });

  it('pulls with username and password', async () => {
    const { image_ref } = await h.client.pullImage({ image: { image: ref }, auth: { ...creds, server_address: host } });
    expect(image_ref).toMatch(/^sha256:/);
    await h.client.removeImage({ image: { image: ref } });
  });

  it('pulls with the base64 auth field and no server address', async () => {
    const auth = Buffer.from(`${creds.username}:${creds.password}`).toString('base64');
    const { image_ref } = await h.client.pullImage({ image: { image: ref }, auth: { auth } });
    expect(image_ref).toMatch(/^sha256:/);
    await h.client.removeImage({ image: { image: ref } });
  });

  it('answers UNAUTHENTICATED for a wrong password, with a clear message', async () => {
    const err = await h.client.pullImage({ image: { image: ref }, auth: { username: creds.username, password: 'wrong' } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: status.UNAUTHENTICATED });
    expect(String((err as Error).message)).toMatch(/credentials/);
    expect((await h.client.imageStatus({ image: { image: ref } })).image).toBeNull();
  });

  it('answers UNAUTHENTICATED when no credentials are given', async () => {
    await expect(h.client.pullImage({ image: { image: ref } })).rejects.toMatchObject({ code: status.UNAUTHENTICATED });
  });
});
