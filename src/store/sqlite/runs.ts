/**
 * A SQLite load's staging, as sorted runs. Batches arrive in the order the workers finish them,
 * so pseudonyms come in random order; SQLite's own sorter, run once over the whole leak at
 * commit, was the longest serial step of a publish (about 7 s of 22 for a million records).
 * Instead, pseudonyms gather in a fixed buffer (`RUN_ROWS`); when it fills, it is sorted here
 * (radix on the first four bytes: pseudonyms are uniform), duplicates are folded (their masks
 * OR-ed) and the run is appended in key order to a TEMP table of its own whose primary key is
 * the pseudonym, which SQLite builds leaf by leaf. At commit, `mergeSource` lists the runs as
 * one ordered UNION ALL, which SQLite answers by merging them (no sort) into `exposures`.
 *
 * Memory is fixed: the buffer, its sorted copy and three index arrays, 48 bytes a row, 25 MB.
 * Past `MAX_RUNS` tables the runs are merged into one (a leak of more than 200 million
 * pseudonyms), so a commit never names more tables than SQLite's compound limit (500).
 */
// biome-ignore-all lint/style/noNonNullAssertion: typed-array indexing in the sort's hot loops, in bounds by construction (every index is below `n` or 65,537); the sort runs over millions of rows a publish.
import type Database from 'better-sqlite3';
import { PSEUDONYM_BYTES } from '../validate.js';

/** Rows per run: 2^19 pseudonyms, 8 MiB of keys (2^20 ran no faster and held 25 MB more). */
const RUN_ROWS = 1 << 19;
/** Runs kept apart before they are merged into one: under SQLite's 500 terms of a compound SELECT. */
const MAX_RUNS = 400;
/** Rows per INSERT statement: one call per 64 rows instead of per row (0.25 vs 0.7 µs a row). */
const ROWS_PER_INSERT = 64;

export interface RunOptions {
  /** Internal tuning for tests: rows per run. */
  runRows?: number;
  /** Internal tuning for tests: runs kept before merging them into one. */
  maxRuns?: number;
}

/**
 * Sorts `n` 16-byte keys (`keys`, with their `masks`) into `outKeys`/`outMasks` in byte order,
 * one row per distinct key with the OR of its masks; returns the number of rows written.
 * `hi`, `idx` and `tmp` are scratch arrays of at least `n` entries; `keys` and `outKeys` start
 * on a multiple of 4 bytes (rows are copied as four 32-bit words).
 */
export function sortRun(
  keys: Uint8Array,
  masks: Uint32Array,
  n: number,
  outKeys: Uint8Array,
  outMasks: Uint32Array,
  scratch: { hi: Uint32Array; idx: Uint32Array; tmp: Uint32Array; count: Uint32Array },
): number {
  const { hi, idx, tmp, count } = scratch;
  for (let i = 0; i < n; i++) {
    const o = i * PSEUDONYM_BYTES;
    hi[i] = ((keys[o]! << 24) | (keys[o + 1]! << 16) | (keys[o + 2]! << 8) | keys[o + 3]!) >>> 0;
  }
  // Two stable counting passes on 16 bits each: ordered by the first four bytes.
  count.fill(0);
  for (let i = 0; i < n; i++) count[(hi[i]! & 0xffff) + 1]!++;
  for (let b = 0; b < 65536; b++) count[b + 1]! += count[b]!;
  for (let i = 0; i < n; i++) tmp[count[hi[i]! & 0xffff]!++] = i;
  count.fill(0);
  for (let i = 0; i < n; i++) count[(hi[i]! >>> 16) + 1]!++;
  for (let b = 0; b < 65536; b++) count[b + 1]! += count[b]!;
  for (let j = 0; j < n; j++) {
    const i = tmp[j]!;
    idx[count[hi[i]! >>> 16]!++] = i;
  }
  // Keys sharing their first four bytes (a few hundred in a million): insertion sort on the rest.
  const tail = (a: number, b: number): number => {
    for (let k = 4; k < PSEUDONYM_BYTES; k++) {
      const d = keys[a * PSEUDONYM_BYTES + k]! - keys[b * PSEUDONYM_BYTES + k]!;
      if (d !== 0) return d;
    }
    return 0;
  };
  for (let j = 1; j < n; j++) {
    const v = idx[j]!;
    if (hi[v] !== hi[idx[j - 1]!]) continue;
    let k = j;
    while (k > 0 && hi[idx[k - 1]!] === hi[v] && tail(v, idx[k - 1]!) < 0) {
      idx[k] = idx[k - 1]!;
      k--;
    }
    idx[k] = v;
  }
  const from = new Uint32Array(keys.buffer, keys.byteOffset, n * 4);
  const to = new Uint32Array(outKeys.buffer, outKeys.byteOffset, n * 4);
  let m = 0;
  for (let j = 0; j < n; j++) {
    const i = idx[j]!;
    if (m > 0 && hi[i] === hi[idx[j - 1]!] && tail(i, idx[j - 1]!) === 0) {
      outMasks[m - 1]! |= masks[i]!;
      continue;
    }
    const s = i * 4;
    const d = m * 4;
    to[d] = from[s]!;
    to[d + 1] = from[s + 1]!;
    to[d + 2] = from[s + 2]!;
    to[d + 3] = from[s + 3]!;
    outMasks[m++] = masks[i]!;
  }
  return m;
}

export class SortedRuns {
  private readonly runRows: number;
  private readonly maxRuns: number;
  private readonly keys: Uint8Array;
  private readonly masks: Uint32Array;
  private readonly sorted: Buffer;
  private readonly sortedMasks: Uint32Array;
  private readonly scratch: { hi: Uint32Array; idx: Uint32Array; tmp: Uint32Array; count: Uint32Array };
  private readonly args = new Array<unknown>(2 * ROWS_PER_INSERT);
  private filled = 0;
  private seq = 0;
  /** The TEMP tables holding the runs written so far. */
  readonly tables: string[] = [];

  constructor(
    private readonly db: Database.Database,
    private readonly prefix: string,
    options: RunOptions = {},
  ) {
    this.runRows = options.runRows ?? RUN_ROWS;
    this.maxRuns = Math.min(options.maxRuns ?? MAX_RUNS, MAX_RUNS);
    this.keys = new Uint8Array(this.runRows * PSEUDONYM_BYTES);
    this.masks = new Uint32Array(this.runRows);
    this.sorted = Buffer.from(new ArrayBuffer(this.runRows * PSEUDONYM_BYTES));
    this.sortedMasks = new Uint32Array(this.runRows);
    const n = this.runRows;
    this.scratch = { hi: new Uint32Array(n), idx: new Uint32Array(n), tmp: new Uint32Array(n), count: new Uint32Array(65537) };
  }

  /** Adds `n` rows; full runs are sorted and written as they fill. */
  add(pseudonyms: Uint8Array, masks: Uint32Array, n: number): void {
    let i = 0;
    while (i < n) {
      const take = Math.min(n - i, this.runRows - this.filled);
      this.keys.set(pseudonyms.subarray(i * PSEUDONYM_BYTES, (i + take) * PSEUDONYM_BYTES), this.filled * PSEUDONYM_BYTES);
      this.masks.set(masks.subarray(i, i + take), this.filled);
      this.filled += take;
      i += take;
      if (this.filled === this.runRows) this.flush();
    }
  }

  /** Sorts and writes what the buffer holds as one more run. */
  flush(): void {
    if (this.filled === 0) return;
    const m = sortRun(this.keys, this.masks, this.filled, this.sorted, this.sortedMasks, this.scratch);
    this.filled = 0;
    if (this.tables.length >= this.maxRuns) this.compact();
    const table = this.createRun();
    this.writeSorted(table, m);
  }

  /**
   * The runs as one FROM item of (`pseudonym`, `mask`) that SQLite reads in key order without a
   * sort when the query orders by pseudonym (a merge of the runs), or null when no row was
   * written. A key in several runs appears once per run: the caller folds them (ON CONFLICT).
   */
  mergeSource(): string | null {
    this.flush();
    return this.tables.length === 0 ? null : this.union();
  }

  private union(): string {
    if (this.tables.length === 1) return `temp.${this.tables[0]}`;
    return `(${this.tables.map((t) => `SELECT pseudonym, mask FROM temp.${t}`).join(' UNION ALL ')} ORDER BY 1)`;
  }

  /** Drops every run's table (the connection may already be closed: then they are gone). */
  drop(): void {
    if (!this.db.open) return;
    for (const t of this.tables.splice(0)) this.db.exec(`DROP TABLE IF EXISTS temp.${t}`);
  }

  private createRun(): string {
    const table = `${this.prefix}_${++this.seq}`;
    this.db.exec(`CREATE TEMP TABLE ${table} (pseudonym BLOB NOT NULL PRIMARY KEY, mask INTEGER NOT NULL) WITHOUT ROWID`);
    this.tables.push(table);
    return table;
  }

  /** Appends the sorted buffer's first `m` rows to `table`, in key order. */
  private writeSorted(table: string, m: number): void {
    const tuples = Array.from({ length: ROWS_PER_INSERT }, () => '(?, ?)').join(', ');
    const many = this.db.prepare(`INSERT INTO temp.${table} (pseudonym, mask) VALUES ${tuples}`);
    const one = this.db.prepare(`INSERT INTO temp.${table} (pseudonym, mask) VALUES (?, ?)`);
    const { sorted, sortedMasks, args } = this;
    // Only the temp database is written: this transaction takes no lock on the main file.
    this.db.transaction(() => {
      let i = 0;
      for (; i + ROWS_PER_INSERT <= m; i += ROWS_PER_INSERT) {
        for (let k = 0; k < ROWS_PER_INSERT; k++) {
          const r = i + k;
          args[2 * k] = sorted.subarray(r * PSEUDONYM_BYTES, (r + 1) * PSEUDONYM_BYTES);
          args[2 * k + 1] = sortedMasks[r]!;
        }
        many.run(args);
      }
      for (; i < m; i++) one.run(sorted.subarray(i * PSEUDONYM_BYTES, (i + 1) * PSEUDONYM_BYTES), sortedMasks[i]!);
    })();
  }

  /** Merges every run so far into one table (in key order, folding keys found in several). */
  private compact(): void {
    const source = this.union();
    const old = this.tables.splice(0);
    const table = this.createRun();
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO temp.${table} (pseudonym, mask) SELECT pseudonym, mask FROM ${source} WHERE true ORDER BY pseudonym
            ON CONFLICT (pseudonym) DO UPDATE SET mask = mask | excluded.mask`,
        )
        .run();
      for (const t of old) this.db.exec(`DROP TABLE temp.${t}`);
    })();
  }
}
