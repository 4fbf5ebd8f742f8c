import { describe, expect, it } from 'vitest';
import { readMysqlDump } from './mysql.js';
import { readPgDump } from './postgres.js';
import { chunked, collect, fixture, readAll } from './test-helpers/collect.js';
import type { Cell } from '../types.js';

// Fixtures made by fixtures/make.sh with pg_dump 15 from fixtures/gen.mjs (the same people as
// the MySQL fixtures).
const DUMPS = ['pg-copy.sql', 'pg-inserts.sql', 'pg-column-inserts.sql'];
const STATEMENT: Record<string, [string, string]> = {
  'pg-copy.sql': ['COPY', 'COPY'],
  'pg-inserts.sql': ['INSERT', 'CREATE TABLE'],
  'pg-column-inserts.sql': ['INSERT', 'INSERT'],
};

/** COPY writes booleans t/f, INSERTs true/false: the rest must match exactly. */
const bool = (rows: Cell[][]): Cell[][] => rows.map((r) => r.map((v, i) => (i === 13 ? (v === 't' ? 'true' : v === 'f' ? 'false' : v) : v)));

describe('readPgDump on real pg_dump output', () => {
  it.each(DUMPS)('%s: one table event per table with data, names and quoted columns as written', async (name) => {
    const r = await readAll(readPgDump, fixture(name), { displayName: name });
    expect(r.tables.map((t) => t.name)).toEqual([`${name}:public.clients`, `${name}:public.commandes`]);
    expect(r.tables[0]!.columns).toEqual([
      'id',
      'civilite',
      'nom',
      'prenom',
      'email',
      'telephone',
      'nir',
      'date_naissance',
      'adresse',
      'code_postal',
      'ville',
      'notes',
      'solde',
      'actif',
      'newsletter',
      'photo',
    ]);
    expect(r.tables[1]!.columns).toEqual(['id', 'client_id', 'Référence', 'date_commande', 'montant', 'Statut', 'commentaire']);
    const [statement, columnsFrom] = STATEMENT[name]!;
    expect(r.tables[1]!.meta).toEqual({ table: 'public.commandes', statement, columnsFrom });
    expect(r.tables.map((t) => [t.rows.length, t.skips.length])).toEqual([
      [150, 0],
      [60, 0],
    ]);
  });

  it.each(DUMPS)('%s: exact values of the tricky rows', async (name) => {
    const r = await readAll(readPgDump, fixture(name));
    const clients = new Map(bool(r.tables[0]!.rows).map((row) => [row[0], row]));
    expect(clients.get('1')).toEqual([
      '1',
      'M.',
      "O'Brien",
      'Seán',
      'sean.obrien85@exemple.example',
      '+33 1 99 00 57 14',
      '169089403818116',
      '1969-08-20',
      '117, chemin du Moulin',
      '94240',
      "L'Haÿ-les-Roses",
      'Client depuis 2019 — « fidèle »',
      '1816.84',
      'true',
      '0',
      null,
    ]);
    expect(clients.get('2')![11]).toBe('Dossier C:\\Users\\mdupont\\Documents et le texte \\N littéral');
    expect(clients.get('17')![11]).toBe('ligne 1\nligne 2\tcolonne 2\r\nligne 3');
    expect([5, 6, 8, 11].map((i) => clients.get('42')![i])).toEqual([null, null, null, null]);
    expect(clients.get('77')![11]).toBe('Très satisfaite 😀👍🏽 !');
    expect(clients.get('99')![11]).toBe('Il a dit "bonjour" et \'au revoir\'');
    expect(clients.get('128')![11]).toBe("50%_de_remise'); DROP TABLE clients; --");
    expect(clients.get('149')![11]).toBe('');
    expect(clients.get('150')!.slice(11)).toEqual(['contrôle:\b|\x1a|fin', '1392.81', 'true', '1', '\\x00011a275c0a4122']);
    expect(clients.get('6')![13]).toBe('false');
    const commandes = new Map(r.tables[1]!.rows.map((row) => [row[0], row]));
    expect(commandes.get('7')).toEqual(['7', '62', 'CMD-2024007', '2024-02-01 05:40:49', '430.87', 'en attente', "Livraison à l'accueil, bâtiment B"]);
    expect(commandes.get('13')![6]).toBe('Colis\tabîmé\n2e envoi');
  });

  it('COPY, --inserts and --column-inserts give the same rows', async () => {
    const [copy, inserts, columnInserts] = await Promise.all(DUMPS.map((n) => readAll(readPgDump, fixture(n))));
    for (const other of [inserts!, columnInserts!]) {
      expect(bool(other.tables[0]!.rows)).toEqual(bool(copy!.tables[0]!.rows));
      expect(other.tables[1]!.rows).toEqual(copy!.tables[1]!.rows);
    }
  });

  it('PostgreSQL and MariaDB dumps of the same people agree on every text and number column', async () => {
    const pg = await readAll(readPgDump, fixture('pg-copy.sql'));
    const my = await readAll(readMysqlDump, fixture('mysql-extended.sql'));
    expect(pg.tables[0]!.rows.map((r) => r.slice(0, 13))).toEqual(my.tables[0]!.rows.map((r) => r.slice(0, 13)));
    expect(pg.tables[1]!.rows).toEqual(my.tables[1]!.rows);
  });

  it.each(DUMPS)('%s: tiny random chunks give exactly the events of one whole chunk', async (name) => {
    const text = fixture(name);
    const whole = await collect(readPgDump, chunked(text, 0, Infinity), { batchSize: 100 });
    for (const seed of [1, 2, 3]) {
      expect((await collect(readPgDump, chunked(text, 1, 7, seed), { batchSize: 100 })).events).toEqual(whole.events);
    }
  });

  it('reads no row from the dollar-quoted function body, psql meta-commands or SET/SELECT/ALTER', async () => {
    const text = fixture('pg-copy.sql');
    expect(text).toMatch(/AS \$\$ SELECT c\.prenom/);
    expect(text).toMatch(/^\\restrict /m);
    const r = await readAll(readPgDump, text);
    expect(r.tables.some((t) => t.name.endsWith('journal'))).toBe(false);
    expect(r.events.filter((e) => e.kind === 'skip')).toEqual([]);
  });

  it('gives the line of each COPY row', async () => {
    const text = fixture('pg-copy.sql');
    const lines = text.split('\n');
    const firstData = lines.findIndex((l) => l.startsWith('COPY public.clients')) + 2;
    // Line 10 of the block has no tab: its field count is wrong.
    lines[firstData + 9 - 1] = 'ligne abîmée';
    const r = await readAll(readPgDump, lines.join('\n'));
    expect(r.tables[0]!.skips).toEqual([{ reason: 'field count', line: firstData + 9, record: 10 }]);
    expect(r.tables[0]!.rows).toHaveLength(149);
  });
});
