/**
 * Test support: a scratch PostgreSQL database of synthetic French customers (the generator's
 * people plus hand-made tricky rows), dumped by the real pg_dump in each format the tests read.
 * Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust) and psql/pg_dump on the PATH.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatePeople } from '../../../../gen/index.js';

const CONN = ['-h', '127.0.0.1', '-p', '5432', '-U', 'postgres'];

/** Whether psql and pg_dump run and the server answers. */
export function havePostgres(): boolean {
  const r = spawnSync('psql', [...CONN, '-X', '-d', 'test', '-c', 'SELECT 1'], { stdio: 'ignore' });
  return r.status === 0 && spawnSync('pg_dump', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Rows of `clients` the tests look at by id. */
const TRICKY: Record<number, Partial<Record<string, string | null>>> = {
  1: { nom: "O'Brien", prenom: 'Seán', ville: "L'Haÿ-les-Roses", notes: 'Client depuis 2019 — « fidèle »' },
  2: { notes: 'Dossier C:\\Users\\mdupont et le texte \\N littéral' },
  3: { notes: 'ligne 1\nligne 2\tcolonne 2\r\nligne 3' },
  4: { telephone: null, email: null, iban: null, notes: null, date_naissance: null },
  5: { notes: '' },
  6: { nom: 'Kerléguer', prenom: 'Maëlys', notes: 'Très satisfaite 😀👍🏽 !' },
};

export const CLIENTS = 400;
export const COMMANDES = 120;
/** Rows of the table that compresses far beyond any honest ratio. */
export const REPEATED = 400_000;

const CLIENT_COLUMNS = ['id', 'civilite', 'nom', 'prenom', 'email', 'telephone', 'date_naissance', 'adresse', 'code_postal', 'ville', 'nir', 'iban', 'notes'];

function lit(v: string | number | null): string {
  if (v === null) return 'NULL';
  if (typeof v === 'number') return String(v);
  return `'${v.replace(/'/g, "''")}'`;
}

/** The SQL that creates and fills the database. */
function databaseSql(): string {
  const out: string[] = [
    'SET client_min_messages = warning;',
    'CREATE TABLE clients (id integer PRIMARY KEY, civilite text, nom text, prenom text, email text, telephone text, date_naissance date, adresse text, code_postal text, ville text, nir text, iban text, notes text);',
    'CREATE TABLE commandes (id serial PRIMARY KEY, client_id integer REFERENCES clients (id), "Référence" text, montant numeric(10, 2), commentaire text);',
    'CREATE TABLE vide (id integer, nom text);',
    'CREATE SEQUENCE numero_facture START 1000;',
    "SELECT setval('numero_facture', 1234);",
    'CREATE TABLE repetitif (ligne text);',
  ];
  for (const p of generatePeople(CLIENTS, 20260301)) {
    const row: Record<string, string | number | null> = {
      id: p.id,
      civilite: p.gender,
      nom: p.lastName,
      prenom: p.firstName,
      email: p.id % 29 === 0 ? null : p.email,
      telephone: p.id % 17 === 0 ? null : p.phone,
      date_naissance: p.birthDate,
      adresse: p.address.street,
      code_postal: p.address.postcode,
      ville: p.address.city,
      nir: p.nir,
      iban: p.id % 23 === 0 ? null : p.iban,
      notes: p.id % 7 === 0 ? `Rappeler\tavant midi\\urgent` : null,
      ...TRICKY[p.id],
    };
    out.push(`INSERT INTO clients VALUES (${CLIENT_COLUMNS.map((c) => lit(row[c] ?? null)).join(', ')});`);
  }
  for (let i = 1; i <= COMMANDES; i++) {
    const comment = i % 5 === 0 ? "Livraison à l'accueil\tbâtiment B\n2e étage" : i % 3 === 0 ? null : 'Colis abîmé';
    out.push(
      `INSERT INTO commandes (client_id, "Référence", montant, commentaire) VALUES (${((i * 7) % CLIENTS) + 1}, 'CMD-2024${String(i).padStart(3, '0')}', ${(i * 13.37).toFixed(2)}, ${lit(comment)});`,
    );
  }
  out.push(`INSERT INTO repetitif SELECT 'Dupont;Jean;jean.dupont@example.com;+33639981234;1970-01-01' FROM generate_series(1, ${REPEATED});`);
  return `${out.join('\n')}\n`;
}

/** The dumps the tests read, by name: each a file in `dir`. */
export interface Dumps {
  plain: string;
  custom: string;
  uncompressed: string;
  best: string;
  piped: string;
  inserts: string;
  plainInserts: string;
  repeated: string;
  repeatedUncompressed: string;
}

/**
 * Creates the database `name`, fills it, dumps it in each format into `dir`, and drops it
 * (even when a dump fails).
 */
export function makeDumps(name: string, dir: string): Dumps {
  const psql = (db: string, ...args: string[]): void => {
    execFileSync('psql', [...CONN, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', db, ...args], { stdio: ['pipe', 'ignore', 'pipe'] });
  };
  const sqlFile = join(dir, 'database.sql');
  writeFileSync(sqlFile, databaseSql());
  psql('test', '-c', `DROP DATABASE IF EXISTS ${name}`, '-c', `CREATE DATABASE ${name} ENCODING 'UTF8' TEMPLATE template0`);
  try {
    psql(name, '-f', sqlFile);
    const dump = (file: string, ...args: string[]): string => {
      const path = join(dir, file);
      execFileSync('pg_dump', [...CONN, '--no-owner', '--no-privileges', '-d', name, '-f', path, ...args]);
      return path;
    };
    const main = ['--exclude-table=repetitif'];
    const piped = join(dir, 'piped.dump');
    // To a pipe: pg_dump cannot seek back to write the data offsets into the table of contents.
    writeFileSync(piped, execFileSync('pg_dump', [...CONN, '--no-owner', '--no-privileges', '-d', name, '-Fc', ...main], { maxBuffer: 64 << 20 }));
    return {
      plain: dump('plain.sql', '-Fp', ...main),
      custom: dump('custom.dump', '-Fc', ...main),
      uncompressed: dump('uncompressed.dump', '-Fc', '-Z0', ...main),
      best: dump('best.dump', '-Fc', '--compress=9', ...main),
      piped,
      inserts: dump('inserts.dump', '-Fc', '--inserts', ...main),
      plainInserts: dump('inserts.sql', '-Fp', '--inserts', ...main),
      repeated: dump('repeated.dump', '-Fc', '--compress=9', '-t', 'repetitif'),
      repeatedUncompressed: dump('repeated-z0.dump', '-Fc', '-Z0', '-t', 'repetitif'),
    };
  } finally {
    psql('test', '-c', `DROP DATABASE IF EXISTS ${name}`);
  }
}
