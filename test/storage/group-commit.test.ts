import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroupCommitter } from '../../control-plane/storage/group-commit.js';

describe('GroupCommitter', () => {
  let db: Database.Database;
  let batches: number;
  let commits: number;
  let committer: GroupCommitter;

  beforeEach(() => {
    db = new Database(':memory:');
    db.exec('CREATE TABLE t (v INTEGER NOT NULL UNIQUE)');
    batches = 0;
    commits = 0;
    committer = new GroupCommitter(db, {
      beforeBatch: () => batches++,
      afterCommit: () => commits++,
      afterRollback: () => {},
    });
  });

  afterEach(() => db.close());

  const insert = (v: number) => () => db.prepare('INSERT INTO t (v) VALUES (?)').run(v).changes;
  const values = (): number[] => db.prepare<[], { v: number }>('SELECT v FROM t ORDER BY v').all().map((r) => r.v);

  it('commits writes issued in the same turn as one transaction', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => committer.run(insert(i))));
    expect(results).toEqual(Array.from({ length: 50 }, () => 1));
    expect(batches).toBe(1);
    expect(commits).toBe(1);
    expect(values()).toHaveLength(50);
  });

  it('rejects only the failing write and rolls back only its changes', async () => {
    const failing = (): number => {
      db.prepare('INSERT INTO t (v) VALUES (?)').run(100);
      throw new Error('conflict');
    };
    const outcomes = await Promise.allSettled([committer.run(insert(1)), committer.run(failing), committer.run(insert(2))]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(values()).toEqual([1, 2]);
    expect(batches).toBe(1);
  });

  it('starts a new batch for writes issued after a commit, and flushed() waits for all of them', async () => {
    await committer.run(insert(1));
    const later = committer.run(insert(2));
    await committer.flushed();
    expect(values()).toEqual([1, 2]);
    await later;
    expect(batches).toBe(2);
  });

  it('splits a burst larger than the batch bound into several transactions', async () => {
    const small = new GroupCommitter(db, { beforeBatch: () => batches++, afterCommit: () => {}, afterRollback: () => {} }, 10);
    await Promise.all(Array.from({ length: 25 }, (_, i) => small.run(insert(i))));
    expect(batches).toBe(3);
    expect(values()).toHaveLength(25);
  });
});
