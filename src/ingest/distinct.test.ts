import { describe, expect, it } from 'vitest';
import { DistinctCounter } from './distinct.js';
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

  it('hash64 separates near-identical strings', () => {
    const a = new Uint32Array(4);
    hash64('0612345678', a, 0);
    hash64('0612345687', a, 2);
    expect([a[0], a[1]]).not.toEqual([a[2], a[3]]);
  });
});
