/** One waiting key of a {@link DelayHeap}: the key and when it becomes ready (epoch ms). */
export interface DelayedKey {
  readonly key: string;
  readonly readyAt: number;
}

/**
 * A min-heap of keys by ready time with at most one entry per key, as client-go's delaying queue
 * keeps it: scheduling a key that is already waiting keeps the earlier of the two times
 * (`schedule('a', 50)` then `schedule('a', 20)` → ready at 20; then `schedule('a', 90)` → still 20).
 */
export class DelayHeap {
  readonly #entries: { key: string; readyAt: number }[] = [];
  readonly #index = new Map<string, number>();

  /** Number of waiting keys. */
  get size(): number {
    return this.#entries.length;
  }

  /** Returns true when `key` was added or moved earlier, false when it already waits as long or less. */
  schedule(key: string, readyAt: number): boolean {
    const at = this.#index.get(key);
    if (at === undefined) {
      this.#entries.push({ key, readyAt });
      this.#index.set(key, this.#entries.length - 1);
      this.#up(this.#entries.length - 1);
      return true;
    }
    const entry = this.#entries[at];
    if (entry === undefined || entry.readyAt <= readyAt) return false;
    entry.readyAt = readyAt;
    this.#up(at);
    return true;
  }

  /** Returns the earliest entry without removing it, or undefined when empty. */
  peek(): DelayedKey | undefined {
    return this.#entries[0];
  }

  /** Removes and returns the earliest entry, or undefined when empty. */
  pop(): DelayedKey | undefined {
    const top = this.#entries[0];
    const last = this.#entries.pop();
    if (top === undefined || last === undefined) return undefined;
    this.#index.delete(top.key);
    if (last !== top) {
      this.#entries[0] = last;
      this.#index.set(last.key, 0);
      this.#down(0);
    }
    return top;
  }

  /** Removes every entry. */
  clear(): void {
    this.#entries.length = 0;
    this.#index.clear();
  }

  #up(start: number): void {
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(i, parent)) return;
      this.#swap(i, parent);
      i = parent;
    }
  }

  #down(start: number): void {
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < this.#entries.length && this.#less(left, smallest)) smallest = left;
      if (right < this.#entries.length && this.#less(right, smallest)) smallest = right;
      if (smallest === i) return;
      this.#swap(i, smallest);
      i = smallest;
    }
  }

  #less(a: number, b: number): boolean {
    return (this.#entries[a]?.readyAt ?? Infinity) < (this.#entries[b]?.readyAt ?? Infinity);
  }

  #swap(a: number, b: number): void {
    const ea = this.#entries[a];
    const eb = this.#entries[b];
    if (ea === undefined || eb === undefined) return;
    this.#entries[a] = eb;
    this.#entries[b] = ea;
    this.#index.set(eb.key, a);
    this.#index.set(ea.key, b);
  }
}
