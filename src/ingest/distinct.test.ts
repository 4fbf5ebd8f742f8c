import { describe, expect, it } from 'vitest';
import { sketchCount, unionSketches } from '../sketch.js';
import { CounterBudget, DistinctCounter, EXACT_ENTRY_BYTES } from './distinct.js';
import { hash64 } from './hash64.js';

function addStrings(c: DistinctCounter, values: Iterable<string>): void {
  const h = new Uint32Array(2);
  for (const v of values) {
    hash64(v, h, 0);
    c.add(h[0]!, h[1]!);
  }
}

function* emails(n: number, dup = 1): Generator<string> {
  for (let d = 0; d < dup; d++) for (let i = 0; i < n; i++) yield `prenom.nom${i}@orange.fr`;
}

describe('DistinctCounter', () => {
  it('counts exactly, ignoring duplicates, across growth', () => {
    const c = new DistinctCounter({ initialCapacity: 16 });
    addStrings(c, emails(200_000, 3));
    expect(c.size).toBe(200_000);
    expect(c.estimated).toBe(false);
  });

  it('stays under 16 bytes per distinct value past its fixed minimum', () => {
    for (const n of [100_000, 370_000, 1_000_000]) {
      const d = new DistinctCounter({ initialCapacity: 16 });
      addStrings(d, emails(n));
      expect(d.bytes / n).toBeLessThan(16);
    }
  });

  it('switches to an estimate within 3 standard errors past the exact limit', () => {
    const c = new DistinctCounter({ exactLimit: 50_000 });
    addStrings(c, emails(300_000, 2));
    expect(c.estimated).toBe(true);
    expect(c.bytes).toBe(16384);
    expect(Math.abs(c.size - 300_000) / 300_000).toBeLessThan(3 * c.standardError);
  });

  it('holds at most EXACT_ENTRY_BYTES per value at any size (measured at every growth)', () => {
    const c = new DistinctCounter({ initialCapacity: 16 });
    const h = new Uint32Array(2);
    let worst = 0;
    let last = c.bytes;
    for (let i = 0; i < 600_000; i++) {
      hash64(`prenom.nom${i}@orange.fr`, h, 0);
      c.add(h[0]!, h[1]!);
      if (i % 4096 === 4095) {
        const size = c.size;
        if (c.bytes !== last && size > 50_000) worst = Math.max(worst, c.bytes / size);
        last = c.bytes;
      }
    }
    expect(worst).toBeGreaterThan(10);
    expect(worst).toBeLessThanOrEqual(EXACT_ENTRY_BYTES);
  });

  it('a shared budget turns the largest counter into an estimate, the small ones stay exact', () => {
    const budget = new CounterBudget(4 * 1024 * 1024);
    const big = new DistinctCounter({ initialCapacity: 16, budget });
    const small = new DistinctCounter({ initialCapacity: 16, budget });
    addStrings(small, emails(1000));
    addStrings(big, emails(400_000));
    expect(big.estimated).toBe(true);
    expect(small.estimated).toBe(false);
    expect(small.size).toBe(1000);
    expect(budget.switched).toBe(1);
    expect(budget.used).toBeLessThanOrEqual(budget.bytes);
    expect(Math.abs(big.size - 400_000) / 400_000).toBeLessThan(3 * big.standardError);
  });

  it('no room at all: a counter is an estimate from its first value', () => {
    const c = new DistinctCounter({ budget: new CounterBudget(0) });
    addStrings(c, emails(100));
    expect(c.estimated).toBe(true);
    expect(Math.abs(c.size - 100)).toBeLessThanOrEqual(5); // linear counting, this small
  });

  it('sketches: exact while small, their union counts shared values once', () => {
    const a = new DistinctCounter();
    const b = new DistinctCounter();
    addStrings(a, emails(7000));
    const h = new Uint32Array(2);
    for (let i = 5000; i < 12_000; i++) {
      hash64(`prenom.nom${i}@orange.fr`, h, 0);
      b.add(h[0]!, h[1]!);
    }
    expect(sketchCount(a.sketch(1 << 20))).toEqual({ size: 7000, error: 0 });
    expect(sketchCount(unionSketches([a.sketch(1 << 20), b.sketch(1 << 20)], 1 << 20))).toEqual({ size: 12_000, error: 0 });
    // Past maxExact the union is HyperLogLog, and so is any union with one.
    const over = sketchCount(unionSketches([a.sketch(1 << 20), b.sketch(1 << 20)], 10_000));
    expect(over.error).toBeCloseTo(0.0081, 4);
    expect(Math.abs(over.size - 12_000) / 12_000).toBeLessThan(3 * over.error);
    const mixed = sketchCount(unionSketches([a.sketch(100), b.sketch(1 << 20)], 1 << 20));
    expect(Math.abs(mixed.size - 12_000) / 12_000).toBeLessThan(3 * mixed.error);
    expect(() => sketchCount(new Uint8Array([3, 1, 2]))).toThrow(RangeError);
  });

  it('hash64 separates near-identical strings', () => {
    const a = new Uint32Array(4);
    hash64('0612345678', a, 0);
    hash64('0612345687', a, 2);
    expect([a[0], a[1]]).not.toEqual([a[2], a[3]]);
  });
});
