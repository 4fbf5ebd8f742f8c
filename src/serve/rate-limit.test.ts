import { describe, expect, it } from 'vitest';
import { MinuteLimiter } from './rate-limit.js';

describe('MinuteLimiter', () => {
  it('allows max requests per key and minute, then says how long to wait', () => {
    let t = Date.parse('2026-04-15T10:00:10Z');
    const l = new MinuteLimiter(() => t);
    expect([1, 2, 3].map(() => l.hit('a', 2).ok)).toEqual([true, true, false]);
    expect(l.hit('a', 2)).toEqual({ ok: false, retryAfter: 50 });
    expect(l.hit('b', 2).ok).toBe(true);
    t += 49_500;
    expect(l.hit('a', 2)).toEqual({ ok: false, retryAfter: 1 });
    t += 600;
    expect(l.hit('a', 2).ok).toBe(true);
  });

  it('bounds the keys it counts in a minute', () => {
    const t = Date.parse('2026-04-15T10:00:00Z');
    const l = new MinuteLimiter(() => t, 3);
    for (const k of ['a', 'b', 'c']) expect(l.hit(k, 10).ok).toBe(true);
    expect(l.hit('d', 10).ok).toBe(false);
    expect(l.hit('a', 10).ok).toBe(true);
  });
});
