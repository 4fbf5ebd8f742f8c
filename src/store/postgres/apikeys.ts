/** API keys in the PostgreSQL engine (table `api_keys`, migration 2). */
import { VigieError } from '../../errors.js';
import type { ApiKey } from '../store.js';
import { checkApiKey, checkApiKeyName } from '../validate.js';
import type { Sql } from './rows.js';

type KeyRow = { name: string; key_hash: string; rpm: number; created_at: string; last_used_at: string | null; operator: number | boolean };

function toKey(r: KeyRow): ApiKey {
  return { name: r.name, hash: r.key_hash, rpm: r.rpm, createdAt: r.created_at, lastUsedAt: r.last_used_at, operator: Boolean(r.operator) };
}

export async function createApiKey(sql: Sql, key: { name: string; hash: string; rpm: number; operator?: boolean }, now: string): Promise<ApiKey> {
  const k = checkApiKey(key);
  const rows = await sql<KeyRow[]>`
    INSERT INTO api_keys (name, key_hash, rpm, created_at, operator) VALUES (${k.name}, ${k.hash}, ${k.rpm}, ${now}, ${key.operator === true})
    ON CONFLICT DO NOTHING RETURNING *`;
  const row = rows[0];
  if (!row) throw new VigieError('VIGIE_CONFLICT', `an API key named ${k.name} already exists`);
  return toKey(row);
}

export async function listApiKeys(sql: Sql): Promise<ApiKey[]> {
  return (await sql<KeyRow[]>`SELECT * FROM api_keys ORDER BY lower(name)`).map(toKey);
}

export async function revokeApiKey(sql: Sql, name: string): Promise<void> {
  const n = checkApiKeyName(name);
  const rows = await sql`DELETE FROM api_keys WHERE lower(name) = lower(${n}) RETURNING 1`;
  if (rows.length === 0) throw new VigieError('VIGIE_NOT_FOUND', `no API key named ${n}`);
}

export async function touchApiKeys(sql: Sql, lastUsed: ReadonlyMap<string, string>): Promise<void> {
  if (lastUsed.size === 0) return;
  const hashes = [...lastUsed.keys()];
  const dates = [...lastUsed.values()];
  await sql`
    UPDATE api_keys k SET last_used_at = u.at
    FROM unnest(${sql.array(hashes)}::text[], ${sql.array(dates)}::text[]) AS u(hash, at)
    WHERE k.key_hash = u.hash AND (k.last_used_at IS NULL OR k.last_used_at < u.at)`;
}
