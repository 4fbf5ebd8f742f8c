/** Organisations, their domains and the sealed aliases of verified domains in the SQLite engine (migration 6). */
import type Database from 'better-sqlite3';
import { VigieError } from '../../errors.js';
import { checkPseudonym } from '../alerts.js';
import { checkOrgId, written, type BreachedAlias, type Domain, type DomainAlias, type DomainCounts, type DomainMethod, type Organisation } from '../domains.js';
import { checkApiKeyName } from '../validate.js';

type OrgRow = { key_name: string; id: Buffer; contact_sealed: Buffer | null; webhook_url: string | null; webhook_secret_sealed: Buffer | null };
type DomainRow = {
  key_name: string;
  domain: string;
  token: string;
  state: Domain['state'];
  method: DomainMethod | null;
  created_at: string;
  verified_at: string | null;
};

const toOrg = (r: OrgRow): Organisation => ({
  keyName: r.key_name,
  id: Buffer.from(r.id),
  contactSealed: r.contact_sealed && Buffer.from(r.contact_sealed),
  webhookUrl: r.webhook_url,
  webhookSecretSealed: r.webhook_secret_sealed && Buffer.from(r.webhook_secret_sealed),
});
const toDomain = (r: DomainRow): Domain => ({
  keyName: r.key_name,
  domain: r.domain,
  token: r.token,
  state: r.state,
  method: r.method,
  createdAt: r.created_at,
  verifiedAt: r.verified_at,
});

export function getOrganisation(db: Database.Database, keyName: string): Organisation | undefined {
  const row = db.prepare('SELECT * FROM organisations WHERE key_name = ?').get(checkApiKeyName(keyName)) as OrgRow | undefined;
  return row && toOrg(row);
}

export function getOrganisationById(db: Database.Database, id: Buffer): Organisation | undefined {
  const row = db.prepare('SELECT * FROM organisations WHERE id = ?').get(checkOrgId(id)) as OrgRow | undefined;
  return row && toOrg(row);
}

export function ensureOrganisation(db: Database.Database, keyName: string, id: Buffer, now: string): Organisation {
  const name = checkApiKeyName(keyName);
  return db
    .transaction(() => {
      const key = db.prepare('SELECT name FROM api_keys WHERE name = ?').get(name) as { name: string } | undefined;
      if (!key) throw new VigieError('VIGIE_NOT_FOUND', `no API key named ${name}`);
      db.prepare('INSERT OR IGNORE INTO organisations (key_name, id, updated_at) VALUES (?, ?, ?)').run(key.name, checkOrgId(id), now);
      return written(getOrganisation(db, name));
    })
    .immediate();
}

export function setOrganisationContact(
  db: Database.Database,
  keyName: string,
  c: { contactSealed?: Buffer | null; webhookUrl?: string | null; webhookSecretSealed?: Buffer | null },
  now: string,
): Organisation {
  const org = getOrganisation(db, keyName);
  if (!org) throw new VigieError('VIGIE_NOT_FOUND', `no organisation for the API key ${keyName}`);
  db.prepare('UPDATE organisations SET contact_sealed = ?, webhook_url = ?, webhook_secret_sealed = ?, updated_at = ? WHERE id = ?').run(
    c.contactSealed === undefined ? org.contactSealed : c.contactSealed,
    c.webhookUrl === undefined ? org.webhookUrl : c.webhookUrl,
    c.webhookSecretSealed === undefined ? org.webhookSecretSealed : c.webhookSecretSealed,
    now,
    org.id,
  );
  return written(getOrganisationById(db, org.id));
}

export function getDomain(db: Database.Database, keyName: string, domain: string): Domain | undefined {
  const row = db.prepare('SELECT * FROM domains WHERE key_name = ? AND domain = ?').get(keyName, domain) as DomainRow | undefined;
  return row && toDomain(row);
}

export function addDomain(db: Database.Database, d: { keyName: string; domain: string; token: string }, now: string): Domain {
  return db
    .transaction(() => {
      if (!getOrganisation(db, d.keyName)) throw new VigieError('VIGIE_NOT_FOUND', `no organisation for the API key ${d.keyName}`);
      if (getDomain(db, d.keyName, d.domain)) throw new VigieError('VIGIE_CONFLICT', `the domain ${d.domain} is already registered for this key`);
      const keyName = (db.prepare('SELECT key_name FROM organisations WHERE key_name = ?').get(d.keyName) as { key_name: string }).key_name;
      db.prepare("INSERT INTO domains (key_name, domain, token, state, created_at) VALUES (?, ?, ?, 'pending', ?)").run(keyName, d.domain, d.token, now);
      return written(getDomain(db, d.keyName, d.domain));
    })
    .immediate();
}

export function listDomains(db: Database.Database, keyName?: string): Domain[] {
  const rows =
    keyName === undefined
      ? db.prepare('SELECT * FROM domains ORDER BY domain, key_name').all()
      : db.prepare('SELECT * FROM domains WHERE key_name = ? ORDER BY domain').all(keyName);
  return (rows as DomainRow[]).map(toDomain);
}

export function verifyDomain(db: Database.Database, keyName: string, domain: string, method: DomainMethod, now: string): Domain {
  const info = db
    .prepare("UPDATE domains SET state = 'verified', method = coalesce(method, ?), verified_at = coalesce(verified_at, ?) WHERE key_name = ? AND domain = ?")
    .run(method, now, keyName, domain);
  if (info.changes === 0) throw new VigieError('VIGIE_NOT_FOUND', `the domain ${domain} is not registered for this key`);
  return written(getDomain(db, keyName, domain));
}

export function removeDomain(db: Database.Database, keyName: string, domain: string): void {
  db.transaction(() => {
    if (db.prepare('DELETE FROM domains WHERE key_name = ? AND domain = ?').run(keyName, domain).changes === 0) {
      throw new VigieError('VIGIE_NOT_FOUND', `the domain ${domain} is not registered for this key`);
    }
    const still = db.prepare("SELECT 1 FROM domains WHERE domain = ? AND state = 'verified'").get(domain);
    if (!still) db.prepare('DELETE FROM domain_aliases WHERE domain = ?').run(domain);
  }).immediate();
}

export function queueDomainMail(db: Database.Database, r: { orgId: Buffer; domain: string; messageId: string; expiresAt: string }, now: string): void {
  db.prepare(
    `INSERT INTO outbox (kind, recipient, breach, mask, status, attempts, next_attempt_at, message_id, expires_at, created_at, updated_at)
     VALUES ('domain-verify', ?, ?, 0, 'queued', 0, ?, ?, ?, ?, ?)`,
  ).run(checkOrgId(r.orgId), r.domain, now, r.messageId, r.expiresAt, now, now);
}

export function verifiedDomainNames(db: Database.Database): string[] {
  return (db.prepare("SELECT DISTINCT domain FROM domains WHERE state = 'verified' ORDER BY domain").all() as { domain: string }[]).map((r) => r.domain);
}

export function domainAliases(db: Database.Database, domain: string): BreachedAlias[] {
  const rows = db
    .prepare(
      `SELECT b.name AS breach, a.pseudonym, a.sealed FROM domain_aliases a JOIN breaches b ON b.id = a.breach_id
       WHERE a.domain = ? AND b.is_retired = 0 ORDER BY b.name, a.pseudonym`,
    )
    .all(domain) as { breach: string; pseudonym: Buffer; sealed: Buffer }[];
  return rows.map((r) => ({ breach: r.breach, pseudonym: Buffer.from(r.pseudonym), sealed: Buffer.from(r.sealed) }));
}

export function domainCounts(db: Database.Database, domain: string): DomainCounts {
  const row = db
    .prepare(
      `SELECT count(DISTINCT a.pseudonym) AS all_, count(DISTINCT CASE WHEN b.is_spam_list = 0 THEN a.pseudonym END) AS ham
       FROM domain_aliases a JOIN breaches b ON b.id = a.breach_id WHERE a.domain = ? AND b.is_retired = 0`,
    )
    .get(domain) as { all_: number; ham: number };
  return { pwnCount: row.all_, excludingSpamLists: row.ham };
}

export function organisationBreachCount(db: Database.Database, orgId: Buffer, breach: string): number {
  const row = db
    .prepare(
      `SELECT count(DISTINCT a.pseudonym) AS n FROM organisations o
       JOIN domains d ON d.key_name = o.key_name AND d.state = 'verified'
       JOIN domain_aliases a ON a.domain = d.domain
       JOIN breaches b ON b.id = a.breach_id AND b.name = ?
       WHERE o.id = ?`,
    )
    .get(breach, checkOrgId(orgId)) as { n: number };
  return row.n;
}

/** Inside the publishing transaction: the staged aliases of verified domains, once each. */
export function storeAliases(db: Database.Database, breachId: number, rows: readonly DomainAlias[]): void {
  const insert = db.prepare('INSERT OR IGNORE INTO domain_aliases (domain, breach_id, pseudonym, sealed) VALUES (?, ?, ?, ?)');
  for (const r of rows) insert.run(r.domain, breachId, checkPseudonym(r.pseudonym), r.sealed);
}

/**
 * Inside the publishing transaction: one alert per organisation (key still valid, a contact or a
 * webhook given) holding addresses of its verified domains in the breach, with the OR of their
 * classes. The unique index makes an append alert nobody twice.
 */
export function enqueueOrgAlerts(db: Database.Database, breachId: number, breach: string, now: string): number {
  return db
    .prepare(
      `INSERT OR IGNORE INTO outbox (kind, recipient, breach, mask, status, attempts, next_attempt_at, message_id, created_at, updated_at)
       SELECT 'org-alert', o.id, ?, vigie_bit_or(e.mask), 'queued', 0, ?, lower(hex(randomblob(16))), ?, ?
       FROM organisations o
       JOIN api_keys k ON k.name = o.key_name
       JOIN domains d ON d.key_name = o.key_name AND d.state = 'verified'
       JOIN domain_aliases a ON a.domain = d.domain AND a.breach_id = ?
       JOIN exposures e ON e.pseudonym = a.pseudonym AND e.breach_id = ?
       WHERE o.contact_sealed IS NOT NULL OR o.webhook_url IS NOT NULL
       GROUP BY o.id`,
    )
    .run(breach, now, now, now, breachId, breachId).changes;
}
