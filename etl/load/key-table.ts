/**
 * A hash map from non-negative integer keys (below 2^53) to row numbers, in two typed arrays with open
 * addressing: about 24 bytes a key, against several times that for a Map, so that checking a million-row
 * file for duplicate keys stays small in memory.
 */
export class KeyTable {
  private keys: Float64Array;
  private rows: Int32Array;
  private count = 0;

  constructor(capacity = 1 << 16) {
    this.keys = new Float64Array(capacity);
    this.rows = new Int32Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Stores row for key unless the key is present; returns the row stored earlier, or undefined. */
  setIfAbsent(key: number, row: number): number | undefined {
    if ((this.count + 1) * 2 > this.keys.length) this.grow();
    const slot = this.find(key);
    if (this.keys[slot] !== 0) return this.rows[slot];
    this.keys[slot] = key + 1;
    this.rows[slot] = row;
    this.count++;
    return undefined;
  }

  private find(key: number): number {
    const mask = this.keys.length - 1;
    // Fibonacci hashing of the key's low and high halves spreads the packed ids across slots.
    let slot = (Math.imul((key % 4294967296) ^ Math.floor(key / 4294967296), 0x9e3779b1) >>> 0) & mask;
    while (this.keys[slot] !== 0 && this.keys[slot] !== key + 1) slot = (slot + 1) & mask;
    return slot;
  }

  private grow(): void {
    const { keys, rows } = this;
    this.keys = new Float64Array(keys.length * 2);
    this.rows = new Int32Array(keys.length * 2);
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] === 0) continue;
      const slot = this.find(keys[i] - 1);
      this.keys[slot] = keys[i];
      this.rows[slot] = rows[i];
    }
  }
}
