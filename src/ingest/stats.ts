/**
 * Accumulates batch results into the figures of the impact report.
 * Distinct counts use in-memory 64-bit hashes (DistinctCounter): exact below a limit,
 * then a HyperLogLog estimate whose standard error the report states.
 */
import { DataClassBits, DataClasses } from '../dataclasses.js';
import { formatPosition, type Position } from '../errors.js';
import type { ClassCount } from '../report/index.js';
import { DistinctCounter } from './distinct.js';
import type { ShardCounts } from './shards.js';
import { CLASS_KEYS, PEOPLE, type BatchResult } from './processor.js';

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

  constructor(private readonly exactLimit?: number) {
    this.people = new DistinctCounter({ exactLimit, initialCapacity: 1 << 16 });
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
      else c = this.distinct[cls] ??= new DistinctCounter({ exactLimit: this.exactLimit, initialCapacity: 1 << 14 });
      c.add(hashes[2 * k]!, hashes[2 * k + 1]!);
    }
  }

  /** Takes distinct counts computed elsewhere (the workers' shards), per class index and PEOPLE. */
  setDistinct(counts: ShardCounts): void {
    this.external = counts;
  }

  private external: ShardCounts | null = null;

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
