import { describe, expect, it } from 'vitest';
import { matchesContainerFilter, matchesLabelSelector, matchesSandboxFilter } from '../../agent/cri/filters.js';

const sandbox = { id: 'abcdef123', state: 'SANDBOX_READY', labels: { app: 'web', tier: 'front' } };
const container = { id: 'c0ffee42', state: 'CONTAINER_RUNNING', pod_sandbox_id: 'abcdef123', labels: { app: 'web' } };

describe('CRI list filters', () => {
  it.each([
    [null, true],
    [{}, true],
    [{ id: 'abcdef123' }, true],
    [{ id: 'abc' }, true],
    [{ id: 'xyz' }, false],
    [{ state: { state: 'SANDBOX_READY' } }, true],
    [{ state: { state: 'SANDBOX_NOTREADY' } }, false],
    [{ label_selector: { app: 'web' } }, true],
    [{ label_selector: { app: 'web', tier: 'back' } }, false],
    [{ id: 'abc', state: { state: 'SANDBOX_READY' }, label_selector: { tier: 'front' } }, true],
  ])('sandbox filter %j → %s', (filter, want) => {
    expect(matchesSandboxFilter(sandbox, filter)).toBe(want);
  });

  it.each([
    [null, true],
    [{ pod_sandbox_id: 'abcdef123' }, true],
    [{ pod_sandbox_id: 'abc' }, true],
    [{ pod_sandbox_id: 'other' }, false],
    [{ state: { state: 'CONTAINER_EXITED' } }, false],
    [{ id: 'c0f', state: { state: 'CONTAINER_RUNNING' } }, true],
    [{ label_selector: { app: 'db' } }, false],
  ])('container filter %j → %s', (filter, want) => {
    expect(matchesContainerFilter(container, filter)).toBe(want);
  });

  it('an empty selector matches everything, a key with an empty value must be present', () => {
    expect(matchesLabelSelector({}, {})).toBe(true);
    expect(matchesLabelSelector({ a: '' }, { a: '' })).toBe(true);
    expect(matchesLabelSelector({}, { a: '' })).toBe(false);
  });
});
