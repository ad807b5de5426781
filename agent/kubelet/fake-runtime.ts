// An in-memory CRI runtime for the kubelet's unit tests: sandboxes and containers with states and times from
// a Clock, label filters as the CRI defines them, a call log to assert ordering, and hooks to make started
// containers exit, exec commands answer, and pulls fail.
import type { Clock } from '../../client/index.js';
import type * as T from '../cri/types.js';
import type { Runtime } from './runtime.js';

type Req<X> = T.DeepPartial<X>;

export interface FakeSandbox {
  id: string;
  config: Req<T.PodSandboxConfig>;
  state: T.PodSandboxState;
  createdAtMs: number;
  ip: string;
}

export interface FakeContainer {
  id: string;
  sandboxId: string;
  config: Req<T.ContainerConfig>;
  name: string;
  attempt: number;
  state: T.ContainerState;
  createdAtMs: number;
  startedAtMs: number;
  finishedAtMs: number;
  exitCode: number;
}

function labelsMatch(labels: Record<string, string | null | undefined> | null | undefined, sel: Record<string, string | null | undefined> | null | undefined): boolean {
  return Object.entries(sel ?? {}).every(([k, v]) => labels?.[k] === v);
}

const ns = (ms: number): string => (BigInt(ms) * 1_000_000n).toString();

export class FakeRuntime implements Runtime {
  readonly sandboxes = new Map<string, FakeSandbox>();
  readonly containers = new Map<string, FakeContainer>();
  readonly images = new Set<string>(['skiff/pause:v1', 'skiff/busybox:v1']);
  /** Images whose pull fails. */
  readonly unpullable = new Set<string>();
  /** Every call, e.g. `RunPodSandbox web`, `CreateContainer app#0`, `StartContainer app#0`, `StopContainer app#0`. */
  readonly calls: string[] = [];
  /** Exit code for a container right after it starts (undefined: it keeps running). */
  onStart: (c: FakeContainer) => number | undefined = () => undefined;
  /** Exit code of an ExecSync. */
  onExec: (c: FakeContainer, cmd: string[]) => number = () => 0;
  /** The pod CIDR from the last UpdateRuntimeConfig; sandboxes then get IPs from it (else 172.17.0.x). */
  podCIDR: string | undefined;
  private seq = 0;
  private ipSeq = 2;

  constructor(private readonly clock: Clock) {}

  private tag(c: FakeContainer): string {
    return `${c.name}#${c.attempt}`;
  }

  private mustContainer(id: string | null | undefined): FakeContainer {
    const c = this.containers.get(id ?? '');
    if (!c) throw Object.assign(new Error(`container ${id ?? ''} not found`), { code: 5 });
    return c;
  }

  /** Makes a running container exit now with `exitCode`. */
  exit(c: FakeContainer, exitCode: number): void {
    c.state = 'CONTAINER_EXITED';
    c.exitCode = exitCode;
    c.finishedAtMs = this.clock.now();
  }

  /** Containers of a pod uid (by the kubelet's label), oldest first. */
  podContainers(uid: string): FakeContainer[] {
    return [...this.containers.values()].filter((c) => c.config.labels?.['io.kubernetes.pod.uid'] === uid);
  }

  async version(): Promise<T.VersionResponse> {
    return { version: '0.1.0', runtime_name: 'docker', runtime_version: '27.0.0-fake', runtime_api_version: 'v1' };
  }

  async updateRuntimeConfig(req: Req<T.UpdateRuntimeConfigRequest>): Promise<T.Empty> {
    const cidr = req.runtime_config?.network_config?.pod_cidr ?? '';
    this.calls.push(`UpdateRuntimeConfig ${cidr}`);
    if (cidr) this.podCIDR = cidr;
    return {};
  }

  /** The next sandbox IP: host .2, .3, ... of the pod CIDR's first /24 (or of 172.17.0.0/24 without one). */
  private nextIP(): string {
    const prefix = (this.podCIDR ?? '172.17.0.0/24').split('/')[0]!.split('.').slice(0, 3).join('.');
    return `${prefix}.${this.ipSeq++}`;
  }

  async runPodSandbox(req: Req<T.RunPodSandboxRequest>): Promise<T.RunPodSandboxResponse> {
    const id = `sb${++this.seq}`;
    this.sandboxes.set(id, { id, config: req.config ?? {}, state: 'SANDBOX_READY', createdAtMs: this.clock.now(), ip: this.nextIP() });
    this.calls.push(`RunPodSandbox ${req.config?.metadata?.name ?? ''}`);
    return { pod_sandbox_id: id };
  }

  async stopPodSandbox(req: Req<T.PodSandboxIdRequest>): Promise<T.Empty> {
    const s = this.sandboxes.get(req.pod_sandbox_id ?? '');
    if (s) {
      s.state = 'SANDBOX_NOTREADY';
      for (const c of this.containers.values()) if (c.sandboxId === s.id && c.state === 'CONTAINER_RUNNING') this.exit(c, 137);
    }
    this.calls.push(`StopPodSandbox ${s?.config.metadata?.name ?? ''}`);
    return {};
  }

  async removePodSandbox(req: Req<T.PodSandboxIdRequest>): Promise<T.Empty> {
    const s = this.sandboxes.get(req.pod_sandbox_id ?? '');
    this.sandboxes.delete(req.pod_sandbox_id ?? '');
    for (const c of [...this.containers.values()]) if (c.sandboxId === req.pod_sandbox_id) this.containers.delete(c.id);
    this.calls.push(`RemovePodSandbox ${s?.config.metadata?.name ?? ''}`);
    return {};
  }

  async podSandboxStatus(req: Req<T.PodSandboxStatusRequest>): Promise<T.PodSandboxStatusResponse> {
    const s = this.sandboxes.get(req.pod_sandbox_id ?? '');
    if (!s) throw Object.assign(new Error('sandbox not found'), { code: 5 });
    const m = s.config.metadata;
    return {
      status: {
        id: s.id,
        metadata: { name: m?.name ?? '', namespace: m?.namespace ?? '', uid: m?.uid ?? '', attempt: m?.attempt ?? 0 },
        state: s.state,
        created_at: ns(s.createdAtMs),
        network: { ip: s.state === 'SANDBOX_READY' ? s.ip : '', additional_ips: [] },
        linux: null,
        labels: (s.config.labels ?? {}) as Record<string, string>,
        annotations: {},
        runtime_handler: '',
      },
      info: {},
      containers_statuses: [],
      timestamp: ns(this.clock.now()),
    };
  }

  async listPodSandbox(req: Req<T.ListPodSandboxRequest> = {}): Promise<T.ListPodSandboxResponse> {
    const items = [...this.sandboxes.values()]
      .filter((s) => labelsMatch(s.config.labels, req.filter?.label_selector))
      .map((s) => {
        const m = s.config.metadata;
        return {
          id: s.id,
          metadata: { name: m?.name ?? '', namespace: m?.namespace ?? '', uid: m?.uid ?? '', attempt: m?.attempt ?? 0 },
          state: s.state,
          created_at: ns(s.createdAtMs),
          labels: (s.config.labels ?? {}) as Record<string, string>,
          annotations: {},
          runtime_handler: '',
        };
      });
    return { items };
  }

  async createContainer(req: Req<T.CreateContainerRequest>): Promise<T.CreateContainerResponse> {
    const id = `c${++this.seq}`;
    const cfg = req.config ?? {};
    const c: FakeContainer = {
      id,
      sandboxId: req.pod_sandbox_id ?? '',
      config: cfg,
      name: cfg.metadata?.name ?? '',
      attempt: cfg.metadata?.attempt ?? 0,
      state: 'CONTAINER_CREATED',
      createdAtMs: this.clock.now(),
      startedAtMs: 0,
      finishedAtMs: 0,
      exitCode: 0,
    };
    this.containers.set(id, c);
    this.calls.push(`CreateContainer ${this.tag(c)}`);
    return { container_id: id };
  }

  async startContainer(req: Req<T.ContainerIdRequest>): Promise<T.Empty> {
    const c = this.mustContainer(req.container_id);
    c.state = 'CONTAINER_RUNNING';
    c.startedAtMs = this.clock.now();
    this.calls.push(`StartContainer ${this.tag(c)}`);
    const code = this.onStart(c);
    if (code !== undefined) this.exit(c, code);
    return {};
  }

  async stopContainer(req: Req<T.StopContainerRequest>): Promise<T.Empty> {
    const c = this.mustContainer(req.container_id);
    if (c.state === 'CONTAINER_RUNNING') this.exit(c, 137);
    this.calls.push(`StopContainer ${this.tag(c)} timeout=${String(req.timeout ?? 0)}`);
    return {};
  }

  async removeContainer(req: Req<T.ContainerIdRequest>): Promise<T.Empty> {
    const c = this.containers.get(req.container_id ?? '');
    this.containers.delete(req.container_id ?? '');
    if (c) this.calls.push(`RemoveContainer ${this.tag(c)}`);
    return {};
  }

  async listContainers(req: Req<T.ListContainersRequest> = {}): Promise<T.ListContainersResponse> {
    const containers = [...this.containers.values()]
      .filter((c) => labelsMatch(c.config.labels, req.filter?.label_selector))
      .map((c) => ({
        id: c.id,
        pod_sandbox_id: c.sandboxId,
        metadata: { name: c.name, attempt: c.attempt },
        image: { image: c.config.image?.image ?? '', annotations: {}, user_specified_image: '', runtime_handler: '' },
        image_ref: `sha256:${c.config.image?.image ?? ''}`,
        state: c.state,
        created_at: ns(c.createdAtMs),
        labels: (c.config.labels ?? {}) as Record<string, string>,
        annotations: {},
        image_id: '',
      }));
    return { containers };
  }

  async containerStatus(req: Req<T.ContainerStatusRequest>): Promise<T.ContainerStatusResponse> {
    const c = this.mustContainer(req.container_id);
    return {
      status: {
        id: c.id,
        metadata: { name: c.name, attempt: c.attempt },
        state: c.state,
        created_at: ns(c.createdAtMs),
        started_at: ns(c.startedAtMs),
        finished_at: ns(c.finishedAtMs),
        exit_code: c.exitCode,
        image: null,
        image_ref: `sha256:${c.config.image?.image ?? ''}`,
        reason: c.state === 'CONTAINER_EXITED' ? (c.exitCode === 0 ? 'Completed' : 'Error') : '',
        message: '',
        labels: (c.config.labels ?? {}) as Record<string, string>,
        annotations: {},
        mounts: [],
        log_path: '',
        image_id: '',
      },
      info: {},
    };
  }

  async execSync(req: Req<T.ExecSyncRequest>): Promise<T.ExecSyncResponse> {
    const c = this.mustContainer(req.container_id);
    const cmd = (req.cmd ?? []).map(String);
    this.calls.push(`ExecSync ${this.tag(c)} ${cmd.join(' ')}`);
    return { stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), exit_code: this.onExec(c, cmd) };
  }

  // Streaming URLs point nowhere: unit tests check that the kubelet asks for the right container; the
  // streams themselves are tested against the real CRI.
  async exec(req: Req<T.ExecRequest>): Promise<T.UrlResponse> {
    const c = this.mustContainer(req.container_id);
    this.calls.push(`Exec ${this.tag(c)} ${(req.cmd ?? []).map(String).join(' ')}`);
    return { url: `http://fake.invalid/exec/${c.id}` };
  }

  async attach(req: Req<T.AttachRequest>): Promise<T.UrlResponse> {
    const c = this.mustContainer(req.container_id);
    this.calls.push(`Attach ${this.tag(c)}`);
    return { url: `http://fake.invalid/attach/${c.id}` };
  }

  async portForward(req: Req<T.PortForwardRequest>): Promise<T.UrlResponse> {
    this.calls.push(`PortForward ${req.pod_sandbox_id ?? ''}`);
    return { url: `http://fake.invalid/portforward/${req.pod_sandbox_id ?? ''}` };
  }

  async imageStatus(req: Req<T.ImageStatusRequest>): Promise<T.ImageStatusResponse> {
    const image = req.image?.image ?? '';
    if (!this.images.has(image)) return { image: null, info: {} };
    return { image: { id: `sha256:${image}`, repo_tags: [image], repo_digests: [], size: '0', uid: null, username: '', spec: null, pinned: false }, info: {} };
  }

  async pullImage(req: Req<T.PullImageRequest>): Promise<T.PullImageResponse> {
    const image = req.image?.image ?? '';
    this.calls.push(`PullImage ${image}`);
    if (this.unpullable.has(image)) throw new Error(`pull access denied for ${image}`);
    this.images.add(image);
    return { image_ref: `sha256:${image}` };
  }
}
