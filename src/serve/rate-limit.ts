/**
 * Requests per minute per key (an API key's hash, a client address), in memory: fixed windows
 * aligned on the minute, counted in one Map that is emptied when the minute turns. Written here
 * rather than taken from @fastify/rate-limit, which cost 10–20 µs of CPU a request in the
 * measurement of docs/adr/0004-http-framework.md (this costs well under one).
 *
 * The workers of one `vigie serve --workers N` share their counts through the primary process
 * (`shared-limit.ts`); separate servers count on their own: behind N of them a key gets up to
 * N times its rate (docs/architecture.md §6, "Scale").
 */

export type Verdict = { ok: true } | { ok: false; retryAfter: number };

/** Counts one request for a key against a rate per minute; a promise where it must ask elsewhere. */
export interface RateLimiter {
  hit(key: string, max: number): Verdict | Promise<Verdict>;
}

export const WINDOW_MS = 60_000;

export class MinuteLimiter implements RateLimiter {
  private window = -1;
  private counts = new Map<string, number>();

  /**
   * @param maxKeys keys counted per minute at most; past it, unseen keys are refused, so that
   * a flood of addresses cannot grow the table without bound.
   */
  constructor(
    private readonly clock: () => number = Date.now,
    private readonly maxKeys = 1_000_000,
  ) {}

  /** Counts one request for `key` against `max` per minute. */
  hit(key: string, max: number): Verdict {
    const now = this.clock();
    this.roll(now);
    const n = this.counts.get(key);
    if (n === undefined && this.counts.size >= this.maxKeys) return this.refuse(now);
    const next = (n ?? 0) + 1;
    this.counts.set(key, next);
    return next <= max ? { ok: true } : this.refuse(now);
  }

  /** Takes up to `want` of what is left of `key`'s `max` this minute; returns how many it took. */
  take(key: string, max: number, want: number): number {
    this.roll(this.clock());
    const n = this.counts.get(key);
    if (n === undefined && this.counts.size >= this.maxKeys) return 0;
    const taken = Math.max(0, Math.min(want, max - (n ?? 0)));
    this.counts.set(key, (n ?? 0) + taken);
    return taken;
  }

  private roll(now: number): void {
    const window = Math.floor(now / WINDOW_MS);
    if (window !== this.window) {
      this.window = window;
      this.counts = new Map();
    }
  }

  private refuse(now: number): Verdict {
    return { ok: false, retryAfter: secondsToNextWindow(now) };
  }
}

/** Whole seconds until the minute turns (at least 1): the `retry-after` of a refusal. */
export function secondsToNextWindow(now: number): number {
  return Math.max(1, Math.ceil(((Math.floor(now / WINDOW_MS) + 1) * WINDOW_MS - now) / 1000));
}
