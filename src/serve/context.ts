/**
 * What the routes of `vigie serve` share: the world passed in by `buildApp`, never globals.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Organisations, Subscriptions } from '../alerts/index.js';
import type { ApiKey, Store } from '../store/index.js';
import type { ApiKeyRegistry } from './apikeys.js';
import type { CatalogueCache } from './catalogue.js';
import type { LookupService } from './lookup.js';
import type { OrgSessions } from './org-session.js';
import type { Verdict } from './rate-limit.js';

export interface ServeSettings {
  /** Lookups per minute allowed to one client address without an API key (the web page, `/api/v1`). */
  ipRpm: number;
  /** Trust `X-Forwarded-For` from a reverse proxy: false, true, or a comma-separated list of proxy addresses or CIDR ranges. */
  trustProxy: boolean | string;
  /** How long the catalogue and the key table are kept in memory before being read again. */
  refreshMs: number;
  /** Largest request body accepted, in bytes. */
  bodyLimit: number;
  /** A request (headers and body) must arrive within this time, or it gets a 408. */
  requestTimeoutMs: number;
}

export const DEFAULT_SETTINGS: ServeSettings = {
  ipRpm: 30,
  trustProxy: false,
  refreshMs: 5_000,
  bodyLimit: 16 * 1024,
  requestTimeoutMs: 10_000,
};

/** The outcome of a rate-limit check; `retryAfter` in whole seconds. */
type LimitResult = Verdict | Promise<Verdict>;

export interface Limits {
  /** Counts one request against the key's own rate. */
  perKey(request: FastifyRequest, key: ApiKey): LimitResult;
  /** Counts one lookup against the client address's rate (lookups made without a key). */
  perAddress(request: FastifyRequest): LimitResult;
}

export interface ServeContext {
  store: Store;
  settings: ServeSettings;
  catalogue: CatalogueCache;
  lookups: LookupService;
  keys: ApiKeyRegistry;
  limits: Limits;
  /** The operators' sessions on the organisation view (an API key exchanged for a cookie). */
  orgSessions: OrgSessions;
  /** Subscriptions and the verified owner's session; undefined when alerts are not configured. */
  subscriptions: Subscriptions | undefined;
  /** Organisations, their domains and HIBP's domain search. */
  organisations: Organisations;
  /**
   * Authenticates the `hibp-api-key` header and counts the request against the key's rate.
   * Sends the 401 or 429 itself and returns undefined when the request must stop there.
   * `required: false` lets a request without the header through (it returns null).
   */
  authenticate(request: FastifyRequest, reply: FastifyReply, required: boolean): Promise<ApiKey | null | undefined>;
}
