/**
 * Test helpers: a small web shop's SQLite database made by the real `sqlite3` program from
 * the generator's synthetic French people (nobody real), and the reader's events gathered.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { generatePeople, Rng, writeDate, writePhone } from '../../../gen/index.js';
import type { Cell, ReadEvent } from '../../types.js';

/** Whether the `sqlite3` program (Debian package sqlite3) is here. */
export function hasSqlite3(): boolean {
  try {
    execFileSync('sqlite3', ['-version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

/** Runs `sqlite3 -bail db` over a script; returns its output. */
export function sqlite3(db: string, script: string, args: string[] = []): Buffer {
  return execFileSync('sqlite3', ['-bail', ...args, db], { input: script, maxBuffer: 1 << 28, stdio: ['pipe', 'pipe', 'pipe'] });
}

const q = (v: string | null): string => (v === null ? 'NULL' : `'${v.replaceAll("'", "''")}'`);

/** The name of the odd table: quotes, spaces and accents. */
export const ODD_TABLE = 'carnet "VIP" de l\'été';

interface ShopOptions {
  /** Customers; each has 0 to 3 orders. */
  customers: number;
  seed: number;
  /** Journal mode left on the database (`sqlite3` keeps WAL mode in the file's header). */
  wal?: boolean;
}

/**
 * Writes `dir/name`: tables `clients` (nom, prénom, email, téléphone, date_naissance,
 * adresse, code_postal, ville, nir, iban, a REAL, a BLOB, NULLs),
 * `commandes`, the odd table, an index, a view, a trigger, an FTS5 virtual table (with its
 * shadow tables) and `sqlite_sequence`. Returns the path.
 */
export function makeShop(dir: string, name: string, o: ShopOptions): string {
  const rng = new Rng(o.seed);
  const lines: string[] = [
    o.wal === true ? 'PRAGMA journal_mode=WAL;' : 'PRAGMA journal_mode=DELETE;',
    'BEGIN;',
    'CREATE TABLE clients (id INTEGER PRIMARY KEY AUTOINCREMENT, nom TEXT NOT NULL, "prénom" TEXT, email TEXT, "téléphone" TEXT, date_naissance TEXT, adresse TEXT, code_postal TEXT, ville TEXT, nir TEXT, iban TEXT, solde REAL, photo BLOB, note TEXT);',
    'CREATE TABLE commandes (id INTEGER PRIMARY KEY, client_id INTEGER REFERENCES clients(id), montant REAL, passee_le TEXT, statut TEXT);',
    `CREATE TABLE "${ODD_TABLE.replaceAll('"', '""')}" ("client id" INTEGER, "remise ""%""" REAL);`,
    'CREATE INDEX clients_email ON clients(email);',
    'CREATE VIEW clients_actifs AS SELECT c.nom, c.email FROM clients c JOIN commandes o ON o.client_id = c.id;',
    "CREATE TRIGGER commandes_statut AFTER INSERT ON commandes BEGIN UPDATE commandes SET statut = coalesce(NEW.statut, 'payée') WHERE id = NEW.id; END;",
    'CREATE VIRTUAL TABLE recherche USING fts5(texte);',
  ];
  let order = 0;
  let id = 0;
  for (const p of generatePeople(o.customers, o.seed)) {
    id++;
    const phone = rng.float() < 0.1 ? null : writePhone(p.phone, 'any', rng);
    const born = writeDate(p.birthDate, rng.float() < 0.5 ? 'JJ/MM/AAAA' : 'AAAA-MM-JJ');
    const solde = rng.float() < 0.2 ? 'NULL' : (Math.round(rng.float() * 100_000) / 100).toFixed(2);
    const photo = id % 7 === 0 ? `X'${Buffer.from(`JPEG-${id}`).toString('hex')}'` : 'NULL';
    const note = id === 1 ? "'ligne 1' || char(10) || 'l''autre \"guillemets\"'" : id === 2 ? q('C:\\dossier\\') : 'NULL';
    const cells = [p.lastName, p.firstName, p.email, phone, born, p.address.street, p.address.postcode, p.address.city, p.nir, p.iban].map(q);
    lines.push(
      `INSERT INTO clients (nom, "prénom", email, "téléphone", date_naissance, adresse, code_postal, ville, nir, iban, solde, photo, note) VALUES (${cells.join(', ')}, ${solde}, ${photo}, ${note});`,
    );
    for (let k = Math.floor(rng.float() * 4); k > 0; k--) {
      order++;
      const amount = (Math.round(rng.float() * 50_000) / 100).toFixed(2);
      lines.push(
        `INSERT INTO commandes (id, client_id, montant, passee_le, statut) VALUES (${order}, ${id}, ${amount}, '2024-0${1 + (order % 9)}-1${order % 10}', ${order % 5 === 0 ? 'NULL' : "'expédiée'"});`,
      );
    }
    if (id % 10 === 0) lines.push(`INSERT INTO "${ODD_TABLE.replaceAll('"', '""')}" VALUES (${id}, ${id % 20 === 0 ? 'NULL' : '12.5'});`);
    if (id <= 20) lines.push(`INSERT INTO recherche (texte) VALUES (${q(`${p.firstName} ${p.lastName} ${p.email}`)});`);
  }
  lines.push('COMMIT;');
  const path = join(dir, name);
  sqlite3(path, `${lines.join('\n')}\n`);
  return path;
}

interface Gathered {
  tables: { name: string; format: string; columns: string[]; meta: Record<string, string>; rows: Cell[][]; skips: { reason: string; record?: number }[] }[];
  /** Skips before any table (an archive member refused). */
  skips: { reason: string; file: string }[];
}

/** Gathers a reader's events per table, checking that `firstRecord` follows on. */
export async function gather(events: AsyncIterable<ReadEvent>): Promise<Gathered> {
  const g: Gathered = { tables: [], skips: [] };
  for await (const ev of events) {
    const t = g.tables[g.tables.length - 1];
    if (ev.kind === 'table') g.tables.push({ name: ev.name, format: ev.format, columns: ev.columns, meta: ev.meta, rows: [], skips: [] });
    else if (t === undefined) {
      if (ev.kind === 'skip') g.skips.push({ reason: ev.reason, file: ev.position.file });
      else throw new Error('rows before any table');
    } else if (ev.kind === 'rows') {
      if (ev.firstRecord !== t.rows.length + t.skips.length + 1) throw new Error(`firstRecord ${ev.firstRecord} out of sequence`);
      t.rows.push(...ev.rows);
    } else t.skips.push({ reason: ev.reason, record: ev.position.record });
  }
  return g;
}
