/**
 * What the store keeps for organisations (migration 6 in both engines): an organisation is an
 * API key; it registers domains, proves control of each (DNS TXT record or a mailed link), and
 * may give a contact address (sealed) and a webhook. For the verified domains only, the ingest
 * stores each address's local part sealed (AES-256-GCM, `src/pseudonymise/alias.ts`) beside its
 * pseudonym, so that `breacheddomain` can answer the domain's owner (ADR 0008). The domain
 * names themselves are the organisations' own, registered by them, not values read from a leak.
 */
import { VigieError } from '../errors.js';

type DomainState = 'pending' | 'verified';
export type DomainMethod = 'dns' | 'email';
export type DomainMailbox = 'security' | 'postmaster';

export interface Domain {
  /** The organisation: the API key's name. */
  keyName: string;
  /** Lower-case, ASCII (punycode), no trailing dot. */
  domain: string;
  /** The value to publish: `vigie-verification=<token>`. */
  token: string;
  state: DomainState;
  method: DomainMethod | null;
  createdAt: string;
  verifiedAt: string | null;
}

export interface Organisation {
  keyName: string;
  /** 16 random bytes: the recipient of its outbox messages. */
  id: Buffer;
  /** The contact address, sealed under the organisation's id; null if none. */
  contactSealed: Buffer | null;
  webhookUrl: string | null;
  /** The webhook's signing secret, sealed under the organisation's id; null without a webhook. */
  webhookSecretSealed: Buffer | null;
}

/** One address of a verified domain in a leak: its pseudonym and its sealed local part. */
export interface DomainAlias {
  domain: string;
  pseudonym: Buffer;
  sealed: Buffer;
}

/** A stored alias with the (published, non-retired) breach it was found in. */
export interface BreachedAlias {
  breach: string;
  pseudonym: Buffer;
  sealed: Buffer;
}

export interface DomainCounts {
  /** Distinct addresses of the domain in published, non-retired breaches. */
  pwnCount: number;
  /** The same, leaving out breaches flagged IsSpamList. */
  excludingSpamLists: number;
}

export interface DomainStore {
  /** The organisation of a key, created (with a random id) on first use; `VIGIE_NOT_FOUND` without such a key. */
  ensureOrganisation(keyName: string, id: Buffer): Promise<Organisation>;
  getOrganisation(keyName: string): Promise<Organisation | undefined>;
  getOrganisationById(id: Buffer): Promise<Organisation | undefined>;
  /** Sets the contact and the webhook (null clears one); undefined fields keep their value. */
  setOrganisationContact(
    keyName: string,
    contact: { contactSealed?: Buffer | null; webhookUrl?: string | null; webhookSecretSealed?: Buffer | null },
  ): Promise<Organisation>;
  /** Registers a domain for a key (pending); `VIGIE_CONFLICT` if that key has it already. */
  addDomain(d: { keyName: string; domain: string; token: string }): Promise<Domain>;
  getDomain(keyName: string, domain: string): Promise<Domain | undefined>;
  /** The domains of one key, or of every key; by domain. */
  listDomains(keyName?: string): Promise<Domain[]>;
  /** Marks a domain verified (idempotent); `VIGIE_NOT_FOUND` if it is not registered for the key. */
  verifyDomain(keyName: string, domain: string, method: DomainMethod): Promise<Domain>;
  /**
   * Removes a domain from a key; its stored aliases go too unless another key has it verified.
   * `VIGIE_NOT_FOUND` if absent.
   */
  removeDomain(keyName: string, domain: string): Promise<void>;
  /** Queues the mail of a domain check (`domain-verify`) to `<mailbox>@<domain>`. */
  queueDomainMail(r: { orgId: Buffer; domain: string; messageId: string; expiresAt: string }): Promise<void>;
  /** Distinct verified domain names, whoever verified them: the ingest keeps aliases for these only. */
  verifiedDomainNames(): Promise<string[]>;
  /** The aliases of a domain in published, non-retired breaches. */
  domainAliases(domain: string): Promise<BreachedAlias[]>;
  domainCounts(domain: string): Promise<DomainCounts>;
  /** How many addresses of an organisation's verified domains a breach holds. */
  organisationBreachCount(orgId: Buffer, breach: string): Promise<number>;
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * A domain name as organisations register it: lower-cased, no trailing dot, ASCII labels
 * (a Unicode name goes through `new URL` to punycode), at least two labels, 253 characters at
 * most (RFC 1035 §2.3.4). `VIGIE_USAGE` otherwise, without quoting the input.
 * @example normaliseDomain('Exemple.FR.') // 'exemple.fr'
 */
export function normaliseDomain(raw: string): string {
  let d = raw.trim().toLowerCase().replace(/\.$/, '');
  if (/[^\x21-\x7e]/.test(d)) {
    try {
      d = new URL(`http://${d}/`).hostname;
    } catch {
      throw new VigieError('VIGIE_USAGE', 'not a domain name');
    }
  }
  const labels = d.split('.');
  if (d.length > 253 || labels.length < 2 || !labels.every((l) => LABEL.test(l)) || /^\d+$/.test(labels[labels.length - 1] ?? '')) {
    throw new VigieError('VIGIE_USAGE', 'not a domain name (such as exemple.fr)');
  }
  return d;
}

/** A row just written and read back: its absence is a bug, not bad input. */
export function written<T>(row: T | undefined): T {
  if (row === undefined) throw new VigieError('VIGIE_INTERNAL', 'a row just written is missing');
  return row;
}

export function checkOrgId(id: Buffer): Buffer {
  if (!Buffer.isBuffer(id) || id.length !== 16) throw new VigieError('VIGIE_INTERNAL', 'an organisation id is 16 bytes');
  return id;
}
