// A small LRU map (insertion order of a Map is recency order).

export class Lru {
  /**
   * @param {number} maxEntries
   * @param {{maxBytes?: number, sizeOf?: (key: string, value: any) => number}} [budget]
   *   with `sizeOf`, the entries' total size also stays within `maxBytes` (oldest evicted first)
   */
  constructor(maxEntries, budget = {}) {
    this.max = maxEntries;
    this.maxBytes = budget.maxBytes ?? Infinity;
    this.sizeOf = budget.sizeOf ?? null;
    this.bytes = 0;
    /** @type {Map<string, any>} */
    this.map = new Map();
  }

  /** @param {string} key */
  get(key) {
    const v = this.map.get(key);
    if (v === undefined) return undefined;
    this.map.delete(key);
    this.map.set(key, v);
    return v;
  }

  /** @param {string} key @param {any} value */
  set(key, value) {
    this.delete(key);
    const size = this.sizeOf ? this.sizeOf(key, value) : 0;
    if (size > this.maxBytes) return;  // could never fit
    this.map.set(key, value);
    this.bytes += size;
    while (this.map.size > this.max || this.bytes > this.maxBytes) this.delete(this.map.keys().next().value);
  }

  /** @param {string} key */
  delete(key) {
    const v = this.map.get(key);
    if (v === undefined) return;
    if (this.sizeOf) this.bytes -= this.sizeOf(key, v);
    this.map.delete(key);
  }

  /** Deletes every entry. */
  clear() {
    this.map.clear();
    this.bytes = 0;
  }

  /** Deletes every entry for which `pred(value)` holds. @param {(v: any) => boolean} pred */
  deleteWhere(pred) {
    for (const [k, v] of this.map) if (pred(v)) this.delete(k);
  }

  get size() {
    return this.map.size;
  }
}
