// Docker container states → CRI states, as cri-dockerd maps them, plus the reason the kubelet shows
// (`Completed` / `Error` / `OOMKilled`: the kubelet relies on the last being spelled exactly so).
import { timestampToNanos } from './cri-log.js';

export type CriContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';
export type CriSandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';

/** The fields of Docker's `State` (container inspect) that the mapping reads. */
export interface DockerState {
  Status: string;
  ExitCode: number;
  Error: string;
  OOMKilled: boolean;
  StartedAt: string;
  FinishedAt: string;
}

/** The CRI view of a container's state. Times are nanoseconds since the epoch, as decimal strings. */
export interface CriStateView {
  state: CriContainerState;
  exit_code: number;
  started_at: string;
  finished_at: string;
  reason: string;
  message: string;
}

/** The CRI state for a Docker status string (`docker ps` gives only this). */
export function criStateOfStatus(status: string): CriContainerState {
  switch (status) {
    case 'created': return 'CONTAINER_CREATED';
    case 'running':
    case 'paused':
    case 'restarting': return 'CONTAINER_RUNNING';
    case 'exited':
    case 'dead': return 'CONTAINER_EXITED';
    default: return 'CONTAINER_UNKNOWN';
  }
}

/** The full CRI state view of an inspected container. */
export function criStateView(s: DockerState): CriStateView {
  let state = criStateOfStatus(s.Status);
  // A container Docker failed to start stays "created" but carries the error: it did run, and failed.
  if (state === 'CONTAINER_CREATED' && s.Error) state = 'CONTAINER_EXITED';
  const started = timestampToNanos(s.StartedAt);
  const finished = timestampToNanos(s.FinishedAt);
  const view: CriStateView = {
    state,
    exit_code: 0,
    started_at: started.toString(),
    finished_at: '0',
    reason: '',
    message: s.Error ?? '',
  };
  if (state !== 'CONTAINER_EXITED') return view;
  view.exit_code = s.ExitCode;
  view.finished_at = (finished > 0n ? finished : started).toString();
  if (s.OOMKilled) view.reason = 'OOMKilled';
  else if (s.Error && s.Status === 'created') view.reason = 'ContainerCannotRun';
  else view.reason = s.ExitCode === 0 ? 'Completed' : 'Error';
  return view;
}

/** A sandbox is ready while its pause container runs. */
export function sandboxStateOfStatus(status: string): CriSandboxState {
  return status === 'running' ? 'SANDBOX_READY' : 'SANDBOX_NOTREADY';
}
