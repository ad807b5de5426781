// A binary heap keyed by string with in-place update and removal (upstream's internal/heap), for the
// active and back-off queues.

export class KeyedHeap<T> {
  private items: Array<{ key: string; value: T }> = [];
  private readonly index = new Map<string, number>();

  /** `less(a, b)` true when a comes out first. */
  constructor(private readonly less: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  has(key: string): boolean {
    return this.index.has(key);
  }

  get(key: string): T | undefined {
    const i = this.index.get(key);
    return i === undefined ? undefined : this.items[i]?.value;
  }

  /** Adds, or replaces the value under `key` and restores heap order. */
  set(key: string, value: T): void {
    const i = this.index.get(key);
    if (i !== undefined) {
      this.items[i] = { key, value };
      this.fix(i);
      return;
    }
    this.items.push({ key, value });
    this.index.set(key, this.items.length - 1);
    this.up(this.items.length - 1);
  }

  peek(): T | undefined {
    return this.items[0]?.value;
  }

  pop(): T | undefined {
    const top = this.items[0];
    if (!top) return undefined;
    this.removeAt(0);
    return top.value;
  }

  delete(key: string): T | undefined {
    const i = this.index.get(key);
    if (i === undefined) return undefined;
    const value = this.items[i]?.value;
    this.removeAt(i);
    return value;
  }

  values(): T[] {
    return this.items.map((e) => e.value);
  }

  private removeAt(i: number): void {
    const last = this.items.length - 1;
    const removed = this.items[i];
    if (removed) this.index.delete(removed.key);
    if (i !== last) {
      const moved = this.items[last] as { key: string; value: T };
      this.items[i] = moved;
      this.index.set(moved.key, i);
    }
    this.items.pop();
    if (i < this.items.length) this.fix(i);
  }

  private fix(i: number): void {
    this.up(i);
    this.down(i);
  }

  private lessAt(i: number, j: number): boolean {
    return this.less((this.items[i] as { value: T }).value, (this.items[j] as { value: T }).value);
  }

  private swap(i: number, j: number): void {
    const a = this.items[i] as { key: string; value: T };
    const b = this.items[j] as { key: string; value: T };
    this.items[i] = b;
    this.items[j] = a;
    this.index.set(b.key, i);
    this.index.set(a.key, j);
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.lessAt(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const n = this.items.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < n && this.lessAt(l, best)) best = l;
      if (r < n && this.lessAt(r, best)) best = r;
      if (best === i) return;
      this.swap(i, best);
      i = best;
    }
  }
}
