// A real Docker registry (Debian's docker-registry, distribution 2.8) on 127.0.0.1:<free port> for pull
// tests, with a temp config: filesystem storage in a temp dir and, optionally, htpasswd basic auth with a
// bcrypt entry from `htpasswd -Bbn`. Docker talks plain HTTP to loopback registries without configuration.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { docker, waitFor } from './docker.js';

export interface Registry {
  /** `127.0.0.1:<port>`: the image-name prefix and the auth server address. */
  host: string;
  stop(): Promise<void>;
}

export interface RegistryOptions {
  auth?: { username: string; password: string };
}

/** A free TCP port on loopback (the usual listen-0-then-close; the window to lose it is tiny). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Starts a registry and waits until it answers /v2/. */
export async function startRegistry(opts: RegistryOptions = {}): Promise<Registry> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-registry-'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  let auth = '';
  if (opts.auth) {
    const entry = execFileSync('htpasswd', ['-Bbn', opts.auth.username, opts.auth.password], { encoding: 'utf8' });
    fs.writeFileSync(path.join(dir, 'htpasswd'), entry.trim() + '\n');
    auth = `auth:\n  htpasswd:\n    realm: skiff-test\n    path: ${path.join(dir, 'htpasswd')}\n`;
  }
  const config = `version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ${path.join(dir, 'data')}\n  delete:\n    enabled: true\nhttp:\n  addr: ${host}\n${auth}`;
  fs.writeFileSync(path.join(dir, 'config.yml'), config);
  const child: ChildProcess = spawn('/usr/bin/docker-registry', ['serve', path.join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(`registry on ${host}`, async () => {
      if (child.exitCode !== null) throw new Error(`registry exited: ${stderr}`);
      const res = await fetch(`http://${host}/v2/`);
      return res.status === 200 || res.status === 401;
    }, 20_000, 100);
  } catch (err) {
    await stop();
    throw err;
  }
  return { host, stop };
}

function follow(stream: NodeJS.ReadableStream): Promise<void> {
  return new Promise((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null, events: { error?: string }[]) => {
      const failed = events?.find((e) => e.error);
      if (err) reject(err);
      else if (failed) reject(new Error(failed.error));
      else resolve();
    }),
  );
}

/**
 * Pushes a local image to the registry as `<host>/<repo>:<tag>` with dockerode (tag, then push with the
 * auth config), then removes the local tag so a pull has to fetch it.
 */
export async function pushToRegistry(registry: Registry, localImage: string, repo: string, tag: string, auth?: { username: string; password: string }): Promise<string> {
  const target = `${registry.host}/${repo}`;
  await docker.getImage(localImage).tag({ repo: target, tag });
  // Docker insists on an X-Registry-Auth header for a push even to an open registry: send an empty one.
  const authconfig = auth ? { ...auth, serveraddress: registry.host } : {};
  try {
    const stream = (await docker.getImage(`${target}:${tag}`).push({ authconfig })) as NodeJS.ReadableStream;
    await follow(stream);
  } finally {
    // Untag even when the push failed, so no registry-named tag outlives the test.
    await docker.getImage(`${target}:${tag}`).remove();
  }
  return `${target}:${tag}`;
}
