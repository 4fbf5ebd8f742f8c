/**
 * One rate per key across the processes of `vigie serve --workers N`. The primary process holds
 * the minute's counts (`LeaseAuthority`); each worker asks it for a lease of a few requests at a
 * time (`LeasedLimiter`) and spends it locally, so that a key's rate is the same whether its
 * requests reach one worker or all of them.
 *
 * A lease is one request for rates up to 1,000 a minute, so those are counted exactly; above,
 * a lease is a thousandth of the rate (at most 256), so a busy key costs one message to the
 * primary per lease rather than per request. What a worker leased and did not spend when the
 * minute turns is lost: a key may be refused up to N × (lease − 1) requests early, a thousandth
 * of its rate per worker at most.
 */
import { MinuteLimiter, type RateLimiter, secondsToNextWindow, type Verdict, WINDOW_MS } from './rate-limit.js';

/** A worker's question: `want` requests for `key`, whose rate is `max` a minute. */
export interface LeaseRequest {
  key: string;
  max: number;
  want: number;
}

/** The primary's answer: how many were granted (0: refused) in which minute. */
export interface LeaseGrant {
  granted: number;
  window: number;
  retryAfter: number;
}

/** How many requests a worker asks for at a time under a rate of `max` a minute. */
export function leaseSize(max: number): number {
  return Math.max(1, Math.min(256, Math.floor(max / 1000)));
}

/** The primary's side: the minute's counts, granted in leases. */
export class LeaseAuthority {
  private readonly counts: MinuteLimiter;

  constructor(
    private readonly clock: () => number = Date.now,
    maxKeys = 1_000_000,
  ) {
    this.counts = new MinuteLimiter(clock, maxKeys);
  }

  grant(request: LeaseRequest): LeaseGrant {
    const now = this.clock();
    const granted = this.counts.take(request.key, request.max, Math.max(1, Math.floor(request.want)));
    return { granted, window: Math.floor(now / WINDOW_MS), retryAfter: secondsToNextWindow(now) };
  }
}

/** How a worker reaches the primary (an IPC channel in production, a function in tests). */
export type LeaseChannel = (request: LeaseRequest) => Promise<LeaseGrant>;

interface Lease {
  window: number;
  left: number;
}

/** A worker's side: spends its leases, asks for a new one when the last is spent. */
export class LeasedLimiter implements RateLimiter {
  private leases = new Map<string, Lease>();
  private window = -1;
  /** One question in flight per key: concurrent requests wait for the same answer. */
  private readonly asking = new Map<string, Promise<void>>();

  constructor(
    private readonly channel: LeaseChannel,
    private readonly clock: () => number = Date.now,
  ) {}

  hit(key: string, max: number): Verdict | Promise<Verdict> {
    const now = this.clock();
    const window = Math.floor(now / WINDOW_MS);
    if (window !== this.window) {
      this.window = window;
      this.leases = new Map();
    }
    const lease = this.leases.get(key);
    if (lease !== undefined && lease.window === window) {
      if (lease.left > 0) {
        lease.left -= 1;
        return { ok: true };
      }
      // Refused this minute already: no more questions to the primary until the minute turns.
      if (lease.left < 0) return { ok: false, retryAfter: secondsToNextWindow(now) };
    }
    return this.ask(key, max);
  }

  private async ask(key: string, max: number): Promise<Verdict> {
    const pending = this.asking.get(key);
    if (pending !== undefined) {
      await pending;
      return this.hit(key, max);
    }
    const question = this.channel({ key, max, want: leaseSize(max) });
    const settled = question.then(
      () => undefined,
      () => undefined,
    );
    this.asking.set(key, settled);
    try {
      const g = await question;
      // The first of the lease is this request; a refusal is remembered as −1.
      this.leases.set(key, { window: g.window, left: g.granted > 0 ? g.granted - 1 : -1 });
      return g.granted > 0 ? { ok: true } : { ok: false, retryAfter: g.retryAfter };
    } finally {
      this.asking.delete(key);
    }
  }
}
