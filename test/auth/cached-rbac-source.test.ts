// The watch-fed RBAC cache: answers without store reads once synced, follows writes through the watch, and
// reads the store while a kind's watch is broken until it has listed again.
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/object.js';
import type { ResourceInfo } from '../../api/resources.js';
import { RbacAuthorizer, cachedRbacSource, type CachedRbacSource } from '../../control-plane/auth/index.js';
import type { ListOptions, ListResult, StoredObject, StoreWatch, StoreWatchHandlers, WatchOptions } from '../../control-plane/storage/store.js';
import { MemoryStore } from '../apiserver/memory-store.js';
import { eventually } from '../support/eventually.js';

const rbacRow = (kind: string, plural: string, namespaced: boolean): ResourceInfo => ({
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind,
  plural,
  singular: kind.toLowerCase(),
  namespaced,
  shortNames: [],
  categories: [],
  subresources: [],
  verbs: [],
});
const rows = [
  rbacRow('Role', 'roles', true),
  rbacRow('ClusterRole', 'clusterroles', false),
  rbacRow('RoleBinding', 'rolebindings', true),
  rbacRow('ClusterRoleBinding', 'clusterrolebindings', false),
];
const lookup = (plural: string): ResourceInfo | undefined => rows.find((r) => r.plural === plural);

/** A MemoryStore that counts reads and lets the test break the watches it handed out. */
class CountingStore extends MemoryStore {
  reads = 0;
  readonly watchHandlers: StoreWatchHandlers[] = [];

  override get<T extends KubeObject>(key: string): Promise<StoredObject<T> | undefined> {
    this.reads++;
    return super.get<T>(key);
  }

  override list<T extends KubeObject>(prefix: string, options?: ListOptions): Promise<ListResult<T>> {
    this.reads++;
    return super.list<T>(prefix, options);
  }

  override watch<T extends KubeObject>(prefix: string, options: WatchOptions, handlers: StoreWatchHandlers<T>): StoreWatch {
    this.watchHandlers.push(handlers as unknown as StoreWatchHandlers);
    return super.watch(prefix, options, handlers);
  }
}

const carol = { name: 'carol', groups: ['system:authenticated'] };
const listPodsInTeam = { user: carol, verb: 'list', resource: 'pods', apiGroup: '', namespace: 'team' };

async function grantCarol(store: MemoryStore): Promise<void> {
  await store.create('/registry/roles.rbac.authorization.k8s.io/team/reader', {
    metadata: { namespace: 'team', name: 'reader' },
    rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }],
  });
  await store.create('/registry/rolebindings.rbac.authorization.k8s.io/team/carol', {
    metadata: { namespace: 'team', name: 'carol' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
    subjects: [{ kind: 'User', name: 'carol' }],
  });
}

describe('cachedRbacSource', () => {
  let source: CachedRbacSource | undefined;
  afterEach(() => source?.stop());

  it('answers from memory once synced: no store read per authorization', async () => {
    const store = new CountingStore();
    await grantCarol(store);
    source = cachedRbacSource(store, { lookup });
    await eventually('the four watches', () => store.watchHandlers.length === 4, 5000, 10);
    const rbac = new RbacAuthorizer(source);
    const before = store.reads;
    for (let i = 0; i < 5; i++) expect((await rbac.decide(listPodsInTeam)).decision).toBe('allow');
    expect((await rbac.decide({ ...listPodsInTeam, namespace: 'other' })).decision).toBe('noOpinion');
    expect(store.reads).toBe(before);
  });

  it('follows creates and deletes through the watch', async () => {
    const store = new CountingStore();
    source = cachedRbacSource(store, { lookup });
    await eventually('the four watches', () => store.watchHandlers.length === 4, 5000, 10);
    const rbac = new RbacAuthorizer(source);
    expect((await rbac.decide(listPodsInTeam)).decision).toBe('noOpinion');
    await grantCarol(store);
    expect((await rbac.decide(listPodsInTeam)).decision).toBe('allow');
    await store.delete('/registry/rolebindings.rbac.authorization.k8s.io/team/carol');
    expect((await rbac.decide(listPodsInTeam)).decision).toBe('noOpinion');
  });

  it('reads the store while a watch is broken, then resyncs', async () => {
    const store = new CountingStore();
    await grantCarol(store);
    source = cachedRbacSource(store, { lookup });
    await eventually('the four watches', () => store.watchHandlers.length === 4, 5000, 10);
    for (const h of store.watchHandlers.splice(0)) h.onError(new Error('backend lost'));
    const rbac = new RbacAuthorizer(source);
    const before = store.reads;
    expect((await rbac.decide(listPodsInTeam)).decision).toBe('allow');
    expect(store.reads).toBeGreaterThan(before);
    await eventually('the watches re-established', () => store.watchHandlers.length === 4, 10_000, 50);
    const after = store.reads;
    expect((await rbac.decide(listPodsInTeam)).decision).toBe('allow');
    expect(store.reads).toBe(after);
  });

  it('refuses to start when the RBAC kinds are not registered', () => {
    expect(() => cachedRbacSource(new MemoryStore(), { lookup: () => undefined })).toThrow(/register the RBAC kinds first/);
  });
});
