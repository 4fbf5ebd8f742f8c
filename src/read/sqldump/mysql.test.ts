import { describe, expect, it } from 'vitest';
import { readMysqlDump } from './mysql.js';
import { chunked, collect, fixture, readAll } from './test-helpers/collect.js';
import type { Cell } from '../types.js';

// Fixtures made by fixtures/make.sh with mariadb-dump 10.11 from fixtures/gen.mjs.
const DUMPS = ['mysql-extended.sql', 'mysql-single.sql', 'mysql-netbuffer.sql'];
const CLIENT_COLUMNS = [
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
];

/** BIT and BLOB cells: `0x..` with --hex-blob, raw bytes otherwise; compared as hex. */
function hex(v: Cell): Cell {
  if (v === null || v.startsWith('0x')) return v;
  return `0x${[...v].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()).join('')}`;
}

describe('readMysqlDump on real mariadb-dump output', () => {
  it.each(DUMPS)('%s: one table event per table with data, columns from CREATE TABLE, all rows', async (name) => {
    const r = await readAll(readMysqlDump, fixture(name), { displayName: name });
    expect(r.tables.map((t) => t.name)).toEqual([`${name}:clients`, `${name}:commandes`]);
    expect(r.tables[0]!.columns).toEqual(CLIENT_COLUMNS);
    expect(r.tables[1]!.columns).toEqual(['id', 'client_id', 'Référence', 'date_commande', 'montant', 'statut', 'commentaire']);
    expect(r.tables[0]!.meta).toEqual({ table: 'clients', statement: 'INSERT', columnsFrom: 'CREATE TABLE' });
    expect(r.tables.map((t) => [t.rows.length, t.skips.length])).toEqual([
      [150, 0],
      [60, 0],
    ]);
    expect(r.tables[0]!.rows.map((row) => row[0])).toEqual(Array.from({ length: 150 }, (_, i) => String(i + 1)));
  });

  it.each(DUMPS)('%s: exact values of the tricky rows', async (name) => {
    const r = await readAll(readMysqlDump, fixture(name));
    const clients = new Map(r.tables[0]!.rows.map((row) => [row[0], row]));
    expect(clients.get('1')!.slice(0, 14)).toEqual([
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
      '1',
    ]);
    expect(clients.get('2')![11]).toBe('Dossier C:\\Users\\mdupont\\Documents et le texte \\N littéral');
    expect(clients.get('17')![11]).toBe('ligne 1\nligne 2\tcolonne 2\r\nligne 3');
    expect([5, 6, 8, 11].map((i) => clients.get('42')![i])).toEqual([null, null, null, null]);
    expect(clients.get('77')!.slice(3, 4).concat(clients.get('77')![11]!)).toEqual(['Zoé', 'Très satisfaite 😀👍🏽 !']);
    expect(clients.get('99')![11]).toBe('Il a dit "bonjour" et \'au revoir\'');
    expect(clients.get('128')![11]).toBe("50%_de_remise'); DROP TABLE clients; --");
    expect(clients.get('149')![11]).toBe('');
    expect(clients.get('150')![11]).toBe('contrôle:\b|\x1a|fin');
    expect(clients.get('5')![6]).toBe('268082B03343424');
    expect(clients.get('150')!.slice(14).map(hex)).toEqual(['0x01', '0x00011A275C0A4122']);
    expect(clients.get('1')!.slice(14).map(hex)).toEqual(['0x00', null]);
    const commandes = new Map(r.tables[1]!.rows.map((row) => [row[0], row]));
    expect(commandes.get('7')).toEqual(['7', '62', 'CMD-2024007', '2024-02-01 05:40:49', '430.87', 'en attente', "Livraison à l'accueil, bâtiment B"]);
    expect(commandes.get('13')![6]).toBe('Colis\tabîmé\n2e envoi');
  });

  it('the three dump styles give the same rows', async () => {
    const [a, b, c] = await Promise.all(DUMPS.map((n) => readAll(readMysqlDump, fixture(n))));
    const norm = (rows: Cell[][]): Cell[][] => rows.map((row) => [...row.slice(0, 14), ...row.slice(14).map(hex)]);
    for (const other of [b!, c!]) {
      expect(norm(other.tables[0]!.rows)).toEqual(norm(a!.tables[0]!.rows));
      expect(other.tables[1]!.rows).toEqual(a!.tables[1]!.rows);
    }
  });

  it.each(DUMPS)('%s: tiny random chunks give exactly the events of one whole chunk', async (name) => {
    const text = fixture(name);
    const whole = await collect(readMysqlDump, chunked(text, 0, Infinity), { batchSize: 64 });
    for (const seed of [1, 2, 3]) {
      const split = await collect(readMysqlDump, chunked(text, 1, 7, seed), { batchSize: 64 });
      expect(split.events).toEqual(whole.events);
    }
    const big = await collect(readMysqlDump, chunked(text, 100, 5000, 9), { batchSize: 64 });
    expect(big.events).toEqual(whole.events);
  });

  it('batches rows by batchSize with their record numbers', async () => {
    const r = await readAll(readMysqlDump, fixture('mysql-extended.sql'), { batchSize: 64 });
    const batches = r.events.filter((e) => e.kind === 'rows').map((e) => (e.kind === 'rows' ? [e.firstRecord, e.rows.length] : []));
    expect(batches).toEqual([
      [1, 64],
      [65, 64],
      [129, 22],
      [1, 60],
    ]);
  });

  it('reads no row from trigger or procedure bodies (DELIMITER blocks, /*! */ comments)', async () => {
    const text = fixture('mysql-extended.sql');
    expect(text).toContain("INSERT INTO journal VALUES (p_id, 'archivé; fin');");
    expect(text).toContain("FOR EACH ROW INSERT INTO journal VALUES (NEW.id, 'trigger')");
    const r = await readAll(readMysqlDump, text);
    expect(r.tables.some((t) => t.name.endsWith(':journal'))).toBe(false);
    expect(r.tables.flatMap((t) => t.skips)).toEqual([]);
  });
});
