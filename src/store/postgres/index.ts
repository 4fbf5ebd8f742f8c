/**
 * The server engine: PostgreSQL through postgres.js (pooled, prepared statements, COPY).
 * Several API instances may share one database; commits, deletions and retirements of one
 * breach are serialised by a transaction-scoped advisory lock on its name.
 */
import postgres from 'postgres';
import { VigieError } from '../../errors.js';
import { planLoad, toEntry } from '../catalogue.js';
import { guarded, guardLoad } from '../failure.js';
import type { ApiKey, BreachEntry, Exposure, IngestRun, Load, LoadRequest, Statement, Store, StoreOptions, StoredStatement } from '../store.js';
import * as apiKeys from './apikeys.js';
import * as domains from './domains.js';
import type { BreachedAlias, Domain, DomainCounts, DomainMethod, Organisation } from '../domains.js';
import * as statements from './statements.js';
import { checkBreachName, checkLoadRequest, checkPseudonymBatch, checkRun, isoSeconds, PSEUDONYM_BYTES } from '../validate.js';
import { PostgresLoad } from './load.js';
import type { PostgresContext } from './load.js';
import { LOCK_NAMESPACE, migrate } from './migrations.js';
import { breachState, lockBreach, readBreachRow, readBreachRows, readFiles, writeBreachRow } from './rows.js';
import type { Sql } from './rows.js';
import { toUuid } from './rows.js';
import * as alerts from './alerts.js';
import type { CodeCheck, OutboxCounts, OutboxMessage, OutboxOutcome, Subscription, SubscriptionRequest } from '../alerts.js';
import { toRun, type RunRow } from '../runs.js';

/** Pseudonyms per `lookupMany` query: a 320 KB parameter, an answer of at most as many rows. */
const LOOKUP_CHUNK = 20_000;

const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;

export class PostgresStore implements Store {
  readonly engine = 'postgres' as const;
  private readonly loads = new Set<PostgresLoad>();
  private readonly now: () => Date;

  private constructor(
    private readonly sql: postgres.Sql,
    private readonly schema: string,
    options: StoreOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** Connects (lazily: postgres.js opens connections on first query) and migrates. */
  static async open(url: string, options: StoreOptions = {}): Promise<PostgresStore> {
    const schema = options.schema ?? 'vigie';
    if (!SCHEMA.test(schema)) throw new VigieError('VIGIE_CONFIG', 'a PostgreSQL schema name must be lowercase letters, digits and "_"');
    const sql = postgres(url, {
      max: 10,
      idle_timeout: 60,
      onnotice: () => undefined,
      connection: { search_path: schema, application_name: 'vigie' },
    });
    const store = new PostgresStore(sql, schema, options);
    try {
      await store.migrate();
    } catch (e) {
      await sql.end({ timeout: 1 });
      throw e;
    }
    return store;
  }

  private context(): PostgresContext {
    return {
      sql: this.sql,
      now: () => isoSeconds(this.now()),
      entry: async (name) => (await this.entry(this.sql, name))!,
      release: (load) => this.loads.delete(load),
    };
  }

  private async entry(sql: Sql, name: string): Promise<BreachEntry | undefined> {
    const row = await readBreachRow(sql, name);
    return row && toEntry(row, await readFiles(sql, row.id));
  }

  migrate(): Promise<number> {
    return guarded('postgres', () => migrate(this.sql, this.schema, isoSeconds(this.now())));
  }

  checkKey(fingerprint: string): Promise<void> {
    return guarded('postgres', () =>
      this.sql.begin(async (tx) => {
        await tx`INSERT INTO meta (key, value) VALUES ('key_fingerprint', ${fingerprint}) ON CONFLICT (key) DO NOTHING`;
        const [row] = await tx<{ value: string }[]>`SELECT value FROM meta WHERE key = 'key_fingerprint'`;
        if (row!.value !== fingerprint) {
          throw new VigieError('VIGIE_KEY', `this store was built with another secret key (fingerprint ${row!.value}, this key ${fingerprint})`);
        }
      }),
    );
  }

  listBreaches(options: { includeRetired?: boolean } = {}): Promise<BreachEntry[]> {
    return guarded('postgres', async () => {
      const rows = await readBreachRows(this.sql, options.includeRetired ?? false);
      return Promise.all(rows.map(async (r) => toEntry(r, await readFiles(this.sql, r.id))));
    });
  }

  getBreach(name: string): Promise<BreachEntry | undefined> {
    return guarded('postgres', () => this.entry(this.sql, checkBreachName(name)));
  }

  deleteBreach(name: string): Promise<void> {
    return guarded('postgres', async () => {
      checkBreachName(name);
      await this.sql.begin(async (tx) => {
        await lockBreach(tx, LOCK_NAMESPACE, name);
        const row = await readBreachRow(tx, name);
        if (!row) throw new VigieError('VIGIE_NOT_FOUND', `no breach named ${name}`);
        // No index on breach_id (it would add ~40 bytes per identifier): this scans the table.
        await tx`DELETE FROM exposures WHERE breach_id = ${row.id}`;
        await tx`DELETE FROM domain_aliases WHERE breach_id = ${row.id}`;
        await tx`DELETE FROM breaches WHERE id = ${row.id}`;
      });
    });
  }

  retireBreach(name: string): Promise<BreachEntry> {
    return guarded('postgres', async () => {
      checkBreachName(name);
      await this.sql.begin(async (tx) => {
        await lockBreach(tx, LOCK_NAMESPACE, name);
        const row = await readBreachRow(tx, name);
        if (!row) throw new VigieError('VIGIE_NOT_FOUND', `no breach named ${name}`);
        if (row.is_retired) return;
        await tx`DELETE FROM exposures WHERE breach_id = ${row.id}`;
        await tx`DELETE FROM domain_aliases WHERE breach_id = ${row.id}`;
        await tx`DELETE FROM breach_people WHERE breach_id = ${row.id}`;
        await writeBreachRow(tx, row.id, { ...row, is_retired: true, modified_date: isoSeconds(this.now()) });
      });
      return (await this.entry(this.sql, name))!;
    });
  }

  beginLoad(request: LoadRequest): Promise<Load> {
    return guarded('postgres', async () => {
      const digests = checkLoadRequest(request);
      const plan = planLoad(await breachState(this.sql, request.breach.Name), request.append, digests, request.breach.Name);
      const load = await PostgresLoad.start(this.context(), request, digests, plan);
      this.loads.add(load);
      return guardLoad('postgres', load);
    });
  }

  lookup(pseudonym: Buffer): Promise<Exposure[]> {
    if (pseudonym.length !== PSEUDONYM_BYTES) {
      return Promise.reject(new VigieError('VIGIE_INTERNAL', `a pseudonym is ${PSEUDONYM_BYTES} bytes`));
    }
    return guarded('postgres', async () => {
      const rows = await this.sql<{ breach: string; mask: number }[]>`
        SELECT b.name AS breach, e.mask FROM exposures e JOIN breaches b ON b.id = e.breach_id
        WHERE e.pseudonym = ${toUuid(pseudonym)}::uuid AND NOT b.is_retired ORDER BY lower(b.name) COLLATE "C"`;
      // int4 is signed: give back the mask's unsigned bits.
      return rows.map((r) => ({ breach: r.breach, mask: r.mask >>> 0 }));
    });
  }

  lookupMany(breach: string, pseudonyms: Buffer): Promise<Uint32Array> {
    return guarded('postgres', async () => {
      const n = checkPseudonymBatch(pseudonyms);
      const out = new Uint32Array(n);
      const row = await readBreachRow(this.sql, checkBreachName(breach));
      if (!row) throw new VigieError('VIGIE_NOT_FOUND', `no leak named ${breach}`);
      // The batch goes as one bytea parameter, cut into uuids by the server: one round trip and
      // one index probe per pseudonym, without a text array of n uuids to build and parse.
      for (let from = 0; from < n; from += LOOKUP_CHUNK) {
        const count = Math.min(LOOKUP_CHUNK, n - from);
        const chunk = pseudonyms.subarray(from * PSEUDONYM_BYTES, (from + count) * PSEUDONYM_BYTES);
        const rows = await this.sql<{ i: number; mask: number }[]>`
          SELECT q.i, e.mask FROM generate_series(0, ${count - 1}::int) AS q(i)
          JOIN exposures e ON e.breach_id = ${row.id}
           AND e.pseudonym = encode(substring(${chunk}::bytea FROM q.i * 16 + 1 FOR 16), 'hex')::uuid`;
        for (const r of rows) out[from + r.i] = r.mask >>> 0;
      }
      return out;
    });
  }

  recordRun(run: IngestRun): Promise<void> {
    return guarded('postgres', async () => {
      checkRun(run);
      await this.sql`
        INSERT INTO ingest_runs (id, breach, status, input_digests, started_at, finished_at, error)
        VALUES (${run.id}, ${run.breach}, ${run.status}, ${this.sql.json(run.inputDigests)}, ${run.startedAt},
                ${run.finishedAt ?? null}, ${run.error?.slice(0, 2000) ?? null})
        ON CONFLICT (id) DO UPDATE SET breach = EXCLUDED.breach, status = EXCLUDED.status, input_digests = EXCLUDED.input_digests,
          started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at, error = EXCLUDED.error`;
    });
  }

  listRuns(options: { breach?: string; limit?: number } = {}): Promise<IngestRun[]> {
    return guarded('postgres', async () => {
      const limit = Math.max(1, Math.min(options.limit ?? 100, 10_000));
      const rows =
        options.breach === undefined
          ? await this.sql<RunRow[]>`SELECT * FROM ingest_runs ORDER BY started_at DESC, id COLLATE "C" DESC LIMIT ${limit}`
          : await this.sql<RunRow[]>`SELECT * FROM ingest_runs WHERE lower(breach) = lower(${options.breach})
              ORDER BY started_at DESC, id COLLATE "C" DESC LIMIT ${limit}`;
      return rows.map(toRun);
    });
  }

  createApiKey(key: { name: string; hash: string; rpm: number; operator?: boolean }): Promise<ApiKey> {
    return guarded('postgres', () => apiKeys.createApiKey(this.sql, key, isoSeconds(this.now())));
  }

  listApiKeys(): Promise<ApiKey[]> {
    return guarded('postgres', () => apiKeys.listApiKeys(this.sql));
  }

  revokeApiKey(name: string): Promise<void> {
    return guarded('postgres', () => apiKeys.revokeApiKey(this.sql, name));
  }

  touchApiKeys(lastUsed: ReadonlyMap<string, string>): Promise<void> {
    return guarded('postgres', () => apiKeys.touchApiKeys(this.sql, lastUsed));
  }

  getOrgProfile(): Promise<StoredStatement | undefined> {
    return guarded('postgres', () => statements.getOrgProfile(this.sql));
  }

  setOrgProfile(profile: Statement): Promise<StoredStatement> {
    return guarded('postgres', () => statements.setOrgProfile(this.sql, profile, isoSeconds(this.now())));
  }

  getIncident(breach: string): Promise<StoredStatement | undefined> {
    return guarded('postgres', () => statements.getIncident(this.sql, breach));
  }

  setIncident(breach: string, incident: Statement): Promise<StoredStatement> {
    return guarded('postgres', () => statements.setIncident(this.sql, breach, incident, isoSeconds(this.now())));
  }

  requestSubscription(request: SubscriptionRequest): Promise<void> {
    return guarded('postgres', () => alerts.requestSubscription(this.sql, request, isoSeconds(this.now())));
  }

  confirmSubscription(pseudonym: Buffer): Promise<boolean> {
    return guarded('postgres', () => alerts.confirmSubscription(this.sql, pseudonym, isoSeconds(this.now())));
  }

  getSubscription(pseudonym: Buffer): Promise<Subscription | undefined> {
    return guarded('postgres', () => alerts.getSubscription(this.sql, pseudonym));
  }

  checkPhoneCode(check: CodeCheck): Promise<boolean> {
    return guarded('postgres', () => alerts.checkPhoneCode(this.sql, check));
  }

  deleteSubscription(pseudonym: Buffer): Promise<boolean> {
    return guarded('postgres', () => alerts.deleteSubscription(this.sql, pseudonym));
  }

  claimOutbox(options: { limit: number; leaseSeconds: number }): Promise<OutboxMessage[]> {
    return guarded('postgres', () => alerts.claimOutbox(this.sql, options.limit, options.leaseSeconds, isoSeconds(this.now())));
  }

  recordOutcomes(outcomes: readonly OutboxOutcome[]): Promise<void> {
    return guarded('postgres', () => alerts.recordOutcomes(this.sql, outcomes, isoSeconds(this.now())));
  }

  outboxCounts(): Promise<OutboxCounts> {
    return guarded('postgres', () => alerts.outboxCounts(this.sql));
  }

  retryDead(): Promise<number> {
    return guarded('postgres', () => alerts.retryDead(this.sql, isoSeconds(this.now())));
  }

  purgeOutbox(before: string): Promise<{ messages: number; subscriptions: number }> {
    return guarded('postgres', () => alerts.purgeOutbox(this.sql, before));
  }

  ensureOrganisation(keyName: string, id: Buffer): Promise<Organisation> {
    return guarded('postgres', () => domains.ensureOrganisation(this.sql, keyName, id, isoSeconds(this.now())));
  }

  getOrganisation(keyName: string): Promise<Organisation | undefined> {
    return guarded('postgres', () => domains.getOrganisation(this.sql, keyName));
  }

  getOrganisationById(id: Buffer): Promise<Organisation | undefined> {
    return guarded('postgres', () => domains.getOrganisationById(this.sql, id));
  }

  setOrganisationContact(
    keyName: string,
    c: { contactSealed?: Buffer | null; webhookUrl?: string | null; webhookSecretSealed?: Buffer | null },
  ): Promise<Organisation> {
    return guarded('postgres', () => domains.setOrganisationContact(this.sql, keyName, c, isoSeconds(this.now())));
  }

  addDomain(d: { keyName: string; domain: string; token: string }): Promise<Domain> {
    return guarded('postgres', () => domains.addDomain(this.sql, d, isoSeconds(this.now())));
  }

  getDomain(keyName: string, domain: string): Promise<Domain | undefined> {
    return guarded('postgres', () => domains.getDomain(this.sql, keyName, domain));
  }

  listDomains(keyName?: string): Promise<Domain[]> {
    return guarded('postgres', () => domains.listDomains(this.sql, keyName));
  }

  verifyDomain(keyName: string, domain: string, method: DomainMethod): Promise<Domain> {
    return guarded('postgres', () => domains.verifyDomain(this.sql, keyName, domain, method, isoSeconds(this.now())));
  }

  removeDomain(keyName: string, domain: string): Promise<void> {
    return guarded('postgres', () => domains.removeDomain(this.sql, keyName, domain));
  }

  queueDomainMail(r: { orgId: Buffer; domain: string; messageId: string; expiresAt: string }): Promise<void> {
    return guarded('postgres', () => domains.queueDomainMail(this.sql, r, isoSeconds(this.now())));
  }

  verifiedDomainNames(): Promise<string[]> {
    return guarded('postgres', () => domains.verifiedDomainNames(this.sql));
  }

  domainAliases(domain: string): Promise<BreachedAlias[]> {
    return guarded('postgres', () => domains.domainAliases(this.sql, domain));
  }

  domainCounts(domain: string): Promise<DomainCounts> {
    return guarded('postgres', () => domains.domainCounts(this.sql, domain));
  }

  organisationBreachCount(orgId: Buffer, breach: string): Promise<number> {
    return guarded('postgres', () => domains.organisationBreachCount(this.sql, orgId, breach));
  }

  async close(): Promise<void> {
    for (const load of this.loads) load.closed();
    this.loads.clear();
    await this.sql.end({ timeout: 5 });
  }
}

/** Opens the PostgreSQL store at `url`. */
export function openPostgresStore(url: string, options: StoreOptions = {}): Promise<Store> {
  return guarded('postgres', () => PostgresStore.open(url, options));
}
