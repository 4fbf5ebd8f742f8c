/**
 * Subscriptions with double opt-in, and the verified owner's session.
 *
 * A request normalises the address as ingest does (`normaliseEmail`: addresses that differ only
 * by case or surrounding spaces are one subscription), pseudonymises it with the lookups' key,
 * seals it and writes the subscription and its confirmation message in one store call: the
 * mail goes through the outbox, so the answer and its timing are the same whether the address
 * is new, pending, confirmed or in a leak (no oracle, docs/architecture.md §5.4).
 */
import { randomBytes } from 'node:crypto';
import { VigieError } from '../errors.js';
import type { Lang } from '../guidance/index.js';
import { normaliseEmail, normalisePhone } from '../normalise/index.js';
import { Pseudonymiser } from '../pseudonymise/index.js';
import { addSeconds, type Store } from '../store/index.js';
import { codeHash, phoneCode } from './codes.js';
import { type AlertKeys, deriveAlertKeys, sealAddress } from './keys.js';
import { Links } from './links.js';
import { signToken, verifyToken } from './tokens.js';

interface SubscriptionSettings {
  /** `VIGIE_PUBLIC_URL`: where the links of the messages point. */
  publicUrl: string;
  /** How long a confirmation link is valid. */
  confirmHours: number;
  /** How long a verified owner's session lasts. */
  sessionHours: number;
  /** Addresses one session may hold (Mozilla Monitor allows 20). */
  maxVerified: number;
  /** No second confirmation mail (or code) to one address (or phone) within this time. */
  throttleMinutes: number;
  /** Whether phones may subscribe (an SMS transport is configured). */
  phones: boolean;
  /** How long a phone's one-time code is valid. */
  codeMinutes: number;
  /** Wrong tries after which a code is spent. */
  codeAttempts: number;
}

/** Longer input is refused before parsing (an address is at most 254 characters, RFC 5321). */
const MAX_ACCOUNT_LENGTH = 256;

const iso = (d: Date): string => `${d.toISOString().slice(0, 19)}Z`;

export class Subscriptions {
  readonly keys: AlertKeys;
  readonly links: Links;
  private readonly pseudonymiser: Pseudonymiser;

  constructor(
    private readonly store: Store,
    secret: Buffer,
    readonly settings: SubscriptionSettings,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.keys = deriveAlertKeys(secret);
    this.links = new Links(this.keys, settings.publicUrl);
    this.pseudonymiser = new Pseudonymiser(secret);
  }

  /** The pseudonym a lookup of this address (or phone) computes; `VIGIE_BAD_ACCOUNT` if it is neither. */
  pseudonymOf(rawAccount: string): Buffer {
    return rawAccount.includes('@') ? this.pseudonymiser.one('email', canonical(rawAccount)) : this.pseudonymiser.one('phone', canonicalPhone(rawAccount));
  }

  /** Records the request and queues the confirmation mail (unless one went out moments ago). */
  async request(rawEmail: string, lang: Lang): Promise<void> {
    const email = canonical(rawEmail);
    const pseudonym = this.pseudonymiser.one('email', email);
    const now = iso(this.now());
    await this.store.requestSubscription({
      pseudonym,
      sealed: sealAddress(this.keys, email, pseudonym),
      lang,
      messageId: randomBytes(16).toString('hex'),
      expiresAt: addSeconds(now, this.settings.confirmHours * 3600),
      throttleSince: addSeconds(now, -this.settings.throttleMinutes * 60),
    });
  }

  /**
   * Records a phone's request and queues its one-time code (unless one went out moments ago):
   * the phone normalised as ingest does, sealed like an address, the code kept as a keyed hash.
   */
  async requestPhone(rawPhone: string, lang: Lang): Promise<void> {
    const phone = canonicalPhone(rawPhone);
    const pseudonym = this.pseudonymiser.one('phone', phone);
    const now = iso(this.now());
    const messageId = randomBytes(16).toString('hex');
    await this.store.requestSubscription({
      pseudonym,
      sealed: sealAddress(this.keys, phone, pseudonym),
      lang,
      channel: 'phone',
      messageId,
      codeHash: codeHash(this.keys, pseudonym, phoneCode(this.keys, pseudonym, messageId)),
      expiresAt: addSeconds(now, this.settings.codeMinutes * 60),
      throttleSince: addSeconds(now, -this.settings.throttleMinutes * 60),
    });
  }

  /**
   * Confirms a phone with the code it received; returns its pseudonym. A wrong, expired or spent
   * code and an unknown phone get the same `VIGIE_BAD_TOKEN`.
   */
  async confirmPhone(rawPhone: string, code: string): Promise<Buffer> {
    const pseudonym = this.pseudonymiser.one('phone', canonicalPhone(rawPhone));
    const typed = code.replace(/[\s.-]/g, '');
    const ok =
      /^\d{6}$/.test(typed) &&
      (await this.store.checkPhoneCode({
        pseudonym,
        codeHash: codeHash(this.keys, pseudonym, typed),
        maxAttempts: this.settings.codeAttempts,
        now: iso(this.now()),
      }));
    if (!ok) throw new VigieError('VIGIE_BAD_TOKEN', 'the code is wrong, expired or spent: ask for a new one');
    return pseudonym;
  }

  /** Confirms the subscription of a valid confirmation token; returns its pseudonym. */
  async confirm(token: string): Promise<Buffer> {
    const t = verifyToken(this.keys, token, 'confirm', this.now().getTime());
    const pseudonym = t?.pseudonyms.length === 1 ? t.pseudonyms[0] : undefined;
    if (!pseudonym || !(await this.store.confirmSubscription(pseudonym))) throw badToken();
    return pseudonym;
  }

  /** Unsubscribes (idempotent: a second click succeeds too), erasing the sealed address. */
  async unsubscribe(token: string): Promise<void> {
    const t = verifyToken(this.keys, token, 'unsubscribe', this.now().getTime());
    const pseudonym = t?.pseudonyms.length === 1 ? t.pseudonyms[0] : undefined;
    if (!pseudonym) throw badToken();
    await this.store.deleteSubscription(pseudonym);
  }

  /** A session cookie's value: the addresses of `previous` (if still valid) plus this one, newest kept. */
  session(previous: string | undefined, pseudonym: Buffer): string {
    const old = previous === undefined ? [] : (verifyToken(this.keys, previous, 'session', this.now().getTime())?.pseudonyms ?? []);
    const kept = [pseudonym, ...old.filter((p) => !p.equals(pseudonym))].slice(0, this.settings.maxVerified);
    const expires = Math.floor(this.now().getTime() / 1000) + this.settings.sessionHours * 3600;
    return signToken(this.keys, { kind: 'session', expires, pseudonyms: kept });
  }

  /** Whether the session proves ownership of this address or phone, and its subscription still stands. */
  async isVerifiedOwner(cookie: string | undefined, rawAccount: string): Promise<boolean> {
    if (cookie === undefined) return false;
    const t = verifyToken(this.keys, cookie, 'session', this.now().getTime());
    if (!t) return false;
    let pseudonym: Buffer;
    try {
      pseudonym = this.pseudonymOf(rawAccount);
    } catch {
      return false;
    }
    if (!t.pseudonyms.some((p) => p.equals(pseudonym))) return false;
    return (await this.store.getSubscription(pseudonym))?.state === 'confirmed';
  }
}

/** The address as ingest writes it, or `VIGIE_BAD_ACCOUNT`. */
function canonical(rawEmail: string): string {
  const email = rawEmail.length <= MAX_ACCOUNT_LENGTH ? normaliseEmail(rawEmail) : null;
  if (!email) throw new VigieError('VIGIE_BAD_ACCOUNT', 'the value is not a valid email address');
  return email;
}

/** The phone as ingest writes it (E.164, from any usual French writing), or `VIGIE_BAD_ACCOUNT`. */
function canonicalPhone(rawPhone: string): string {
  const phone = rawPhone.length <= MAX_ACCOUNT_LENGTH ? normalisePhone(rawPhone.trim()) : null;
  if (!phone) throw new VigieError('VIGIE_BAD_ACCOUNT', 'the value is not a valid phone number');
  return phone;
}

function badToken(): VigieError {
  return new VigieError('VIGIE_BAD_TOKEN', 'the link is invalid, expired or no longer in use');
}
