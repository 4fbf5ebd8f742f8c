/**
 * SQLite schema, as numbered migrations applied in order and recorded in `schema_version`.
 * Append new migrations; never edit one that has shipped.
 */
import type Database from 'better-sqlite3';
import { VigieError } from '../../errors.js';

export interface Migration {
  version: number;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE breaches (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        title TEXT NOT NULL,
        domain TEXT NOT NULL,
        breach_date TEXT,
        added_date TEXT NOT NULL,
        modified_date TEXT NOT NULL,
        pwn_count INTEGER NOT NULL,
        description TEXT NOT NULL,
        logo_path TEXT NOT NULL,
        data_class_mask INTEGER NOT NULL,
        identifiers INTEGER NOT NULL,
        is_verified INTEGER NOT NULL,
        is_fabricated INTEGER NOT NULL,
        is_sensitive INTEGER NOT NULL,
        is_retired INTEGER NOT NULL,
        is_spam_list INTEGER NOT NULL,
        is_malware INTEGER NOT NULL,
        is_subscription_free INTEGER NOT NULL,
        is_stealer_log INTEGER NOT NULL,
        stats TEXT NOT NULL
      );
      CREATE TABLE breach_files (
        breach_id INTEGER NOT NULL,
        digest TEXT NOT NULL,
        added_at TEXT NOT NULL,
        PRIMARY KEY (breach_id, digest)
      ) WITHOUT ROWID;
      -- One row per (pseudonym, breach): 16 + ~1 + ~3 bytes of payload. WITHOUT ROWID makes the
      -- primary key the table itself, so a lookup is one B-tree descent and there is no second copy
      -- of the pseudonym in an index.
      CREATE TABLE exposures (
        pseudonym BLOB NOT NULL,
        breach_id INTEGER NOT NULL,
        mask INTEGER NOT NULL,
        PRIMARY KEY (pseudonym, breach_id)
      ) WITHOUT ROWID;
      CREATE TABLE ingest_runs (
        id TEXT PRIMARY KEY,
        breach TEXT NOT NULL,
        status TEXT NOT NULL,
        input_digests TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        error TEXT
      );
      CREATE INDEX ingest_runs_started ON ingest_runs (started_at);
    `,
  },
  {
    version: 2,
    sql: `
      -- API keys of the HTTP API: only the SHA-256 of each key is kept.
      CREATE TABLE api_keys (
        name TEXT PRIMARY KEY COLLATE NOCASE,
        key_hash TEXT NOT NULL UNIQUE,
        rpm INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        last_used_at TEXT
      );
    `,
  },
  {
    version: 3,
    sql: `
      -- What the operator states (the organisation, each incident): JSON objects validated in code.
      CREATE TABLE org_profile (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        doc TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE incidents (
        breach TEXT PRIMARY KEY COLLATE NOCASE,
        doc TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 4,
    sql: `
      -- Alert subscriptions: keyed by the pseudonym of the normalised address; the address is
      -- kept only sealed (AES-256-GCM), to send to it.
      CREATE TABLE subscriptions (
        pseudonym BLOB PRIMARY KEY,
        sealed BLOB NOT NULL,
        lang TEXT NOT NULL,
        state TEXT NOT NULL,
        created_at TEXT NOT NULL,
        confirmed_at TEXT,
        updated_at TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX subscriptions_confirmed ON subscriptions (pseudonym) WHERE state = 'confirmed';
      -- The outbox: written in the transaction that publishes a leak, sent afterwards.
      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        recipient BLOB NOT NULL,
        breach TEXT,
        mask INTEGER NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        next_attempt_at TEXT NOT NULL,
        message_id TEXT NOT NULL UNIQUE,
        expires_at TEXT,
        last_error TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      -- One alert per recipient and breach, whatever appends and re-runs happen.
      CREATE UNIQUE INDEX outbox_alert_once ON outbox (recipient, breach) WHERE kind = 'alert';
      CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status IN ('queued', 'failed');
      CREATE INDEX outbox_recipient ON outbox (recipient, kind, created_at);
    `,
  },
  {
    version: 5,
    sql: `
      -- Subscriptions by phone: the channel, and the one-time code, kept only as a keyed hash
      -- (HMAC-SHA-256), with its expiry and the wrong tries made against it.
      ALTER TABLE subscriptions ADD COLUMN channel TEXT NOT NULL DEFAULT 'email';
      ALTER TABLE subscriptions ADD COLUMN code_hash BLOB;
      ALTER TABLE subscriptions ADD COLUMN code_expires_at TEXT;
      ALTER TABLE subscriptions ADD COLUMN code_attempts INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    // Written apart from 5 on another branch; the runner applies every migration not recorded.
    version: 6,
    sql: `
      -- Organisations (an API key each), their domains, and the aliases of their verified
      -- domains in each leak, sealed (ADR 0008). An operator key may use the outbox API.
      ALTER TABLE api_keys ADD COLUMN operator INTEGER NOT NULL DEFAULT 0;
      CREATE TABLE organisations (
        key_name TEXT PRIMARY KEY COLLATE NOCASE,
        id BLOB NOT NULL UNIQUE,
        contact_sealed BLOB,
        webhook_url TEXT,
        webhook_secret_sealed BLOB,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE domains (
        key_name TEXT NOT NULL COLLATE NOCASE,
        domain TEXT NOT NULL,
        token TEXT NOT NULL,
        state TEXT NOT NULL,
        method TEXT,
        created_at TEXT NOT NULL,
        verified_at TEXT,
        PRIMARY KEY (key_name, domain)
      );
      CREATE INDEX domains_verified ON domains (domain) WHERE state = 'verified';
      CREATE TABLE domain_aliases (
        domain TEXT NOT NULL,
        breach_id INTEGER NOT NULL,
        pseudonym BLOB NOT NULL,
        sealed BLOB NOT NULL,
        PRIMARY KEY (domain, breach_id, pseudonym)
      ) WITHOUT ROWID;
      CREATE INDEX domain_aliases_breach ON domain_aliases (breach_id);
      -- One alert per organisation and breach.
      CREATE UNIQUE INDEX outbox_org_alert_once ON outbox (recipient, breach) WHERE kind = 'org-alert';
    `,
  },
  {
    version: 7,
    sql: `
      -- The people of each leak as a distinct-count sketch of keyed pseudonyms (src/sketch.ts,
      -- ADR 0002, addendum): exact set or HyperLogLog registers, so that an appended file adds only the
      -- persons new to the leak to its PwnCount. Apart from breaches: listings never read it.
      CREATE TABLE breach_people (
        breach_id INTEGER PRIMARY KEY,
        sketch BLOB NOT NULL
      );
    `,
  },
];

/**
 * Applies, in one write transaction, every migration not yet recorded (in version order, gaps
 * allowed: branches number theirs apart and merge in either order); returns the schema version.
 * A recorded version this Vigie does not know means a newer Vigie wrote the database.
 */
export function migrate(db: Database.Database, now: string): number {
  const latest = migrations[migrations.length - 1]!.version;
  const known = new Set(migrations.map((m) => m.version));
  return db
    .transaction(() => {
      db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
      const applied = new Set((db.prepare('SELECT version FROM schema_version').all() as { version: number }[]).map((r) => r.version));
      const unknown = [...applied].filter((v) => !known.has(v));
      if (unknown.length > 0) {
        throw new VigieError('VIGIE_STORE', `the database schema has version ${Math.max(...unknown)}, unknown to this Vigie (${latest}): upgrade Vigie`);
      }
      const record = db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)');
      for (const m of migrations) {
        if (applied.has(m.version)) continue;
        db.exec(m.sql);
        record.run(m.version, now);
      }
      return latest;
    })
    .immediate();
}
