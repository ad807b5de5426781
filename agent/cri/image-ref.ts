// Image reference normalisation, as Docker's distribution/reference does it: `busybox` is
// `docker.io/library/busybox:latest`. CRI clients send and receive the fully qualified form (containerd's
// habit, which the kubelet's image GC and status compare against); Docker's API is given the familiar form
// (`busybox:latest`, `skiff/busybox:v1`), the one its RepoTags use.

const defaultDomain = 'docker.io';
const officialRepoPrefix = 'library/';
const defaultTag = 'latest';

/** The parts of a reference: domain, repository path, and optional tag and digest. */
export interface ImageReference {
  domain: string;
  path: string;
  tag: string;
  digest: string;
}

/** True when `ref` names an image by its ID (`sha256:<64 hex>` or a bare 64-hex ID) rather than by name. */
export function isImageId(ref: string): boolean {
  return /^(sha256:)?[0-9a-f]{64}$/.test(ref);
}

/** Splits a reference into domain, path, tag and digest, filling Docker's defaults. */
export function parseImageReference(ref: string): ImageReference {
  let rest = ref.trim();
  if (rest === '') throw new Error('empty image reference');
  let digest = '';
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag = '';
  const lastSlash = rest.lastIndexOf('/');
  const lastColon = rest.lastIndexOf(':');
  // A colon after the last slash is a tag; one before it belongs to a registry host:port.
  if (lastColon > lastSlash) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
  }
  let domain = defaultDomain;
  const firstSlash = rest.indexOf('/');
  if (firstSlash >= 0) {
    const first = rest.slice(0, firstSlash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      domain = first;
      rest = rest.slice(firstSlash + 1);
    }
  }
  if (domain === 'index.docker.io') domain = defaultDomain;
  let path = rest;
  if (domain === defaultDomain && !path.includes('/')) path = officialRepoPrefix + path;
  if (!/^[a-z0-9]+(?:[._-]+[a-z0-9]+|__)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(path)) {
    throw new Error(`invalid image reference "${ref}"`);
  }
  if (!tag && !digest) tag = defaultTag;
  return { domain, path, tag, digest };
}

function render(domain: string, path: string, r: ImageReference): string {
  const name = domain ? `${domain}/${path}` : path;
  return name + (r.tag ? `:${r.tag}` : '') + (r.digest ? `@${r.digest}` : '');
}

/** The fully qualified form: `busybox` → `docker.io/library/busybox:latest`. IDs are returned unchanged. */
export function normalizeImageRef(ref: string): string {
  if (isImageId(ref)) return ref.startsWith('sha256:') ? ref : `sha256:${ref}`;
  const r = parseImageReference(ref);
  return render(r.domain, r.path, r);
}

/** The familiar (Docker CLI) form: `docker.io/library/busybox:latest` → `busybox:latest`. */
export function familiarImageRef(ref: string): string {
  if (isImageId(ref)) return ref.startsWith('sha256:') ? ref : `sha256:${ref}`;
  const r = parseImageReference(ref);
  if (r.domain !== defaultDomain) return render(r.domain, r.path, r);
  const path = r.path.startsWith(officialRepoPrefix) ? r.path.slice(officialRepoPrefix.length) : r.path;
  return render('', path, r);
}

/** The repository name without tag or digest, fully qualified: used to match RepoDigests. */
export function repositoryOf(ref: string): string {
  const r = parseImageReference(ref);
  return `${r.domain}/${r.path}`;
}

/** The registry host a reference pulls from (`docker.io` for Docker Hub), for an auth config's server address. */
export function registryOf(ref: string): string {
  return parseImageReference(ref).domain;
}
