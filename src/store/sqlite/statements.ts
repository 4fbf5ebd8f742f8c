/** The operator's statements in the SQLite engine (tables `org_profile` and `incidents`, migration 3). */
import type Database from 'better-sqlite3';
import type { Statement, StoredStatement } from '../store.js';
import { checkBreachName, checkStatement } from '../validate.js';

type DocRow = { doc: string; updated_at: string };

const toStored = (r: DocRow | undefined): StoredStatement | undefined => r && { value: JSON.parse(r.doc) as Statement, updatedAt: r.updated_at };

export function getOrgProfile(db: Database.Database): StoredStatement | undefined {
  return toStored(db.prepare('SELECT doc, updated_at FROM org_profile WHERE id = 1').get() as DocRow | undefined);
}

export function setOrgProfile(db: Database.Database, profile: Statement, now: string): StoredStatement {
  const doc = checkStatement(profile);
  db.prepare(
    'INSERT INTO org_profile (id, doc, updated_at) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at',
  ).run(doc, now);
  return { value: JSON.parse(doc) as Statement, updatedAt: now };
}

export function getIncident(db: Database.Database, breach: string): StoredStatement | undefined {
  const name = checkBreachName(breach);
  return toStored(db.prepare('SELECT doc, updated_at FROM incidents WHERE breach = ?').get(name) as DocRow | undefined);
}

export function setIncident(db: Database.Database, breach: string, incident: Statement, now: string): StoredStatement {
  const name = checkBreachName(breach);
  const doc = checkStatement(incident);
  // The first writing of the name is kept; later ones in another case update the same row.
  db.prepare(
    'INSERT INTO incidents (breach, doc, updated_at) VALUES (?, ?, ?) ON CONFLICT (breach) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at',
  ).run(name, doc, now);
  return { value: JSON.parse(doc) as Statement, updatedAt: now };
}
