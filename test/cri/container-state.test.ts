import { describe, expect, it } from 'vitest';
import { criStateOfStatus, criStateView, sandboxStateOfStatus } from '../../agent/cri/container-state.js';

const zero = '0001-01-01T00:00:00Z';
const started = '2024-05-01T10:00:00.000000001Z';
const finished = '2024-05-01T10:00:05.5Z';

describe('Docker → CRI container state', () => {
  it.each([
    ['created', 'CONTAINER_CREATED'],
    ['running', 'CONTAINER_RUNNING'],
    ['paused', 'CONTAINER_RUNNING'],
    ['restarting', 'CONTAINER_RUNNING'],
    ['exited', 'CONTAINER_EXITED'],
    ['dead', 'CONTAINER_EXITED'],
    ['removing', 'CONTAINER_UNKNOWN'],
    ['', 'CONTAINER_UNKNOWN'],
  ])('%s → %s', (status, state) => {
    expect(criStateOfStatus(status)).toBe(state);
  });

  it.each([
    [{ Status: 'running', ExitCode: 0, Error: '', OOMKilled: false, StartedAt: started, FinishedAt: zero },
      { state: 'CONTAINER_RUNNING', exit_code: 0, reason: '', started_at: '1714557600000000001', finished_at: '0' }],
    [{ Status: 'exited', ExitCode: 0, Error: '', OOMKilled: false, StartedAt: started, FinishedAt: finished },
      { state: 'CONTAINER_EXITED', exit_code: 0, reason: 'Completed', finished_at: '1714557605500000000' }],
    [{ Status: 'exited', ExitCode: 2, Error: '', OOMKilled: false, StartedAt: started, FinishedAt: finished },
      { state: 'CONTAINER_EXITED', exit_code: 2, reason: 'Error' }],
    [{ Status: 'exited', ExitCode: 137, Error: '', OOMKilled: true, StartedAt: started, FinishedAt: finished },
      { state: 'CONTAINER_EXITED', exit_code: 137, reason: 'OOMKilled' }],
    [{ Status: 'created', ExitCode: 127, Error: 'exec: "nope": executable file not found', OOMKilled: false, StartedAt: zero, FinishedAt: zero },
      { state: 'CONTAINER_EXITED', exit_code: 127, reason: 'ContainerCannotRun', message: 'exec: "nope": executable file not found' }],
    [{ Status: 'created', ExitCode: 0, Error: '', OOMKilled: false, StartedAt: zero, FinishedAt: zero },
      { state: 'CONTAINER_CREATED', exit_code: 0, reason: '', started_at: '0', finished_at: '0' }],
  ])('%j', (docker, want) => {
    expect(criStateView(docker)).toMatchObject(want);
  });

  it('a sandbox is ready only while its pause container runs', () => {
    expect(sandboxStateOfStatus('running')).toBe('SANDBOX_READY');
    expect(sandboxStateOfStatus('exited')).toBe('SANDBOX_NOTREADY');
    expect(sandboxStateOfStatus('created')).toBe('SANDBOX_NOTREADY');
  });
});
