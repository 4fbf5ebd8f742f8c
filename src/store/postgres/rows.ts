/** Catalogue rows in PostgreSQL: reading and writing `breaches` and `breach_files`. */
import type postgres from 'postgres';
import { BREACH_COLUMNS, breachRowFrom } from '../catalogue.js';
import type { BreachRow, RowCodec, StoredStats } from '../catalogue.js';
import type { BreachFile } from '../store.js';

export type Sql = postgres.ISql;
type RawRow = Record<string, unknown>;

/** A pseudonym as PostgreSQL's uuid text form (the column type that stores it in 16 bytes). */
export function toUuid(p: Buffer): string {
  const h = p.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A uuid column read back as the pseudonym's 16 bytes. */
export function fromUuid(u: string): Buffer {
  return Buffer.from(u.replace(/-/g, ''), 'hex');
}

/** postgres.js gives booleans as booleans, bigint columns as strings (counts stay far below 2^53), jsonb parsed. */
const codec: RowCodec = { bool: (v) => v === true, count: (v) => Number(v), stats: (v) => v as StoredStats };
const toRow = (r: RawRow): BreachRow => breachRowFrom(r, codec);

/** Same order as SQLite's `COLLATE NOCASE`: names are ASCII, and "C" avoids locale rules. */
export const NAME_ORDER = 'lower(name) COLLATE "C", id';

export async function readBreachRow(sql: Sql, name: string): Promise<BreachRow | undefined> {
  const [r] = await sql.unsafe<RawRow[]>('SELECT * FROM breaches WHERE lower(name) = lower($1)', [name], { prepare: true });
  return r && toRow(r);
}

export async function readBreachRows(sql: Sql, includeRetired: boolean): Promise<BreachRow[]> {
  const rows = await sql.unsafe<RawRow[]>(`SELECT * FROM breaches ${includeRetired ? '' : 'WHERE NOT is_retired'} ORDER BY ${NAME_ORDER}`);
  return rows.map(toRow);
}

export async function readFiles(sql: Sql, breachId: number): Promise<BreachFile[]> {
  return sql<BreachFile[]>`SELECT digest, added_at AS "addedAt" FROM breach_files WHERE breach_id = ${breachId} ORDER BY added_at, digest COLLATE "C"`;
}

/** Parameters in column order. The stats object goes as is: postgres.js serialises jsonb parameters itself. */
function values(row: Omit<BreachRow, 'id'>): postgres.ParameterOrJSON<never>[] {
  return BREACH_COLUMNS.map((c) => row[c] as postgres.ParameterOrJSON<never>);
}

const PARAMS = BREACH_COLUMNS.map((c, i) => (c === 'stats' ? `$${i + 1}::jsonb` : `$${i + 1}`));

/** Inserts or replaces a breach row; returns its id. */
export async function writeBreachRow(sql: Sql, id: number | undefined, row: Omit<BreachRow, 'id'>): Promise<number> {
  if (id === undefined) {
    const [r] = await sql.unsafe<{ id: number }[]>(
      `INSERT INTO breaches (${BREACH_COLUMNS.join(', ')}) VALUES (${PARAMS.join(', ')}) RETURNING id`,
      values(row),
      { prepare: true },
    );
    return r!.id;
  }
  const set = BREACH_COLUMNS.map((c, i) => `${c} = ${PARAMS[i]!}`).join(', ');
  await sql.unsafe(`UPDATE breaches SET ${set} WHERE id = $${BREACH_COLUMNS.length + 1}`, [...values(row), id], { prepare: true });
  return id;
}

/** The breach's state as the rules in `catalogue.ts` need it. */
export async function breachState(sql: Sql, name: string): Promise<{ retired: boolean; digests: Set<string> } | undefined> {
  const row = await readBreachRow(sql, name);
  return row && { retired: row.is_retired, digests: new Set((await readFiles(sql, row.id)).map((f) => f.digest)) };
}

/** Takes the per-breach transaction lock that serialises commits, deletes and retirements. */
export async function lockBreach(sql: Sql, namespace: number, name: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${namespace}, hashtext(lower(${name})))`;
}
