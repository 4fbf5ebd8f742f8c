/**
 * Distinct counting spread over the worker threads: worker w owns the hashes whose bits
 * 16..23 fall in its share (`ownerOf`), so each distinct value is counted by exactly one
 * worker and the per-class totals are plain sums. A worker keeps the hashes it owns and
 * posts the others to their owners over MessageChannels between workers. This takes the
 * counting (random memory access, the costliest part of merging) off the main thread.
 */
import type { MessagePort } from 'node:worker_threads';
import { CounterBudget, DistinctCounter } from './distinct.js';
import { PEOPLE } from './processor.js';

export const COUNTERS = 32;

export function ownerOf(hi: number, workers: number): number {
  return ((hi >>> 16) & 0xff) % workers;
}

export interface ShardCounts {
  sizes: number[];
  /** Relative standard error per class (0 when exact). */
  errors: number[];
  /** The people counted, as a sketch (src/sketch.ts): asked for when publishing only. */
  people?: Buffer;
}

/** What the counters of one worker may hold (stats.ts `counterLimits`). */
export interface ShardLimits {
  exactLimit?: number;
  /** Table bytes shared by this worker's exact counters. */
  bytes?: number;
}

export class ShardCounter {
  private readonly counters: (DistinctCounter | undefined)[] = [];
  private readonly sent: number[];
  private readonly received: number[];
  private expected: number[] | null = null;
  private onComplete: (() => void) | null = null;
  private readonly exactLimit: number | undefined;
  private readonly budget: CounterBudget | undefined;

  constructor(
    private readonly self: number,
    private readonly peers: (MessagePort | null)[],
    limits: ShardLimits = {},
  ) {
    this.exactLimit = limits.exactLimit;
    this.budget = limits.bytes === undefined ? undefined : new CounterBudget(limits.bytes);
    this.sent = peers.map(() => 0);
    this.received = peers.map(() => 0);
    peers.forEach((port, w) => {
      port?.on('message', (m: { hashes: Uint32Array; hashClass: Uint8Array; n: number }) => {
        this.addAll(m.hashes, m.hashClass, m.n);
        this.received[w]!++;
        this.check();
      });
    });
  }

  private counter(cls: number): DistinctCounter {
    return (this.counters[cls] ??= new DistinctCounter({ exactLimit: this.exactLimit, initialCapacity: 1 << 14, budget: this.budget }));
  }

  private addAll(hashes: Uint32Array, hashClass: Uint8Array, n: number): void {
    for (let k = 0; k < n; k++) this.counter(hashClass[k]!).add(hashes[2 * k]!, hashes[2 * k + 1]!);
  }

  /** Keeps the hashes this worker owns, posts the others to their owners. */
  route(hashes: Uint32Array, hashClass: Uint8Array, n: number): void {
    const W = this.peers.length;
    if (W === 1) return this.addAll(hashes, hashClass, n);
    const outH: Uint32Array[] = [];
    const outC: Uint8Array[] = [];
    const fill: number[] = [];
    for (let w = 0; w < W; w++) {
      outH.push(new Uint32Array(n * 2));
      outC.push(new Uint8Array(n));
      fill.push(0);
    }
    for (let k = 0; k < n; k++) {
      const hi = hashes[2 * k]!;
      const lo = hashes[2 * k + 1]!;
      const w = ownerOf(hi, W);
      if (w === this.self) {
        this.counter(hashClass[k]!).add(hi, lo);
        continue;
      }
      const f = fill[w]!;
      outH[w]![2 * f] = hi;
      outH[w]![2 * f + 1] = lo;
      outC[w]![f] = hashClass[k]!;
      fill[w] = f + 1;
    }
    for (let w = 0; w < W; w++) {
      const port = this.peers[w];
      if (!port || fill[w] === 0) continue;
      const h = outH[w]!;
      const c = outC[w]!;
      port.postMessage({ hashes: h, hashClass: c, n: fill[w] }, [h.buffer as ArrayBuffer, c.buffer as ArrayBuffer]);
      this.sent[w]!++;
    }
  }

  /** Messages posted to each peer so far. */
  sentCounts(): number[] {
    return [...this.sent];
  }

  /**
   * Resolves with the counts once `expected[w]` messages from each peer have arrived, and the
   * people sketch of this shard when `peopleExact` says how many values it may list exactly.
   */
  counts(expected: number[], peopleExact?: number): Promise<ShardCounts> {
    return new Promise((resolve) => {
      this.expected = expected;
      this.onComplete = () => {
        const sizes: number[] = [];
        const errors: number[] = [];
        for (let c = 0; c < COUNTERS; c++) {
          sizes.push(this.counters[c]?.size ?? 0);
          errors.push(this.counters[c]?.standardError ?? 0);
        }
        if (peopleExact === undefined) resolve({ sizes, errors });
        else resolve({ sizes, errors, people: this.counter(PEOPLE).sketch(peopleExact) });
      };
      this.check();
    });
  }

  private check(): void {
    if (!this.expected || !this.onComplete) return;
    for (let w = 0; w < this.expected.length; w++) if (this.received[w]! < this.expected[w]!) return;
    const done = this.onComplete;
    this.onComplete = null;
    done();
  }
}
