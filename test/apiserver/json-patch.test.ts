import { describe, expect, it } from 'vitest';
import { applyJsonPatch } from '../../control-plane/apiserver/patch/json-patch.js';

const doc = { a: { b: 1, list: ['x', 'y'] }, 'sl/ash': 1, 'til~de': 2 };

describe('applyJsonPatch (RFC 6902)', () => {
  const cases: { name: string; patch: unknown; want?: unknown; error?: number }[] = [
    { name: 'adds a member', patch: [{ op: 'add', path: '/a/c', value: 3 }], want: { ...doc, a: { ...doc.a, c: 3 } } },
    { name: 'adds into an array at an index', patch: [{ op: 'add', path: '/a/list/1', value: 'q' }], want: { ...doc, a: { ...doc.a, list: ['x', 'q', 'y'] } } },
    { name: 'appends with -', patch: [{ op: 'add', path: '/a/list/-', value: 'z' }], want: { ...doc, a: { ...doc.a, list: ['x', 'y', 'z'] } } },
    { name: 'removes a member', patch: [{ op: 'remove', path: '/a/b' }], want: { ...doc, a: { list: ['x', 'y'] } } },
    { name: 'removes an array element', patch: [{ op: 'remove', path: '/a/list/0' }], want: { ...doc, a: { ...doc.a, list: ['y'] } } },
    { name: 'replaces a value', patch: [{ op: 'replace', path: '/a/b', value: 9 }], want: { ...doc, a: { ...doc.a, b: 9 } } },
    { name: 'moves a value', patch: [{ op: 'move', from: '/a/b', path: '/moved' }], want: { ...doc, a: { list: ['x', 'y'] }, moved: 1 } },
    { name: 'copies a value', patch: [{ op: 'copy', from: '/a/list', path: '/copy' }], want: { ...doc, copy: ['x', 'y'] } },
    { name: 'passes a matching test', patch: [{ op: 'test', path: '/a/list', value: ['x', 'y'] }], want: doc },
    { name: 'unescapes ~1 and ~0', patch: [{ op: 'replace', path: '/sl~1ash', value: 5 }, { op: 'remove', path: '/til~0de' }], want: { a: doc.a, 'sl/ash': 5 } },
    { name: 'replaces the whole document', patch: [{ op: 'replace', path: '', value: { z: 1 } }], want: { z: 1 } },
    { name: 'fails a test that does not match with 422', patch: [{ op: 'test', path: '/a/b', value: 2 }], error: 422 },
    { name: 'fails replacing a missing path with 422', patch: [{ op: 'replace', path: '/nope', value: 1 }], error: 422 },
    { name: 'fails removing a missing member with 422', patch: [{ op: 'remove', path: '/a/nope' }], error: 422 },
    { name: 'fails an out-of-range index with 422', patch: [{ op: 'add', path: '/a/list/5', value: 1 }], error: 422 },
    { name: 'rejects a non-array patch with 400', patch: { op: 'add' }, error: 400 },
    { name: 'rejects an unknown op with 400', patch: [{ op: 'frobnicate', path: '/a' }], error: 400 },
    { name: 'rejects a missing value with 400', patch: [{ op: 'add', path: '/a/x' }], error: 400 },
    { name: 'rejects a pointer without a leading slash with 400', patch: [{ op: 'add', path: 'a', value: 1 }], error: 400 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      if (c.error !== undefined) {
        expect(() => applyJsonPatch(doc, c.patch)).toThrow(expect.objectContaining({ code: c.error }));
      } else {
        expect(applyJsonPatch(doc, c.patch)).toEqual(c.want);
      }
    });
  }

  it('leaves the original untouched when a later operation fails', () => {
    const original = structuredClone(doc);
    expect(() => applyJsonPatch(original, [{ op: 'add', path: '/a/c', value: 1 }, { op: 'test', path: '/a/b', value: 0 }])).toThrow();
    expect(original).toEqual(doc);
  });
});
