/** Subscriptions and the outbox in the PostgreSQL engine (tables `subscriptions`, `outbox`, migration 4). */
import { timingSafeEqual } from 'node:crypto';
import type postgres from 'postgres';
import { addSeconds, checkLimit, checkPseudonym, clipError } from '../alerts.js';
import type { Channel, CodeCheck, OutboxCounts, OutboxMessage, OutboxOutcome, Subscription, SubscriptionRequest } from '../alerts.js';
import { fromUuid, type Sql, toUuid } from './rows.js';

type SubRow = {
  pseudonym: string;
  sealed: Buffer;
  lang: 'fr' | 'en';
  channel: Channel;
  state: Subscription['state'];
  created_at: string;
  confirmed_at: string | null;
};
type MsgRow = {
  id: string;
  kind: OutboxMessage['kind'];
  recipient: string;
  breach: string | null;
  mask: number;
  message_id: string;
  attempts: number;
  expires_at: string | null;
  sealed: Buffer | null;
  lang: 'fr' | 'en' | null;
  channel: Channel | null;
};

const uuid = (p: Buffer): string => toUuid(checkPseudonym(p));

/**
 * Queues one alert per confirmed subscriber whose pseudonym the breach now holds, inside the
 * publishing transaction (`conn` is in it). The planner probes `exposures` by primary key per
 * confirmed subscriber; no leaked value is read, only masks. The unique index on
 * (recipient, breach) makes an append or a re-run alert nobody twice.
 */
export async function enqueueAlerts(conn: Sql, breachId: number, breach: string, now: string): Promise<number> {
  const rows = await conn`
    INSERT INTO outbox (kind, recipient, breach, mask, status, attempts, next_attempt_at, message_id, created_at, updated_at)
    SELECT 'alert', s.pseudonym, ${breach}, e.mask, 'queued', 0, ${now}, replace(gen_random_uuid()::text, '-', ''), ${now}, ${now}
    FROM subscriptions s JOIN exposures e ON e.pseudonym = s.pseudonym AND e.breach_id = ${breachId}
    WHERE s.state = 'confirmed'
    ON CONFLICT (recipient, breach) WHERE kind = 'alert' DO NOTHING`;
  return rows.count;
}

export async function requestSubscription(sql: postgres.Sql, r: SubscriptionRequest, now: string): Promise<void> {
  const p = uuid(r.pseudonym);
  await sql.begin(async (tx) => {
    await tx`
      INSERT INTO subscriptions (pseudonym, sealed, lang, channel, state, created_at, confirmed_at, updated_at)
      VALUES (${p}, ${r.sealed}, ${r.lang}, ${r.channel ?? 'email'}, 'pending', ${now}, NULL, ${now})
      ON CONFLICT (pseudonym) DO UPDATE SET sealed = EXCLUDED.sealed, lang = EXCLUDED.lang, updated_at = EXCLUDED.updated_at
      WHERE subscriptions.state = 'pending'`;
    // Serialises two requests for one address, so the throttle below holds across instances.
    await tx`SELECT 1 FROM subscriptions WHERE pseudonym = ${p} FOR UPDATE`;
    const recent = await tx`SELECT 1 FROM outbox WHERE recipient = ${p} AND kind = 'confirm' AND created_at > ${r.throttleSince} LIMIT 1`;
    if (recent.length > 0) return;
    await tx`
      INSERT INTO outbox (kind, recipient, breach, mask, status, attempts, next_attempt_at, message_id, expires_at, created_at, updated_at)
      VALUES ('confirm', ${p}, NULL, 0, 'queued', 0, ${now}, ${r.messageId}, ${r.expiresAt}, ${now}, ${now})`;
    if (r.codeHash) await tx`UPDATE subscriptions SET code_hash = ${r.codeHash}, code_expires_at = ${r.expiresAt}, code_attempts = 0 WHERE pseudonym = ${p}`;
  });
}

export async function checkPhoneCode(sql: postgres.Sql, c: CodeCheck): Promise<boolean> {
  const p = uuid(c.pseudonym);
  return sql.begin(async (tx) => {
    const [row] = await tx<{ code_hash: Buffer | null; code_expires_at: string | null; code_attempts: number }[]>`
      SELECT code_hash, code_expires_at, code_attempts FROM subscriptions WHERE pseudonym = ${p} FOR UPDATE`;
    if (!row?.code_hash || !row.code_expires_at) return false;
    const hash = Buffer.from(row.code_hash);
    const live = row.code_expires_at > c.now && row.code_attempts < c.maxAttempts;
    if (live && hash.length === c.codeHash.length && timingSafeEqual(hash, c.codeHash)) {
      await tx`
        UPDATE subscriptions SET state = 'confirmed', confirmed_at = coalesce(confirmed_at, ${c.now}), code_hash = NULL, code_expires_at = NULL,
          code_attempts = 0, updated_at = ${c.now} WHERE pseudonym = ${p}`;
      return true;
    }
    await tx`UPDATE subscriptions SET code_attempts = code_attempts + 1 WHERE pseudonym = ${p}`;
    return false;
  });
}

export async function confirmSubscription(sql: Sql, pseudonym: Buffer, now: string): Promise<boolean> {
  const rows = await sql`
    UPDATE subscriptions SET state = 'confirmed', confirmed_at = coalesce(confirmed_at, ${now}), updated_at = ${now}
    WHERE pseudonym = ${uuid(pseudonym)} RETURNING 1`;
  return rows.length > 0;
}

export async function getSubscription(sql: Sql, pseudonym: Buffer): Promise<Subscription | undefined> {
  const [r] = await sql<SubRow[]>`SELECT * FROM subscriptions WHERE pseudonym = ${uuid(pseudonym)}`;
  return (
    r && {
      pseudonym: fromUuid(r.pseudonym),
      sealed: Buffer.from(r.sealed),
      lang: r.lang,
      channel: r.channel,
      state: r.state,
      createdAt: r.created_at,
      confirmedAt: r.confirmed_at,
    }
  );
}

export async function deleteSubscription(sql: postgres.Sql, pseudonym: Buffer): Promise<boolean> {
  const p = uuid(pseudonym);
  return sql.begin(async (tx) => {
    await tx`DELETE FROM outbox WHERE recipient = ${p} AND status IN ('queued', 'failed')`;
    return (await tx`DELETE FROM subscriptions WHERE pseudonym = ${p} RETURNING 1`).length > 0;
  });
}

/** SKIP LOCKED lets several senders (several `vigie serve` instances) claim disjoint batches. */
export async function claimOutbox(sql: Sql, limit: number, leaseSeconds: number, now: string): Promise<OutboxMessage[]> {
  checkLimit(limit);
  const until = addSeconds(now, leaseSeconds);
  const rows = await sql<MsgRow[]>`
    WITH due AS (
      SELECT id FROM outbox WHERE status IN ('queued', 'failed') AND next_attempt_at <= ${now}
      ORDER BY next_attempt_at, id LIMIT ${limit} FOR UPDATE SKIP LOCKED),
    claimed AS (
      UPDATE outbox o SET next_attempt_at = ${until}, updated_at = ${now} FROM due WHERE o.id = due.id
      RETURNING o.id, o.kind, o.recipient, o.breach, o.mask, o.message_id, o.attempts, o.expires_at, o.created_at)
    SELECT c.id, c.kind, c.recipient, c.breach, c.mask, c.message_id, c.attempts, c.expires_at, s.sealed, s.lang, s.channel
    FROM claimed c LEFT JOIN subscriptions s ON s.pseudonym = c.recipient ORDER BY c.created_at, c.id`;
  return rows.map((r) => ({
    id: Number(r.id),
    kind: r.kind,
    recipient: fromUuid(r.recipient),
    breach: r.breach,
    mask: r.mask >>> 0,
    messageId: r.message_id,
    attempts: r.attempts,
    expiresAt: r.expires_at,
    subscription: r.sealed && r.lang ? { sealed: Buffer.from(r.sealed), lang: r.lang, channel: r.channel ?? 'email' } : undefined,
  }));
}

async function markFailed(sql: Sql, id: number, error: string, retryAt: string | null, now: string): Promise<void> {
  await sql`
    UPDATE outbox SET status = ${retryAt === null ? 'dead' : 'failed'}, attempts = attempts + 1, last_error = ${clipError(error)},
      next_attempt_at = ${retryAt ?? now}, updated_at = ${now} WHERE id = ${id}`;
}

/** The sent in one statement, each failure in its own, all in one transaction. */
export async function recordOutcomes(sql: postgres.Sql, outcomes: readonly OutboxOutcome[], now: string): Promise<void> {
  const sent = outcomes.filter((o) => o.sent).map((o) => o.id);
  await sql.begin(async (tx) => {
    if (sent.length > 0) {
      await tx`UPDATE outbox SET status = 'sent', attempts = attempts + 1, last_error = NULL, updated_at = ${now} WHERE id = ANY(${sent}::bigint[])`;
    }
    for (const o of outcomes) if (!o.sent) await markFailed(tx, o.id, o.error, o.retryAt, now);
  });
}

export async function outboxCounts(sql: Sql): Promise<OutboxCounts> {
  const counts: OutboxCounts = { queued: 0, sent: 0, failed: 0, dead: 0 };
  for (const r of await sql<{ status: keyof OutboxCounts; n: string }[]>`SELECT status, count(*) AS n FROM outbox GROUP BY status`) {
    counts[r.status] = Number(r.n);
  }
  return counts;
}

export async function retryDead(sql: Sql, now: string): Promise<number> {
  return (await sql`UPDATE outbox SET status = 'queued', attempts = 0, next_attempt_at = ${now}, updated_at = ${now} WHERE status = 'dead'`).count;
}

export async function purgeOutbox(sql: postgres.Sql, before: string): Promise<{ messages: number; subscriptions: number }> {
  return sql.begin(async (tx) => {
    const messages = (await tx`DELETE FROM outbox WHERE status IN ('sent', 'dead') AND updated_at < ${before}`).count;
    await tx`DELETE FROM outbox WHERE status IN ('queued', 'failed')
      AND recipient IN (SELECT pseudonym FROM subscriptions WHERE state = 'pending' AND updated_at < ${before})`;
    const subscriptions = (await tx`DELETE FROM subscriptions WHERE state = 'pending' AND updated_at < ${before}`).count;
    return { messages, subscriptions };
  });
}
