/**
 * What the store keeps for alerts: subscriptions and the outbox (migration 4 in both engines).
 * A subscription is keyed by the pseudonym of its normalised address (the same pseudonym a
 * lookup computes), so alerts are matched by a join, never by reading an address; the address
 * itself is kept only sealed (AES-256-GCM, `src/alerts/seal.ts`) to send to it, and deleted on
 * unsubscribe. An outbox message names its recipient by pseudonym and holds no leaked value:
 * the breach's name and the recipient's own class mask.
 */
import { VigieError } from '../errors.js';
import { PSEUDONYM_BYTES } from './validate.js';

type SubscriptionState = 'pending' | 'confirmed';
/** How a subscriber is reached: an email address, or a phone (by SMS). */
export type Channel = 'email' | 'phone';

export interface Subscription {
  /** 16-byte pseudonym of the normalised address. */
  pseudonym: Buffer;
  /** The address, sealed (nonce, ciphertext, tag): only the sender opens it. */
  sealed: Buffer;
  lang: 'fr' | 'en';
  channel: Channel;
  state: SubscriptionState;
  createdAt: string;
  confirmedAt: string | null;
}

/** `domain-verify` and `org-alert` go to an organisation (recipient: its id; breach: the domain of a check). */
type OutboxKind = 'confirm' | 'alert' | 'domain-verify' | 'org-alert';
type OutboxStatus = 'queued' | 'sent' | 'failed' | 'dead';

/** A message claimed for sending, with what the sender needs to write it. */
export interface OutboxMessage {
  id: number;
  kind: OutboxKind;
  recipient: Buffer;
  /** The breach of an alert; null for a confirmation. */
  breach: string | null;
  /** The recipient's own classes in that breach (`DataClassBits`); 0 for a confirmation. */
  mask: number;
  /** Fixed at enqueue: a re-send after a crash carries the same Message-ID. */
  messageId: string;
  attempts: number;
  /** A confirmation's expiry (ISO date); null for an alert. */
  expiresAt: string | null;
  /** The recipient's sealed address (or phone), language and channel; undefined once they unsubscribed. */
  subscription: { sealed: Buffer; lang: 'fr' | 'en'; channel: Channel } | undefined;
}

export type OutboxCounts = Record<OutboxStatus, number>;

/** What became of one claimed message: sent, or failed (no value in `error`) and retried at `retryAt`, or dead when null. */
export type OutboxOutcome = { id: number; sent: true } | { id: number; sent: false; error: string; retryAt: string | null };

export interface SubscriptionRequest {
  pseudonym: Buffer;
  sealed: Buffer;
  lang: 'fr' | 'en';
  /** Random identity of the confirmation message, should one be queued. */
  messageId: string;
  /** When the confirmation link expires. */
  expiresAt: string;
  /** No new confirmation is queued if one was queued for this address after this date. */
  throttleSince: string;
  /** `email` unless said. */
  channel?: Channel;
  /**
   * A phone's one-time code, as its keyed hash: kept (expiring at `expiresAt`, tries reset) only
   * if this request queues a new message; otherwise the code already sent stays the one.
   */
  codeHash?: Buffer;
}

export interface CodeCheck {
  pseudonym: Buffer;
  /** The keyed hash of the code typed. */
  codeHash: Buffer;
  /** Wrong tries after which the code is spent. */
  maxAttempts: number;
  now: string;
}

export interface AlertStore {
  /**
   * Records a subscription request: a new pending subscription, or an update of a pending one's
   * address and language (a confirmed one keeps its own), then queues a confirmation message
   * unless one was queued since `throttleSince`. Says nothing back: the caller answers alike.
   */
  requestSubscription(request: SubscriptionRequest): Promise<void>;
  /** Marks a subscription confirmed (idempotent); false when there is none (unsubscribed). */
  confirmSubscription(pseudonym: Buffer): Promise<boolean>;
  getSubscription(pseudonym: Buffer): Promise<Subscription | undefined>;
  /**
   * Checks a phone's one-time code in one transaction: the right code, unexpired and with tries
   * left, confirms the subscription and spends the code (true); anything else counts a wrong try
   * and answers false, whether or not the phone is known.
   */
  checkPhoneCode(check: CodeCheck): Promise<boolean>;
  /** Deletes the subscription (its sealed address with it) and its unsent messages; false if none. */
  deleteSubscription(pseudonym: Buffer): Promise<boolean>;
  /**
   * Claims up to `limit` messages due now (queued, or failed and due for a retry), oldest first,
   * by moving their next attempt `leaseSeconds` ahead: a sender killed mid-batch leaves them to
   * be claimed again when the lease ends, with the same Message-ID.
   */
  claimOutbox(options: { limit: number; leaseSeconds: number }): Promise<OutboxMessage[]>;
  /**
   * Records the outcomes of several messages in one transaction (the sender's group commit:
   * one per group of results instead of one per message).
   */
  recordOutcomes(outcomes: readonly OutboxOutcome[]): Promise<void>;
  outboxCounts(): Promise<OutboxCounts>;
  /** Puts dead messages back in the queue, attempts reset; returns how many. */
  retryDead(): Promise<number>;
  /** Deletes sent and dead messages, and pending subscriptions, last changed before `before`. */
  purgeOutbox(before: string): Promise<{ messages: number; subscriptions: number }>;
}

/** Refuses what is not a 16-byte pseudonym. */
export function checkPseudonym(p: Buffer): Buffer {
  if (!Buffer.isBuffer(p) || p.length !== PSEUDONYM_BYTES) throw new VigieError('VIGIE_INTERNAL', `a pseudonym is ${PSEUDONYM_BYTES} bytes`);
  return p;
}

/**
 * Errors kept in the outbox are SMTP replies and codes, cut short; a server may quote the
 * recipient (`550 <x@y>: unknown user`), so anything shaped like an address is blanked.
 */
export function clipError(error: string): string {
  return error
    .replace(/[^\s<>"']+@[^\s<>"']+/g, '<address>')
    .replace(/\s+/g, ' ')
    .slice(0, 300);
}

export function checkLimit(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new VigieError('VIGIE_INTERNAL', 'an outbox batch is 1 to 10,000 messages');
  return n;
}

/** An ISO date (seconds, UTC) `seconds` after another. */
export function addSeconds(iso: string, seconds: number): string {
  return `${new Date(Date.parse(iso) + seconds * 1000).toISOString().slice(0, 19)}Z`;
}
