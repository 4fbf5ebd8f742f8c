/** Organisations, their domains and the sealed aliases of verified domains in the PostgreSQL engine (migration 6). */
import type postgres from 'postgres';
import { VigieError } from '../../errors.js';
import { checkPseudonym } from '../alerts.js';
import { checkOrgId, written, type BreachedAlias, type Domain, type DomainAlias, type DomainCounts, type DomainMethod, type Organisation } from '../domains.js';
import { checkApiKeyName } from '../validate.js';
import { fromUuid, type Sql, toUuid } from './rows.js';

type OrgRow = { key_name: string; id: string; contact_sealed: Buffer | null; webhook_url: string | null; webhook_secret_sealed: Buffer | null };
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
  id: fromUuid(r.id),
  contactSealed: r.contact_sealed,
  webhookUrl: r.webhook_url,
  webhookSecretSealed: r.webhook_secret_sealed,
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
const orgUuid = (id: Buffer) => toUuid(checkOrgId(id));

export async function getOrganisation(sql: Sql, keyName: string): Promise<Organisation | undefined> {
  const [row] = await sql<OrgRow[]>`SELECT * FROM organisations WHERE lower(key_name) = lower(${checkApiKeyName(keyName)})`;
  return row && toOrg(row);
}

export async function getOrganisationById(sql: Sql, id: Buffer): Promise<Organisation | undefined> {
  const [row] = await sql<OrgRow[]>`SELECT * FROM organisations WHERE id = ${orgUuid(id)}`;
  return row && toOrg(row);
}

export async function ensureOrganisation(sql: Sql, keyName: string, id: Buffer, now: string): Promise<Organisation> {
  const name = checkApiKeyName(keyName);
  const [key] = await sql<{ name: string }[]>`SELECT name FROM api_keys WHERE lower(name) = lower(${name})`;
  if (!key) throw new VigieError('VIGIE_NOT_FOUND', `no API key named ${name}`);
  await sql`INSERT INTO organisations (key_name, id, updated_at) VALUES (${key.name}, ${orgUuid(id)}, ${now}) ON CONFLICT DO NOTHING`;
  return written(await getOrganisation(sql, name));
}

export async function setOrganisationContact(
  sql: Sql,
  keyName: string,
  c: { contactSealed?: Buffer | null; webhookUrl?: string | null; webhookSecretSealed?: Buffer | null },
  now: string,
): Promise<Organisation> {
  const org = await getOrganisation(sql, keyName);
  if (!org) throw new VigieError('VIGIE_NOT_FOUND', `no organisation for the API key ${keyName}`);
  await sql`
    UPDATE organisations SET
      contact_sealed = ${c.contactSealed === undefined ? org.contactSealed : c.contactSealed},
      webhook_url = ${c.webhookUrl === undefined ? org.webhookUrl : c.webhookUrl},
      webhook_secret_sealed = ${c.webhookSecretSealed === undefined ? org.webhookSecretSealed : c.webhookSecretSealed},
      updated_at = ${now}
    WHERE id = ${toUuid(org.id)}`;
  return written(await getOrganisationById(sql, org.id));
}

export async function getDomain(sql: Sql, keyName: string, domain: string): Promise<Domain | undefined> {
  const [row] = await sql<DomainRow[]>`SELECT * FROM domains WHERE lower(key_name) = lower(${keyName}) AND domain = ${domain}`;
  return row && toDomain(row);
}

export async function addDomain(sql: Sql, d: { keyName: string; domain: string; token: string }, now: string): Promise<Domain> {
  const org = await getOrganisation(sql, d.keyName);
  if (!org) throw new VigieError('VIGIE_NOT_FOUND', `no organisation for the API key ${d.keyName}`);
  const rows = await sql`
    INSERT INTO domains (key_name, token, domain, state, created_at) VALUES (${org.keyName}, ${d.token}, ${d.domain}, 'pending', ${now})
    ON CONFLICT DO NOTHING RETURNING 1`;
  if (rows.length === 0) throw new VigieError('VIGIE_CONFLICT', `the domain ${d.domain} is already registered for this key`);
  return written(await getDomain(sql, d.keyName, d.domain));
}

export async function listDomains(sql: Sql, keyName?: string): Promise<Domain[]> {
  const rows =
    keyName === undefined
      ? await sql<DomainRow[]>`SELECT * FROM domains ORDER BY domain COLLATE "C", lower(key_name)`
      : await sql<DomainRow[]>`SELECT * FROM domains WHERE lower(key_name) = lower(${keyName}) ORDER BY domain COLLATE "C"`;
  return rows.map(toDomain);
}

export async function verifyDomain(sql: Sql, keyName: string, domain: string, method: DomainMethod, now: string): Promise<Domain> {
  const rows = await sql`
    UPDATE domains SET state = 'verified', method = coalesce(method, ${method}), verified_at = coalesce(verified_at, ${now})
    WHERE lower(key_name) = lower(${keyName}) AND domain = ${domain} RETURNING 1`;
  if (rows.length === 0) throw new VigieError('VIGIE_NOT_FOUND', `the domain ${domain} is not registered for this key`);
  return written(await getDomain(sql, keyName, domain));
}

export async function removeDomain(sql: postgres.Sql, keyName: string, domain: string): Promise<void> {
  await sql.begin(async (tx) => {
    const gone = await tx`DELETE FROM domains WHERE lower(key_name) = lower(${keyName}) AND domain = ${domain} RETURNING 1`;
    if (gone.length === 0) throw new VigieError('VIGIE_NOT_FOUND', `the domain ${domain} is not registered for this key`);
    const still = await tx`SELECT 1 FROM domains WHERE domain = ${domain} AND state = 'verified' LIMIT 1`;
    if (still.length === 0) await tx`DELETE FROM domain_aliases WHERE domain = ${domain}`;
  });
}

export async function queueDomainMail(sql: Sql, r: { orgId: Buffer; domain: string; messageId: string; expiresAt: string }, now: string): Promise<void> {
  await sql`
    INSERT INTO outbox (kind, recipient, breach, mask, status, attempts, next_attempt_at, message_id, expires_at, created_at, updated_at)
    VALUES ('domain-verify', ${orgUuid(r.orgId)}, ${r.domain}, 0, 'queued', 0, ${now}, ${r.messageId}, ${r.expiresAt}, ${now}, ${now})`;
}

export async function verifiedDomainNames(sql: Sql): Promise<string[]> {
  return (await sql<{ domain: string }[]>`SELECT DISTINCT domain FROM domains WHERE state = 'verified' ORDER BY domain`).map((r) => r.domain);
}

export async function domainAliases(sql: Sql, domain: string): Promise<BreachedAlias[]> {
  const rows = await sql<{ breach: string; pseudonym: string; sealed: Buffer }[]>`
    SELECT b.name AS breach, a.pseudonym, a.sealed FROM domain_aliases a JOIN breaches b ON b.id = a.breach_id
    WHERE a.domain = ${domain} AND NOT b.is_retired ORDER BY b.name COLLATE "C", a.pseudonym`;
  return rows.map((r) => ({ breach: r.breach, pseudonym: fromUuid(r.pseudonym), sealed: r.sealed }));
}

export async function domainCounts(sql: Sql, domain: string): Promise<DomainCounts> {
  const [row] = await sql<{ all_: string; ham: string }[]>`
    SELECT count(DISTINCT a.pseudonym) AS all_, count(DISTINCT a.pseudonym) FILTER (WHERE NOT b.is_spam_list) AS ham
    FROM domain_aliases a JOIN breaches b ON b.id = a.breach_id WHERE a.domain = ${domain} AND NOT b.is_retired`;
  return { pwnCount: Number(row?.all_), excludingSpamLists: Number(row?.ham) };
}

export async function organisationBreachCount(sql: Sql, orgId: Buffer, breach: string): Promise<number> {
  const [row] = await sql<{ n: string }[]>`
    SELECT count(DISTINCT a.pseudonym) AS n FROM organisations o
    JOIN domains d ON lower(d.key_name) = lower(o.key_name) AND d.state = 'verified'
    JOIN domain_aliases a ON a.domain = d.domain
    JOIN breaches b ON b.id = a.breach_id AND b.name = ${breach}
    WHERE o.id = ${orgUuid(orgId)}`;
  return Number(row?.n);
}

/** Inside the publishing transaction (`conn` is in it): the staged aliases, once each. */
export async function storeAliases(conn: Sql, breachId: number, rows: readonly DomainAlias[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    const part = rows.slice(i, i + 1000);
    await conn`
      INSERT INTO domain_aliases (domain, breach_id, pseudonym, sealed)
      SELECT d, ${breachId}, p::uuid, s FROM unnest(${conn.array(part.map((r) => r.domain))}::text[], ${conn.array(part.map((r) => toUuid(checkPseudonym(r.pseudonym))))}::text[], ${conn.array(part.map((r) => r.sealed))}::bytea[]) AS u(d, p, s)
      ON CONFLICT DO NOTHING`;
  }
}

/** Inside the publishing transaction: one alert per organisation holding addresses of its verified domains in the breach. */
export async function enqueueOrgAlerts(conn: Sql, breachId: number, breach: string, now: string): Promise<number> {
  const rows = await conn`
    INSERT INTO outbox (kind, recipient, breach, mask, status, attempts, next_attempt_at, message_id, created_at, updated_at)
    SELECT 'org-alert', o.id, ${breach}, bit_or(e.mask), 'queued', 0, ${now}, replace(gen_random_uuid()::text, '-', ''), ${now}, ${now}
    FROM organisations o
    JOIN api_keys k ON lower(k.name) = lower(o.key_name)
    JOIN domains d ON lower(d.key_name) = lower(o.key_name) AND d.state = 'verified'
    JOIN domain_aliases a ON a.domain = d.domain AND a.breach_id = ${breachId}
    JOIN exposures e ON e.pseudonym = a.pseudonym AND e.breach_id = ${breachId}
    WHERE o.contact_sealed IS NOT NULL OR o.webhook_url IS NOT NULL
    GROUP BY o.id
    ON CONFLICT (recipient, breach) WHERE kind = 'org-alert' DO NOTHING`;
  return rows.count;
}
