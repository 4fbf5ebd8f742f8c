/** The operator's statements in the PostgreSQL engine (tables `org_profile` and `incidents`, migration 3). */
import type { Statement, StoredStatement } from '../store.js';
import { checkBreachName, checkStatement } from '../validate.js';
import type { Sql } from './rows.js';

type DocRow = { doc: string; updated_at: string };

const toStored = (r: DocRow | undefined): StoredStatement | undefined => r && { value: JSON.parse(r.doc) as Statement, updatedAt: r.updated_at };

export async function getOrgProfile(sql: Sql): Promise<StoredStatement | undefined> {
  return toStored((await sql<DocRow[]>`SELECT doc, updated_at FROM org_profile WHERE id = 1`)[0]);
}

export async function setOrgProfile(sql: Sql, profile: Statement, now: string): Promise<StoredStatement> {
  const doc = checkStatement(profile);
  await sql`
    INSERT INTO org_profile (id, doc, updated_at) VALUES (1, ${doc}, ${now})
    ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at`;
  return { value: JSON.parse(doc) as Statement, updatedAt: now };
}

export async function getIncident(sql: Sql, breach: string): Promise<StoredStatement | undefined> {
  const name = checkBreachName(breach);
  return toStored((await sql<DocRow[]>`SELECT doc, updated_at FROM incidents WHERE lower(breach) = lower(${name})`)[0]);
}

export async function setIncident(sql: Sql, breach: string, incident: Statement, now: string): Promise<StoredStatement> {
  const name = checkBreachName(breach);
  const doc = checkStatement(incident);
  // The first writing of the name is kept; later ones in another case update the same row.
  await sql`
    INSERT INTO incidents (breach, doc, updated_at) VALUES (${name}, ${doc}, ${now})
    ON CONFLICT (lower(breach)) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at`;
  return { value: JSON.parse(doc) as Statement, updatedAt: now };
}
