/**
 * Requests per minute per key (an API key's hash, a client address), in memory: fixed windows
 * aligned on the minute, counted in one Map that is emptied when the minute turns. Written here
 * rather than taken from @fastify/rate-limit, which cost 10–20 µs of CPU a request in the
 * measurement of docs/adr/0004-http-framework.md (this costs well under one).
 *
 * Each API instance counts on its own: behind N instances a key gets up to N times its rate
 * (docs/architecture.md §6, "Scale").
 */

export type Verdict = { ok: true } | { ok: false; retryAfter: number };

const WINDOW_MS = 60_000;

export class MinuteLimiter {
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
    const window = Math.floor(now / WINDOW_MS);
    if (window !== this.window) {
      this.window = window;
      this.counts = new Map();
    }
    const n = this.counts.get(key);
    if (n === undefined && this.counts.size >= this.maxKeys) return this.refuse(now);
    const next = (n ?? 0) + 1;
    this.counts.set(key, next);
    return next <= max ? { ok: true } : this.refuse(now);
  }

  private refuse(now: number): Verdict {
    return { ok: false, retryAfter: Math.max(1, Math.ceil(((this.window + 1) * WINDOW_MS - now) / 1000)) };
  }
}
