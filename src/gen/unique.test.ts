import { describe, expect, it } from 'vitest';
import { Rng } from './rng.js';
import { BitSet, Permutation, UniquePool } from './unique.js';

describe('Rng', () => {
  it('is deterministic per seed and stream, and differs across them', () => {
    const draw = (seed: number, stream: number) => {
      const r = new Rng(seed, stream);
      return Array.from({ length: 8 }, () => r.next());
    };
    expect(draw(42, 0)).toEqual(draw(42, 0));
    expect(draw(42, 0)).not.toEqual(draw(43, 0));
    expect(draw(42, 0)).not.toEqual(draw(42, 1));
  });

  it('draws integers uniformly enough in range', () => {
    const r = new Rng(7);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) counts[r.int(10)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(600);
    for (let i = 0; i < 1000; i++) {
      const k = r.skewed(5);
      expect(k).toBeGreaterThanOrEqual(0);
      expect(k).toBeLessThan(5);
    }
  });
});

describe('Permutation', () => {
  it.each([1, 2, 3, 10, 97, 1000, 4099, 65_537])('is a bijection on [0, %i)', (n) => {
    const p = new Permutation(n, 12345);
    const seen = new Uint8Array(n);
    let outOfRange = 0;
    for (let x = 0; x < n; x++) {
      const y = p.map(x);
      if (y < 0 || y >= n) outOfRange++;
      else seen[y] = seen[y]! + 1;
    }
    expect(outOfRange).toBe(0);
    expect(seen.every((c) => c === 1)).toBe(true);
  });

  it('scrambles: consecutive inputs do not map to consecutive outputs', () => {
    const p = new Permutation(1e8, 1);
    let adjacent = 0;
    for (let x = 0; x < 1000; x++) if (Math.abs(p.map(x + 1) - p.map(x)) === 1) adjacent++;
    expect(adjacent).toBeLessThan(5);
  });

  it('handles spaces beyond 32 bits exactly', () => {
    const p = new Permutation(1e11, 9);
    const ys = new Set<number>();
    for (let x = 0; x < 10_000; x++) {
      const y = p.map(x);
      expect(Number.isSafeInteger(y) && y >= 0 && y < 1e11).toBe(true);
      ys.add(y);
    }
    expect(ys.size).toBe(10_000);
  });

  it('rejects sizes it cannot serve', () => {
    expect(() => new Permutation(0, 1)).toThrow(RangeError);
    expect(() => new Permutation(2 ** 53, 1)).toThrow(RangeError);
  });
});

describe('UniquePool', () => {
  it('hands out every value once, then -1', () => {
    const pool = new UniquePool(500, 3);
    const got = new Set<number>();
    for (let i = 0; i < 500; i++) got.add(pool.take());
    expect(got.size).toBe(500);
    expect(Math.min(...got)).toBe(0);
    expect(Math.max(...got)).toBe(499);
    expect(pool.take()).toBe(-1);
    expect(pool.taken).toBe(500);
  });
});

describe('BitSet', () => {
  it('adds once and grows past its initial size', () => {
    const b = new BitSet(32);
    expect(b.add(5)).toBe(true);
    expect(b.add(5)).toBe(false);
    expect(b.has(5)).toBe(true);
    expect(b.has(6)).toBe(false);
    expect(b.add(1_000_000)).toBe(true);
    expect(b.has(1_000_000)).toBe(true);
    expect(b.has(5)).toBe(true);
    expect(b.has(99_999_999)).toBe(false);
  });
});
