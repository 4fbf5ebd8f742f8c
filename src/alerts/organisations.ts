/**
 * Organisations (an API key each) and their domains: registering a domain, proving control of
 * it by a DNS TXT record or by a link mailed to `security@` or `postmaster@` it, the contact
 * address and the signed webhook, and the answers of HIBP's domain search for the verified
 * owner (ADR 0008: aliases are kept sealed for verified domains only, opened here).
 */
import { createHash, randomBytes } from 'node:crypto';
import { Resolver } from 'node:dns/promises';
import { VigieError } from '../errors.js';
import { normaliseEmail } from '../normalise/index.js';
import { deriveAliasKey, openAlias } from '../pseudonymise/index.js';
import { addSeconds, type Domain, type DomainMailbox, normaliseDomain, type Organisation, type Store } from '../store/index.js';
import { type AlertKeys, deriveAlertKeys, openAddress, sealAddress } from './keys.js';
import { signToken, verifyToken } from './tokens.js';

/** What a TXT record must say: `vigie-verification=<token>`, at the domain or at `_vigie.<domain>`. */
const TXT_PREFIX = 'vigie-verification=';
/** The page a domain check's link opens (its button POSTs the token). */
export const DOMAIN_CONFIRM_PATH = '/domaine/confirmer';

interface OrganisationSettings {
  /** `VIGIE_PUBLIC_URL`; without it, domains can be checked by DNS only. */
  publicUrl: string | undefined;
  /** How long a mailed link is valid. */
  confirmHours: number;
  /** `VIGIE_DNS_SERVERS`: the resolvers asked for TXT records (ip or ip:port); default the system's. */
  dnsServers: string[] | undefined;
}

/** What the sender needs to write an organisation's message. */
interface OrganisationSecrets {
  contact: string | null;
  webhookSecret: string | null;
}

const iso = (d: Date): string => `${d.toISOString().slice(0, 19)}Z`;
/** 16 bytes naming a domain inside a token (the token carries 16-byte values only). */
const domainDigest = (domain: string): Buffer => createHash('sha256').update(domain, 'utf8').digest().subarray(0, 16);

export class Organisations {
  readonly keys: AlertKeys;
  private readonly aliasKey: Buffer;
  private readonly now: () => Date;

  constructor(
    private readonly store: Store,
    secret: Buffer,
    private readonly settings: OrganisationSettings,
    now?: () => Date,
  ) {
    this.keys = deriveAlertKeys(secret);
    this.aliasKey = deriveAliasKey(secret);
    this.now = now ?? (() => new Date());
  }

  /** Registers a domain for a key (creating its organisation) and returns the token to publish. */
  async addDomain(keyName: string, rawDomain: string): Promise<Domain> {
    const domain = normaliseDomain(rawDomain);
    await this.store.ensureOrganisation(keyName, randomBytes(16));
    return this.store.addDomain({ keyName, domain, token: randomBytes(16).toString('hex') });
  }

  private async pending(keyName: string, rawDomain: string): Promise<Domain> {
    const domain = normaliseDomain(rawDomain);
    const d = await this.store.getDomain(keyName, domain);
    if (!d) throw new VigieError('VIGIE_NOT_FOUND', `the domain ${domain} is not registered for this key`);
    return d;
  }

  /**
   * Looks for `vigie-verification=<token>` in the TXT records of the domain and of
   * `_vigie.<domain>` (RFC 1464 strings, chunks joined as RFC 7208 §3.3 does), through the
   * configured resolvers; verifies the domain when found, `VIGIE_CONFLICT` otherwise.
   */
  async verifyByDns(keyName: string, rawDomain: string): Promise<Domain> {
    const d = await this.pending(keyName, rawDomain);
    if (d.state === 'verified') return d;
    const resolver = new Resolver({ timeout: 3000, tries: 2 });
    if (this.settings.dnsServers) resolver.setServers(this.settings.dnsServers);
    const want = `${TXT_PREFIX}${d.token}`;
    for (const name of [d.domain, `_vigie.${d.domain}`]) {
      let records: string[][];
      try {
        records = await resolver.resolveTxt(name);
      } catch {
        // NXDOMAIN, no TXT, a timeout: not found here.
        continue;
      }
      if (records.some((chunks) => chunks.join('').trim() === want)) return this.store.verifyDomain(keyName, d.domain, 'dns');
    }
    throw new VigieError('VIGIE_CONFLICT', `no TXT record "${TXT_PREFIX}…" with this domain's token at ${d.domain} or _vigie.${d.domain} yet`);
  }

  /** Queues the mail of a domain check to `<mailbox>@<domain>`, through the outbox. */
  async verifyByMail(keyName: string, rawDomain: string, mailbox: DomainMailbox): Promise<Domain> {
    if (this.settings.publicUrl === undefined) throw new VigieError('VIGIE_ALERTS_OFF', 'set VIGIE_PUBLIC_URL to check a domain by mail');
    const d = await this.pending(keyName, rawDomain);
    if (d.state === 'verified') return d;
    const org = await this.store.ensureOrganisation(keyName, randomBytes(16));
    const expiresAt = addSeconds(iso(this.now()), this.settings.confirmHours * 3600);
    await this.store.queueDomainMail({ orgId: org.id, domain: `${mailbox}@${d.domain}`, messageId: randomBytes(16).toString('hex'), expiresAt });
    return d;
  }

  /** The link a domain check's mail carries. */
  confirmLink(orgId: Buffer, domain: string, expiresAt: string): string {
    const token = signToken(this.keys, { kind: 'domain', expires: Math.floor(Date.parse(expiresAt) / 1000), pseudonyms: [orgId, domainDigest(domain)] });
    return `${(this.settings.publicUrl ?? '').replace(/\/+$/, '')}${DOMAIN_CONFIRM_PATH}?token=${token}`;
  }

  /** Verifies the domain a mailed link names; `VIGIE_BAD_TOKEN` for any bad, expired or stale link. */
  async confirmByMail(token: string): Promise<Domain> {
    const t = verifyToken(this.keys, token, 'domain', this.now().getTime());
    const [orgId, digest] = t?.pseudonyms ?? [];
    const org = orgId && t?.pseudonyms.length === 2 ? await this.store.getOrganisationById(orgId) : undefined;
    const d = org && digest ? (await this.store.listDomains(org.keyName)).find((x) => domainDigest(x.domain).equals(digest)) : undefined;
    if (!org || !d) throw new VigieError('VIGIE_BAD_TOKEN', 'this link is invalid, expired or no longer in use');
    return this.store.verifyDomain(org.keyName, d.domain, 'email');
  }

  /**
   * Sets where the organisation's alerts go: a contact address (normalised, sealed) and/or a
   * webhook (http or https). A new webhook gets a new signing secret, returned once.
   */
  async setContact(keyName: string, c: { email?: string | null; webhookUrl?: string | null }): Promise<{ organisation: Organisation; webhookSecret?: string }> {
    const org = await this.store.ensureOrganisation(keyName, randomBytes(16));
    const change: Parameters<Store['setOrganisationContact']>[1] = {};
    if (c.email !== undefined) {
      const email = c.email === null ? null : normaliseEmail(c.email);
      if (email === undefined || (c.email !== null && email === null)) throw new VigieError('VIGIE_USAGE', 'the contact is not an email address');
      change.contactSealed = email === null ? null : sealAddress(this.keys, email, org.id);
    }
    let webhookSecret: string | undefined;
    if (c.webhookUrl !== undefined) {
      if (c.webhookUrl !== null && !/^https?:\/\/[^\s/?#]+[^\s]*$/.test(c.webhookUrl))
        throw new VigieError('VIGIE_USAGE', 'the webhook must be an http:// or https:// URL');
      change.webhookUrl = c.webhookUrl;
      webhookSecret = c.webhookUrl === null ? undefined : `whsec_${randomBytes(24).toString('hex')}`;
      change.webhookSecretSealed = webhookSecret === undefined ? null : sealAddress(this.keys, webhookSecret, org.id);
    }
    const organisation = await this.store.setOrganisationContact(keyName, change);
    return webhookSecret === undefined ? { organisation } : { organisation, webhookSecret };
  }

  /** The contact address and the webhook secret, opened (for the sender only). */
  secrets(org: Organisation): OrganisationSecrets {
    return {
      contact: org.contactSealed ? openAddress(this.keys, org.contactSealed, org.id) : null,
      webhookSecret: org.webhookSecretSealed ? openAddress(this.keys, org.webhookSecretSealed, org.id) : null,
    };
  }

  /** `VIGIE_FORBIDDEN` unless the key has verified this domain. */
  private async verified(keyName: string, rawDomain: string): Promise<string> {
    const domain = normaliseDomain(rawDomain);
    const d = await this.store.getDomain(keyName, domain);
    if (d?.state !== 'verified') throw new VigieError('VIGIE_FORBIDDEN', 'this domain is not verified for this API key');
    return domain;
  }

  /**
   * HIBP's `breacheddomain`: each alias (local part) of the domain with the names of the breaches
   * it is in, for the key that verified it. Only leaks ingested after some key verified the
   * domain hold aliases (ADR 0008).
   */
  async breachedDomain(keyName: string, rawDomain: string): Promise<Record<string, string[]>> {
    const domain = await this.verified(keyName, rawDomain);
    const out = new Map<string, Set<string>>();
    for (const row of await this.store.domainAliases(domain)) {
      const alias = openAlias(this.aliasKey, domain, row.pseudonym, row.sealed);
      let set = out.get(alias);
      if (!set) out.set(alias, (set = new Set()));
      set.add(row.breach);
    }
    return Object.fromEntries([...out].sort(([a], [b]) => (a < b ? -1 : 1)).map(([alias, set]) => [alias, [...set].sort()]));
  }

  /** HIBP's `subscribeddomains`: the key's verified domains and their counts. */
  async subscribedDomains(keyName: string) {
    const list = (await this.store.listDomains(keyName)).filter((d) => d.state === 'verified');
    return Promise.all(
      list.map(async (d) => {
        const c = await this.store.domainCounts(d.domain);
        return {
          DomainName: d.domain,
          PwnCount: c.pwnCount,
          PwnCountExcludingSpamLists: c.excludingSpamLists,
          // Vigie has no paid subscription to renew: HIBP gives null in that case too.
          PwnCountExcludingSpamListsAtLastSubscriptionRenewal: null,
          NextSubscriptionRenewal: null,
        };
      }),
    );
  }
}
