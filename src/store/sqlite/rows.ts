/** Catalogue rows in SQLite: reading and writing `breaches` and `breach_files`. */
import type Database from 'better-sqlite3';
import { BREACH_COLUMNS, breachRowFrom } from '../catalogue.js';
import type { BreachRow, RowCodec, StoredStats } from '../catalogue.js';
import type { BreachFile } from '../store.js';

type RawRow = Record<string, unknown>;

/** SQLite gives booleans as 0/1 and the stats as JSON text. */
const codec: RowCodec = { bool: (v) => v === 1, count: (v) => v as number, stats: (v) => JSON.parse(v as string) as StoredStats };
const toRow = (r: RawRow): BreachRow => breachRowFrom(r, codec);

export function readBreachRow(db: Database.Database, name: string): BreachRow | undefined {
  // The name column is COLLATE NOCASE: names are unique and found regardless of case.
  const r = db.prepare('SELECT * FROM breaches WHERE name = ?').get(name) as RawRow | undefined;
  return r && toRow(r);
}

export function readBreachRows(db: Database.Database, includeRetired: boolean): BreachRow[] {
  const sql = `SELECT * FROM breaches ${includeRetired ? '' : 'WHERE is_retired = 0'} ORDER BY name COLLATE NOCASE, id`;
  return (db.prepare(sql).all() as RawRow[]).map(toRow);
}

export function readFiles(db: Database.Database, breachId: number): BreachFile[] {
  return db.prepare('SELECT digest, added_at AS addedAt FROM breach_files WHERE breach_id = ? ORDER BY added_at, digest').all(breachId) as BreachFile[];
}

function values(row: Omit<BreachRow, 'id'>): unknown[] {
  return BREACH_COLUMNS.map((c) => {
    const v = row[c];
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (c === 'stats') return JSON.stringify(v);
    return v;
  });
}

/** Inserts or replaces a breach row; returns its id. */
export function writeBreachRow(db: Database.Database, id: number | undefined, row: Omit<BreachRow, 'id'>): number {
  if (id === undefined) {
    const sql = `INSERT INTO breaches (${BREACH_COLUMNS.join(', ')}) VALUES (${BREACH_COLUMNS.map(() => '?').join(', ')}) RETURNING id`;
    return (db.prepare(sql).get(...values(row)) as { id: number }).id;
  }
  db.prepare(`UPDATE breaches SET ${BREACH_COLUMNS.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`).run(...values(row), id);
  return id;
}
