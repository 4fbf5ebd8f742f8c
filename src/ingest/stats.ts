/**
 * Accumulates batch results into the figures of the impact report.
 * Distinct counts use in-memory 64-bit hashes (DistinctCounter): exact below a limit,
 * then a HyperLogLog estimate whose standard error the report states.
 */
import { DataClassBits, DataClasses } from '../dataclasses.js';
import { formatPosition, type Position } from '../errors.js';
import { DEFAULT_MEMORY } from '../config.js';
import type { ClassCount } from '../report/index.js';
import { COUNTER_FIXED_BYTES, CounterBudget, DistinctCounter, EXACT_ENTRY_BYTES } from './distinct.js';
import type { ShardCounts } from './shards.js';
import { CLASS_KEYS, PEOPLE, type BatchResult } from './processor.js';

/**
 * Share of the process budget given to the distinct counters; the rest is Node and its heaps,
 * the workers, batches in flight and the store's load (BENCHMARKS.md measures it).
 */
const COUNTER_SHARE = 0.5;

/** Counters one thread may hold: every data class and people. */
const MAX_COUNTERS = CLASS_KEYS.length + 1;

/** What the counters of one thread may use, derived from the process's budget. */
export interface CounterLimits {
  /** Table bytes shared by the thread's exact counters (`CounterBudget`). */
  bytes: number;
  /** Distinct values one counter may hold exactly: its share alone cannot hold more. */
  exactLimit: number;
  /** The process budget it comes from, for the report's warning (report/assemble.ts). */
  memory: number;
  threads: number;
}

/**
 * Splits the counters' share of `memory` between the threads that count (each worker owns a
 * shard of every class; inline, the main thread alone), less their fixed buffers.
 * `exactLimit` overrides the derived per-counter limit (tests, benchmarks).
 *
 * @example counterLimits(2 ** 30, 2) // { bytes: 257_425_408, exactLimit: 16_608_090, ... }
 */
export function counterLimits(memory = DEFAULT_MEMORY, workers = 0, exactLimit?: number): CounterLimits {
  const threads = Math.max(1, workers);
  const bytes = Math.max(0, Math.floor((memory * COUNTER_SHARE) / threads) - MAX_COUNTERS * COUNTER_FIXED_BYTES);
  return { bytes, exactLimit: exactLimit ?? Math.max(1, Math.floor(bytes / EXACT_ENTRY_BYTES)), memory, threads };
}

/** How many skipped-record positions the report keeps per reason. */
const FIRST_POSITIONS = 5;

export class ImpactAccumulator {
  records = 0;
  skipped = 0;
  unidentified = 0;
  readonly valid = new Float64Array(32);
  readonly invalid = new Float64Array(32);
  private readonly distinct: (DistinctCounter | undefined)[] = [];
  readonly people: DistinctCounter;
  readonly reasons = new Map<string, { count: number; first: string[] }>();
  private readonly exactLimit: number;
  private readonly budget: CounterBudget;

  constructor(limits: CounterLimits = counterLimits()) {
    this.exactLimit = limits.exactLimit;
    this.budget = new CounterBudget(limits.bytes);
    this.people = new DistinctCounter({ exactLimit: this.exactLimit, initialCapacity: 1 << 16, budget: this.budget });
  }

  merge(r: BatchResult): void {
    this.records += r.records;
    this.unidentified += r.unidentified;
    for (let i = 0; i < 32; i++) {
      this.valid[i]! += r.valid[i]!;
      this.invalid[i]! += r.invalid[i]!;
    }
    const { hashes, hashClass } = r;
    for (let k = 0; k < r.hashCount; k++) {
      const cls = hashClass[k]!;
      let c: DistinctCounter | undefined;
      if (cls === PEOPLE) c = this.people;
      else c = this.distinct[cls] ??= new DistinctCounter({ exactLimit: this.exactLimit, initialCapacity: 1 << 14, budget: this.budget });
      c.add(hashes[2 * k]!, hashes[2 * k + 1]!);
    }
  }

  /** Takes distinct counts computed elsewhere (the workers' shards), per class index and PEOPLE. */
  setDistinct(counts: ShardCounts): void {
    this.external = counts;
  }

  private external: ShardCounts | null = null;

  /**
   * The people counted, as a sketch a store may keep (src/sketch.ts): only meaningful when the
   * people values were keyed (a publishing ingest), never for a dry run's unkeyed hashes.
   */
  peopleSketch(maxExact: number): Buffer | undefined {
    if (this.external) return this.external.people;
    return this.people.sketch(maxExact);
  }

  /** Distinct count and its standard error for a class index (or PEOPLE). */
  distinctOf(cls: number): { size: number; error: number } {
    if (this.external) return { size: this.external.sizes[cls] ?? 0, error: this.external.errors[cls] ?? 0 };
    const d = cls === PEOPLE ? this.people : this.distinct[cls];
    return { size: d?.size ?? 0, error: d?.standardError ?? 0 };
  }

  skip(reason: string, position: Position): void {
    this.skipped++;
    let s = this.reasons.get(reason);
    if (!s) this.reasons.set(reason, (s = { count: 0, first: [] }));
    s.count++;
    if (s.first.length < FIRST_POSITIONS) s.first.push(formatPosition(position));
  }

  /** Per data class name: valid, invalid, distinct (only classes seen). */
  dataClasses(): Record<string, ClassCount> {
    const out: Record<string, ClassCount> = {};
    for (const key of CLASS_KEYS) {
      const bit = DataClassBits[key];
      const valid = this.valid[bit]!;
      const invalid = this.invalid[bit]!;
      if (valid === 0 && invalid === 0) continue;
      const d = this.distinctOf(bit);
      const entry: ClassCount = { valid, invalid, distinct: d.size };
      if (d.error > 0) entry.distinctStandardError = d.error;
      out[DataClasses[key]] = entry;
    }
    return out;
  }
}
