/** API keys in the SQLite engine (table `api_keys`, migration 2). */
import type Database from 'better-sqlite3';
import { VigieError } from '../../errors.js';
import type { ApiKey } from '../store.js';
import { checkApiKey, checkApiKeyName } from '../validate.js';

type KeyRow = { name: string; key_hash: string; rpm: number; created_at: string; last_used_at: string | null; operator: number | boolean };

function toKey(r: KeyRow): ApiKey {
  return { name: r.name, hash: r.key_hash, rpm: r.rpm, createdAt: r.created_at, lastUsedAt: r.last_used_at, operator: Boolean(r.operator) };
}

export function createApiKey(db: Database.Database, key: { name: string; hash: string; rpm: number; operator?: boolean }, now: string): ApiKey {
  const k = checkApiKey(key);
  return db
    .transaction(() => {
      const taken = db.prepare('SELECT 1 FROM api_keys WHERE name = ? OR key_hash = ?').get(k.name, k.hash);
      if (taken) throw new VigieError('VIGIE_CONFLICT', `an API key named ${k.name} already exists`);
      db.prepare('INSERT INTO api_keys (name, key_hash, rpm, created_at, operator) VALUES (?, ?, ?, ?, ?)').run(
        k.name,
        k.hash,
        k.rpm,
        now,
        key.operator ? 1 : 0,
      );
      return toKey(db.prepare('SELECT * FROM api_keys WHERE name = ?').get(k.name) as KeyRow);
    })
    .immediate();
}

export function listApiKeys(db: Database.Database): ApiKey[] {
  return (db.prepare('SELECT * FROM api_keys ORDER BY name COLLATE NOCASE').all() as KeyRow[]).map(toKey);
}

export function revokeApiKey(db: Database.Database, name: string): void {
  const n = checkApiKeyName(name);
  if (db.prepare('DELETE FROM api_keys WHERE name = ?').run(n).changes === 0) throw new VigieError('VIGIE_NOT_FOUND', `no API key named ${n}`);
}

export function touchApiKeys(db: Database.Database, lastUsed: ReadonlyMap<string, string>): void {
  if (lastUsed.size === 0) return;
  const stmt = db.prepare('UPDATE api_keys SET last_used_at = ? WHERE key_hash = ? AND (last_used_at IS NULL OR last_used_at < ?)');
  db.transaction(() => {
    for (const [hash, at] of lastUsed) stmt.run(at, hash, at);
  }).immediate();
}
