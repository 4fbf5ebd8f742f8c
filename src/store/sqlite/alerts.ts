/** Subscriptions and the outbox in the SQLite engine (tables `subscriptions`, `outbox`, migration 4). */
import { timingSafeEqual } from 'node:crypto';
import type Database from 'better-sqlite3';
import { addSeconds, checkLimit, checkPseudonym, clipError } from '../alerts.js';
import type { Channel, CodeCheck, OutboxCounts, OutboxMessage, OutboxOutcome, Subscription, SubscriptionRequest } from '../alerts.js';

type SubRow = {
  pseudonym: Buffer;
  sealed: Buffer;
  lang: 'fr' | 'en';
  channel: Channel;
  state: Subscription['state'];
  created_at: string;
  confirmed_at: string | null;
};
type MsgRow = {
  id: number;
  kind: OutboxMessage['kind'];
  recipient: Buffer;
  breach: string | null;
  mask: number;
  message_id: string;
  attempts: number;
  expires_at: string | null;
  sealed: Buffer | null;
  lang: 'fr' | 'en' | null;
  channel: Channel | null;
};

function toSubscription(r: SubRow): Subscription {
  return {
    pseudonym: Buffer.from(r.pseudonym),
    sealed: Buffer.from(r.sealed),
    lang: r.lang,
    channel: r.channel,
    state: r.state,
    createdAt: r.created_at,
    confirmedAt: r.confirmed_at,
  };
}

function toMessage(r: MsgRow): OutboxMessage {
  return {
    id: Number(r.id),
    kind: r.kind,
    recipient: Buffer.from(r.recipient),
    breach: r.breach,
    mask: r.mask >>> 0,
    messageId: r.message_id,
    attempts: r.attempts,
    expiresAt: r.expires_at,
    subscription: r.sealed && r.lang ? { sealed: Buffer.from(r.sealed), lang: r.lang, channel: r.channel ?? 'email' } : undefined,
  };
}

/**
 * Queues one alert per confirmed subscriber whose pseudonym the breach now holds, inside the
 * caller's publishing transaction. Subscribers drive the join (CROSS JOIN fixes the order in
 * SQLite): one primary-key probe of `exposures` each, and no leaked value is read, only masks.
 * The unique index on (recipient, breach) makes an append or a re-run alert nobody twice.
 */
export function enqueueAlerts(db: Database.Database, breachId: number, breach: string, now: string): number {
  return db
    .prepare(
      `INSERT OR IGNORE INTO outbox (kind, recipient, breach, mask, status, attempts, next_attempt_at, message_id, created_at, updated_at)
       SELECT 'alert', s.pseudonym, ?, e.mask, 'queued', 0, ?, lower(hex(randomblob(16))), ?, ?
       FROM subscriptions s CROSS JOIN exposures e
       WHERE s.state = 'confirmed' AND e.pseudonym = s.pseudonym AND e.breach_id = ?`,
    )
    .run(breach, now, now, now, breachId).changes;
}

export function requestSubscription(db: Database.Database, r: SubscriptionRequest, now: string): void {
  checkPseudonym(r.pseudonym);
  db.transaction(() => {
    db.prepare(
      `INSERT INTO subscriptions (pseudonym, sealed, lang, channel, state, created_at, confirmed_at, updated_at) VALUES (?, ?, ?, ?, 'pending', ?, NULL, ?)
       ON CONFLICT (pseudonym) DO UPDATE SET sealed = excluded.sealed, lang = excluded.lang, updated_at = excluded.updated_at
       WHERE subscriptions.state = 'pending'`,
    ).run(r.pseudonym, r.sealed, r.lang, r.channel ?? 'email', now, now);
    const recent = db.prepare("SELECT 1 FROM outbox WHERE recipient = ? AND kind = 'confirm' AND created_at > ?").get(r.pseudonym, r.throttleSince);
    if (recent) return;
    db.prepare(
      `INSERT INTO outbox (kind, recipient, breach, mask, status, attempts, next_attempt_at, message_id, expires_at, created_at, updated_at)
       VALUES ('confirm', ?, NULL, 0, 'queued', 0, ?, ?, ?, ?, ?)`,
    ).run(r.pseudonym, now, r.messageId, r.expiresAt, now, now);
    if (r.codeHash) {
      db.prepare('UPDATE subscriptions SET code_hash = ?, code_expires_at = ?, code_attempts = 0 WHERE pseudonym = ?').run(
        r.codeHash,
        r.expiresAt,
        r.pseudonym,
      );
    }
  }).immediate();
}

export function checkPhoneCode(db: Database.Database, c: CodeCheck): boolean {
  checkPseudonym(c.pseudonym);
  return db
    .transaction(() => {
      const row = db.prepare('SELECT code_hash, code_expires_at, code_attempts FROM subscriptions WHERE pseudonym = ?').get(c.pseudonym) as
        | { code_hash: Buffer | null; code_expires_at: string | null; code_attempts: number }
        | undefined;
      if (!row?.code_hash || !row.code_expires_at) return false;
      const live = row.code_expires_at > c.now && row.code_attempts < c.maxAttempts;
      if (live && row.code_hash.length === c.codeHash.length && timingSafeEqual(row.code_hash, c.codeHash)) {
        db.prepare(
          `UPDATE subscriptions SET state = 'confirmed', confirmed_at = coalesce(confirmed_at, ?), code_hash = NULL, code_expires_at = NULL,
           code_attempts = 0, updated_at = ? WHERE pseudonym = ?`,
        ).run(c.now, c.now, c.pseudonym);
        return true;
      }
      db.prepare('UPDATE subscriptions SET code_attempts = code_attempts + 1 WHERE pseudonym = ?').run(c.pseudonym);
      return false;
    })
    .immediate();
}

export function confirmSubscription(db: Database.Database, pseudonym: Buffer, now: string): boolean {
  checkPseudonym(pseudonym);
  const info = db
    .prepare("UPDATE subscriptions SET state = 'confirmed', confirmed_at = coalesce(confirmed_at, ?), updated_at = ? WHERE pseudonym = ?")
    .run(now, now, pseudonym);
  return info.changes > 0;
}

export function getSubscription(db: Database.Database, pseudonym: Buffer): Subscription | undefined {
  checkPseudonym(pseudonym);
  const row = db.prepare('SELECT * FROM subscriptions WHERE pseudonym = ?').get(pseudonym) as SubRow | undefined;
  return row && toSubscription(row);
}

export function deleteSubscription(db: Database.Database, pseudonym: Buffer): boolean {
  checkPseudonym(pseudonym);
  return db
    .transaction(() => {
      db.prepare("DELETE FROM outbox WHERE recipient = ? AND status IN ('queued', 'failed')").run(pseudonym);
      return db.prepare('DELETE FROM subscriptions WHERE pseudonym = ?').run(pseudonym).changes > 0;
    })
    .immediate();
}

export function claimOutbox(db: Database.Database, limit: number, leaseSeconds: number, now: string): OutboxMessage[] {
  checkLimit(limit);
  const until = addSeconds(now, leaseSeconds);
  return db
    .transaction(() => {
      const rows = db
        .prepare(
          `SELECT o.id, o.kind, o.recipient, o.breach, o.mask, o.message_id, o.attempts, o.expires_at, s.sealed, s.lang, s.channel
           FROM outbox o LEFT JOIN subscriptions s ON s.pseudonym = o.recipient
           WHERE o.status IN ('queued', 'failed') AND o.next_attempt_at <= ? ORDER BY o.next_attempt_at, o.id LIMIT ?`,
        )
        .all(now, limit) as MsgRow[];
      const lease = db.prepare('UPDATE outbox SET next_attempt_at = ?, updated_at = ? WHERE id = ?');
      for (const r of rows) lease.run(until, now, r.id);
      return rows.map(toMessage);
    })
    .immediate();
}

type OutcomeStatements = { sent: Database.Statement; failed: Database.Statement };
/** Prepared once per connection: preparing them at every group was a tenth of the commit's time. */
const outcomeStatements = new WeakMap<Database.Database, OutcomeStatements>();

export function recordOutcomes(db: Database.Database, outcomes: readonly OutboxOutcome[], now: string): void {
  let statements = outcomeStatements.get(db);
  if (!statements) {
    statements = {
      sent: db.prepare("UPDATE outbox SET status = 'sent', attempts = attempts + 1, last_error = NULL, updated_at = ? WHERE id = ?"),
      failed: db.prepare('UPDATE outbox SET status = ?, attempts = attempts + 1, last_error = ?, next_attempt_at = ?, updated_at = ? WHERE id = ?'),
    };
    outcomeStatements.set(db, statements);
  }
  const { sent, failed } = statements;
  db.transaction(() => {
    for (const o of outcomes) {
      if (o.sent) sent.run(now, o.id);
      else failed.run(o.retryAt === null ? 'dead' : 'failed', clipError(o.error), o.retryAt ?? now, now, o.id);
    }
  }).immediate();
}

export function outboxCounts(db: Database.Database): OutboxCounts {
  const counts: OutboxCounts = { queued: 0, sent: 0, failed: 0, dead: 0 };
  for (const r of db.prepare('SELECT status, count(*) AS n FROM outbox GROUP BY status').all() as { status: keyof OutboxCounts; n: number }[]) {
    counts[r.status] = r.n;
  }
  return counts;
}

export function retryDead(db: Database.Database, now: string): number {
  return db.prepare("UPDATE outbox SET status = 'queued', attempts = 0, next_attempt_at = ?, updated_at = ? WHERE status = 'dead'").run(now, now).changes;
}

export function purgeOutbox(db: Database.Database, before: string): { messages: number; subscriptions: number } {
  return db
    .transaction(() => {
      const messages = db.prepare("DELETE FROM outbox WHERE status IN ('sent', 'dead') AND updated_at < ?").run(before).changes;
      db.prepare(
        "DELETE FROM outbox WHERE status IN ('queued', 'failed') AND recipient IN (SELECT pseudonym FROM subscriptions WHERE state = 'pending' AND updated_at < ?)",
      ).run(before);
      const subscriptions = db.prepare("DELETE FROM subscriptions WHERE state = 'pending' AND updated_at < ?").run(before).changes;
      return { messages, subscriptions };
    })
    .immediate();
}
