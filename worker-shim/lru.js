// A small LRU map (insertion order of a Map is recency order).

export class Lru {
  /** @param {number} maxEntries */
  constructor(maxEntries) {
    this.max = maxEntries;
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
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.max) this.map.delete(this.map.keys().next().value);
  }

  /** @param {string} key */
  delete(key) {
    this.map.delete(key);
  }

  /** Deletes every entry. */
  clear() {
    this.map.clear();
  }

  /** Deletes every entry for which `pred(value)` holds. @param {(v: any) => boolean} pred */
  deleteWhere(pred) {
    for (const [k, v] of this.map) if (pred(v)) this.map.delete(k);
  }

  get size() {
    return this.map.size;
  }
}
