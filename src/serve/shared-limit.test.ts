import { describe, expect, it } from 'vitest';
import { LeaseAuthority, type LeaseChannel, LeasedLimiter, leaseSize } from './shared-limit.js';

/** Workers talking to one authority through an asynchronous channel, counting the questions. */
function world(start: string) {
  let t = Date.parse(start);
  const clock = () => t;
  const authority = new LeaseAuthority(clock);
  let questions = 0;
  const channel: LeaseChannel = async (request) => {
    questions += 1;
    await new Promise((r) => setImmediate(r));
    return authority.grant(request);
  };
  return {
    worker: () => new LeasedLimiter(channel, clock),
    advance: (ms: number) => {
      t += ms;
    },
    questions: () => questions,
  };
}

describe('rate limits shared by the processes of one server', () => {
  it('counts a small rate exactly, whichever worker the requests reach', async () => {
    const w = world('2026-04-15T10:00:10Z');
    const a = w.worker();
    const b = w.worker();
    const verdicts = [];
    for (let i = 0; i < 8; i++) verdicts.push((await (i % 2 === 0 ? a : b).hit('k:key', 5)).ok);
    expect(verdicts).toEqual([true, true, true, true, true, false, false, false]);
    expect(await a.hit('k:key', 5)).toEqual({ ok: false, retryAfter: 50 });
    // Another key has its own count; the next minute starts afresh.
    expect((await b.hit('k:other', 5)).ok).toBe(true);
    w.advance(50_000);
    expect((await a.hit('k:key', 5)).ok).toBe(true);
  });

  it('gives the rate and no more to concurrent requests on several workers', async () => {
    const w = world('2026-04-15T10:00:00Z');
    const workers = [w.worker(), w.worker(), w.worker()];
    const all = await Promise.all(Array.from({ length: 300 }, (_, i) => workers[i % 3]!.hit('k:key', 100)));
    expect(all.filter((v) => v.ok).length).toBe(100);
  });

  it('asks the primary once per lease under a high rate, and loses at most a lease per worker', async () => {
    const w = world('2026-04-15T10:00:00Z');
    const a = w.worker();
    const b = w.worker();
    expect(leaseSize(100)).toBe(1);
    expect(leaseSize(50_000)).toBe(50);
    expect(leaseSize(10_000_000)).toBe(256);
    let ok = 0;
    for (let i = 0; i < 2_000; i++) if ((await (i < 1_000 ? a : b).hit('k:busy', 50_000)).ok) ok += 1;
    expect(ok).toBe(2_000);
    expect(w.questions()).toBe(40);
    // Near the end of the rate, what a worker holds is its own: the other is refused at most a lease early.
    const r = world('2026-04-15T10:00:00Z');
    const c = r.worker();
    const d = r.worker();
    let granted = 0;
    for (let i = 0; i < 6_000; i++) if ((await (i % 2 === 0 ? c : d).hit('k:busy', 5_000)).ok) granted += 1;
    expect(granted).toBeGreaterThanOrEqual(5_000 - 2 * leaseSize(5_000));
    expect(granted).toBeLessThanOrEqual(5_000);
  });

  it('stops asking once refused, until the minute turns', async () => {
    const w = world('2026-04-15T10:00:00Z');
    const a = w.worker();
    expect((await a.hit('a:192.0.2.1', 1)).ok).toBe(true);
    expect((await a.hit('a:192.0.2.1', 1)).ok).toBe(false);
    const asked = w.questions();
    for (let i = 0; i < 10; i++) expect((await a.hit('a:192.0.2.1', 1)).ok).toBe(false);
    expect(w.questions()).toBe(asked);
    w.advance(60_000);
    expect((await a.hit('a:192.0.2.1', 1)).ok).toBe(true);
  });
});
