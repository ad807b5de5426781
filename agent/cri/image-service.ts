// runtime.v1.ImageService over Docker's image store. Names go to Docker in their familiar form and come
// back fully qualified (image-ref.ts). Pull progress is logged per layer as Docker reports it.
import fs from 'node:fs';
import type Dockerode from 'dockerode';
import type { Logger } from 'pino';
import { CriError, dockerMessage, dockerStatusCode, invalidArgument, isDockerNotFound, notFound, unauthenticated } from './errors.js';
import { familiarImageRef, isImageId, normalizeImageRef, registryOf } from './image-ref.js';
import type * as T from './types.js';

const nowNanos = (): string => (BigInt(Date.now()) * 1_000_000n).toString();

function normalizeAll(refs: string[] | undefined): string[] {
  const out: string[] = [];
  for (const r of refs ?? []) {
    if (r === '<none>:<none>' || r === '<none>@<none>') continue;
    try {
      out.push(normalizeImageRef(r));
    } catch {
      out.push(r);
    }
  }
  return out;
}

function imageUser(user: string | undefined): { uid: T.Int64Value | null; username: string } {
  const u = (user ?? '').split(':')[0] ?? '';
  if (u === '') return { uid: null, username: '' };
  return /^\d+$/.test(u) ? { uid: { value: u }, username: '' } : { uid: null, username: u };
}

/** The CRI error for a failed pull, from Docker's message. */
export function pullError(ref: string, message: string): CriError {
  const m = message.toLowerCase();
  if (m.includes('unauthorized') || m.includes('authentication required') || m.includes('no basic auth credentials') || m.includes('incorrect username or password')) {
    return unauthenticated(`pulling image "${ref}": registry refused the credentials: ${message}`);
  }
  if (m.includes('not found') || m.includes('manifest unknown') || m.includes('pull access denied') || m.includes('does not exist')) {
    return notFound(`pulling image "${ref}": ${message}`);
  }
  return new CriError(2 /* UNKNOWN */, `pulling image "${ref}": ${message}`);
}

/** Docker's auth config from CRI's; undefined when no credentials were given. */
export function dockerAuth(ref: string, auth: T.AuthConfig | null): Record<string, string> | undefined {
  if (!auth) return undefined;
  let { username, password } = auth;
  if (!username && auth.auth) {
    const decoded = Buffer.from(auth.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw invalidArgument('auth must be base64 of "username:password"');
    username = decoded.slice(0, colon);
    password = decoded.slice(colon + 1);
  }
  const out: Record<string, string> = { serveraddress: auth.server_address || registryOf(ref) };
  if (username) Object.assign(out, { username, password });
  if (auth.identity_token) out.identitytoken = auth.identity_token;
  if (auth.registry_token) out.registrytoken = auth.registry_token;
  return username || auth.identity_token || auth.registry_token ? out : undefined;
}

export class ImageServiceImpl {
  constructor(private readonly docker: Dockerode, private readonly log: Logger) {}

  private toImage(i: { Id: string; RepoTags?: string[]; RepoDigests?: string[]; Size: number; User?: string }): T.Image {
    return {
      id: i.Id,
      repo_tags: normalizeAll(i.RepoTags),
      repo_digests: normalizeAll(i.RepoDigests),
      size: String(i.Size),
      ...imageUser(i.User),
      spec: null,
      pinned: false,
    };
  }

  private async inspect(ref: string): Promise<Dockerode.ImageInspectInfo | undefined> {
    try {
      return await this.docker.getImage(familiarImageRef(ref)).inspect();
    } catch (err) {
      if (isDockerNotFound(err)) return undefined;
      throw err;
    }
  }

  private static ref(spec: T.ImageSpec | null): string {
    const ref = spec?.image ?? '';
    if (!ref) throw invalidArgument('image spec is required');
    try {
      familiarImageRef(ref);
    } catch (err) {
      throw invalidArgument(err instanceof Error ? err.message : String(err));
    }
    return ref;
  }

  async listImages(req: T.ListImagesRequest): Promise<T.ListImagesResponse> {
    const want = req.filter?.image?.image;
    if (want) {
      const one = await this.inspect(ImageServiceImpl.ref(req.filter!.image));
      return { images: one ? [this.toImage({ ...one, User: one.Config?.User })] : [] };
    }
    const images = await this.docker.listImages();
    return { images: images.map((i) => this.toImage(i)) };
  }

  async imageStatus(req: T.ImageStatusRequest): Promise<T.ImageStatusResponse> {
    const ref = ImageServiceImpl.ref(req.image);
    const info = await this.inspect(ref);
    // Absent is an answer, not an error: the kubelet then decides to pull.
    if (!info) return { image: null, info: {} };
    const extra: Record<string, string> = req.verbose ? { info: JSON.stringify({ config: info.Config }) } : {};
    return { image: this.toImage({ ...info, User: info.Config?.User }), info: extra };
  }

  async pullImage(req: T.PullImageRequest): Promise<T.PullImageResponse> {
    const ref = ImageServiceImpl.ref(req.image);
    if (isImageId(ref)) throw invalidArgument(`cannot pull an image by id ("${ref}")`);
    const familiar = familiarImageRef(ref);
    const authconfig = dockerAuth(normalizeImageRef(ref), req.auth);
    const started = Date.now();
    let stream: NodeJS.ReadableStream;
    try {
      stream = (await this.docker.pull(familiar, authconfig ? { authconfig } : {})) as NodeJS.ReadableStream;
    } catch (err) {
      throw pullError(ref, dockerMessage(err));
    }
    await new Promise<void>((resolve, reject) => {
      const layers = new Map<string, string>();
      this.docker.modem.followProgress(
        stream,
        (err: Error | null) => (err ? reject(pullError(ref, dockerMessage(err))) : resolve()),
        (event: { id?: string; status?: string; error?: string; errorDetail?: { message?: string } }) => {
          if (event.error) return; // reported once, by the completion callback
          if (!event.id || !event.status || layers.get(event.id) === event.status) return;
          layers.set(event.id, event.status);
          // Per-layer state changes (Pulling fs layer, Downloading, Pull complete), not every byte tick.
          if (!event.status.startsWith('Downloading') && !event.status.startsWith('Extracting')) {
            this.log.info({ image: ref, layer: event.id, status: event.status }, 'pulling image');
          }
        },
      );
    });
    const info = await this.inspect(familiar);
    if (!info) throw notFound(`image "${ref}" not found after pull`);
    this.log.info({ image: ref, id: info.Id, ms: Date.now() - started }, 'image pulled');
    return { image_ref: info.Id };
  }

  async removeImage(req: T.RemoveImageRequest): Promise<T.Empty> {
    const ref = ImageServiceImpl.ref(req.image);
    try {
      // By ID the image goes with all its tags, as cri-dockerd does; by name only that tag goes.
      await this.docker.getImage(familiarImageRef(ref)).remove(isImageId(ref) ? { force: true } : {});
    } catch (err) {
      if (isDockerNotFound(err)) return {}; // idempotent
      if (dockerStatusCode(err) === 409) throw new CriError(9 /* FAILED_PRECONDITION */, `removing image "${ref}": ${dockerMessage(err)}`);
      throw err;
    }
    return {};
  }

  async imageFsInfo(): Promise<T.ImageFsInfoResponse> {
    const info = (await this.docker.info()) as { DockerRootDir: string; Driver: string };
    const df = (await this.docker.df()) as { LayersSize?: number };
    let inodes: string | undefined;
    try {
      const st = await fs.promises.statfs(info.DockerRootDir);
      inodes = String(st.files - st.ffree);
    } catch {
      inodes = undefined; // the root dir is not visible from here (remote engine)
    }
    const usage: T.FilesystemUsage = {
      timestamp: nowNanos(),
      fs_id: { mountpoint: `${info.DockerRootDir}/${info.Driver}` },
      used_bytes: { value: String(df.LayersSize ?? 0) },
      inodes_used: inodes === undefined ? null : { value: inodes },
    };
    return { image_filesystems: [usage], container_filesystems: [] };
  }
}
