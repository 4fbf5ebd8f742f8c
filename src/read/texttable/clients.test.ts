/**
 * Text tables printed by the real clients: the generator's people are loaded into MariaDB,
 * PostgreSQL and a sqlite3 database, printed by `mysql -t`, `psql -c` (aligned) and sqlite3's
 * `.mode table`, `.mode box` and `.mode markdown`, and each output ingested: records and
 * per-class counts must equal the ground truth, as the CSV of the same rows gives them. A
 * table of hand-made awkward people (accents, an emoji, a `|` in a value, NULL, a line break,
 * CJK characters that mysql and psql pad by display width) must read back cell for cell.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDataset, type GroundTruth } from '../../gen/index.js';
import { ingest } from '../../ingest/index.js';
import { mysqlArgs, pgArgs } from '../../test-helpers/services.js';
import { readSource, type Cell, type ReadEvent } from '../index.js';

const dir = mkdtempSync(join(tmpdir(), 'vigie-texttable-'));
const db = `vigie_texttable_${process.pid}`;
const MY = [...mysqlArgs(), '--default-character-set=utf8mb4'];
const PG = [...pgArgs(), '-X', '-v', 'ON_ERROR_STOP=1'];
const my = (sql: string, ...more: string[]): Buffer => execFileSync('mysql', [...MY, ...more, '-e', sql], { maxBuffer: 1 << 28 });
const pg = (sql: string): Buffer => execFileSync('psql', [...PG, '-c', `SET search_path TO ${db}`, '-c', sql], { maxBuffer: 1 << 28 });
const sqliteDb = join(dir, 'people.db');
const lite = (mode: string, sql: string): Buffer => execFileSync('sqlite3', ['-cmd', `.mode ${mode}`, sqliteDb, sql], { maxBuffer: 1 << 28 });

const hasSqlite3 = ((): boolean => {
  try {
    execFileSync('sqlite3', ['-version']);
    return true;
  } catch {
    return false;
  }
})();

/** Hand-made synthetic people (no real person): id, nom, prenom, email, ville, note. */
const AWKWARD: (string | null)[][] = [
  ['1', 'Lefèvre', 'Hélène', 'helene.lefevre@exemple.fr', 'Saint-Étienne', 'cliente fidèle 😀'],
  ['2', 'Dupont|Martin', 'Jean-Loïc', null, 'Paris', 'a|b'],
  ['3', 'Nguyễn', 'Thị', 'thi.nguyen@exemple.fr', '東京', 'ligne 1\nligne 2'],
  ['4', 'Ørsted', 'Zoë', '', 'Besançon', null],
];
const COLS = ['id', 'nom', 'prenom', 'email', 'ville', 'note'];
const sq = (v: string | null): string => (v === null ? 'NULL' : `'${v.replace(/'/g, "''")}'`);
const myq = (v: string | null): string => (v === null ? 'NULL' : `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`);
const awkwardDdl = `CREATE TABLE bizarre (${COLS.map((c, i) => `${c} ${i === 0 ? 'INT' : 'TEXT'}`).join(', ')})`;

let myTruth: GroundTruth;
let pgTruth: GroundTruth;

beforeAll(async () => {
  const myScript = join(dir, 'people.mysql.sql');
  myTruth = await writeDataset({ out: myScript, rows: 400, seed: 61, format: 'sql-inserts', columns: 'full' });
  my(`DROP DATABASE IF EXISTS ${db}; CREATE DATABASE ${db} CHARACTER SET utf8mb4`);
  execFileSync('mysql', [...MY, db], { input: readFileSync(myScript) });
  my(`${awkwardDdl}; INSERT INTO bizarre VALUES ${AWKWARD.map((r) => `(${r.map(myq).join(', ')})`).join(', ')}`, db);

  const pgScript = join(dir, 'people.pg.sql');
  pgTruth = await writeDataset({ out: pgScript, rows: 400, seed: 62, format: 'sql-inserts', columns: 'full', sqlDialect: 'postgres' });
  execFileSync('psql', [...PG, '-q', '-c', `DROP SCHEMA IF EXISTS ${db} CASCADE`, '-c', `CREATE SCHEMA ${db}`]);
  execFileSync('psql', [...PG, '-q'], { input: Buffer.concat([Buffer.from(`SET search_path TO ${db};\n`), readFileSync(pgScript)]) });
  pg(`${awkwardDdl}; INSERT INTO bizarre VALUES ${AWKWARD.map((r) => `(${r.map(sq).join(', ')})`).join(', ')}`);

  if (hasSqlite3) {
    // The PostgreSQL script loads into SQLite too, without its SET lines.
    const script = readFileSync(pgScript, 'utf8').replace(/^SET [^\n]*\n/gm, '');
    execFileSync('sqlite3', [sqliteDb], {
      input: `${script};\n${awkwardDdl};\nINSERT INTO bizarre VALUES ${AWKWARD.map((r) => `(${r.map(sq).join(', ')})`).join(', ')};\n`,
    });
  }
}, 120_000);

afterAll(() => {
  try {
    my(`DROP DATABASE IF EXISTS ${db}`);
    execFileSync('psql', [...PG, '-q', '-c', `DROP SCHEMA IF EXISTS ${db} CASCADE`]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

async function expectTruth(file: string, truth: GroundTruth, dialect: string): Promise<void> {
  const r = await ingest({ files: [file], breach: { name: 'Texte' }, dryRun: true, workers: 0 });
  expect(r.tables).toHaveLength(1);
  expect(r.tables[0]?.format).toBe('texttable');
  expect(r.tables[0]?.meta['dialect']).toBe(dialect);
  expect(r.tables[0]?.columns.map((c) => c.name)).toEqual(truth.columns.map((c) => c.name));
  expect(r.skipped).toBe(0);
  expect(r.records).toBe(truth.rows);
  expect(r.people).toBe(truth.people);
  for (const [cls, t] of Object.entries(truth.dataClasses)) {
    if (t.valid === 0 && t.invalid === 0) continue;
    expect(r.dataClasses[cls], cls).toEqual(expect.objectContaining({ valid: t.valid, invalid: t.invalid, distinct: t.distinct }));
  }
}

async function events(file: string): Promise<ReadEvent[]> {
  const out: ReadEvent[] = [];
  for await (const ev of readSource(file, { displayName: 'out.txt' })) out.push(ev);
  return out;
}

async function cellsOf(file: string): Promise<{ columns: string[]; rows: Cell[][] }> {
  const evs = await events(file);
  const skips = evs.filter((e) => e.kind === 'skip');
  expect(skips).toEqual([]);
  const table = evs.find((e) => e.kind === 'table');
  return { columns: table?.kind === 'table' ? table.columns : [], rows: evs.flatMap((e) => (e.kind === 'rows' ? e.rows : [])) };
}

const write = (name: string, b: Buffer | string): string => {
  const file = join(dir, name);
  writeFileSync(file, b);
  return file;
};

/** The awkward people as a client that prints NULL as nothing gives them back. */
const blankNulls = AWKWARD.map((r) => r.map((v) => v ?? ''));

describe('mysql -t (MariaDB)', () => {
  it('the generated people: records and classes equal the ground truth', async () => {
    const file = write('people.mysql.txt', my('SELECT * FROM personnes', db, '-t'));
    expect(readFileSync(file, 'utf8')).toMatch(/^\+-+\+/);
    await expectTruth(file, myTruth, 'mysql -t / sqlite3 .mode table');
  });

  it('awkward values: NULL as null, a | kept, a line break joined, emoji and CJK padding', async () => {
    const file = write('bizarre.mysql.txt', my('SELECT * FROM bizarre ORDER BY id', db, '-t'));
    expect(await cellsOf(file)).toEqual({ columns: COLS, rows: AWKWARD });
  });

  it('a pasted prompt transcript of two statements: two tables, prompts and status lines passed over', async () => {
    const a = my('SELECT id, nom, email FROM bizarre WHERE id < 3 ORDER BY id', db, '-t').toString();
    const b = my('SELECT id, ville FROM bizarre WHERE id > 2 ORDER BY id', db, '-t').toString();
    const text = `mysql> use ${db};\nDatabase changed\nmysql> SELECT id, nom, email\n    -> FROM bizarre WHERE id < 3 ORDER BY id;\n${a}2 rows in set (0.00 sec)\n\nmysql> SELECT id, ville FROM bizarre WHERE id > 2 ORDER BY id;\n${b}2 rows in set (0.001 sec)\n\nmysql> quit\nBye\n`;
    const evs = await events(write('transcript.txt', text));
    expect(evs.filter((e) => e.kind === 'skip')).toEqual([]);
    const tables = evs.filter((e) => e.kind === 'table');
    expect(tables.map((t) => (t.kind === 'table' ? [t.name, t.columns] : []))).toEqual([
      ['out.txt', ['id', 'nom', 'email']],
      ['out.txt:2', ['id', 'ville']],
    ]);
    expect(evs.flatMap((e) => (e.kind === 'rows' ? e.rows : []))).toEqual([
      ['1', 'Lefèvre', 'helene.lefevre@exemple.fr'],
      ['2', 'Dupont|Martin', null],
      ['3', '東京'],
      ['4', 'Besançon'],
    ]);
  });
});

describe('psql aligned (PostgreSQL)', () => {
  it('the generated people: records and classes equal the ground truth, the (N rows) footer no record', async () => {
    const file = write('people.psql.txt', pg('SELECT * FROM personnes'));
    expect(readFileSync(file, 'utf8')).toMatch(/\n\(400 rows\)\n/);
    await expectTruth(file, pgTruth, 'psql aligned');
  });

  it("awkward values: a | kept, psql's + continuation joined, display-width padding", async () => {
    const file = write('bizarre.psql.txt', pg('SELECT * FROM bizarre ORDER BY id'));
    expect(readFileSync(file, 'utf8')).toContain('+\n');
    expect(await cellsOf(file)).toEqual({ columns: COLS, rows: blankNulls });
  });

  it('two statements in one output, each footer passed over', async () => {
    const file = write(
      'two.psql.txt',
      execFileSync('psql', [...PG, '-c', `SELECT id, nom FROM ${db}.bizarre WHERE id = 1`, '-c', `SELECT ville FROM ${db}.bizarre WHERE id = 4`]),
    );
    const evs = await events(file);
    expect(evs.filter((e) => e.kind === 'skip')).toEqual([]);
    expect(evs.filter((e) => e.kind === 'table').map((t) => (t.kind === 'table' ? t.columns : []))).toEqual([['id', 'nom'], ['ville']]);
    expect(evs.flatMap((e) => (e.kind === 'rows' ? e.rows : []))).toEqual([['1', 'Lefèvre'], ['Besançon']]);
  });
});

describe.skipIf(!hasSqlite3 && !process.env['CI'])('sqlite3 .mode table, box, markdown', () => {
  for (const [mode, dialect] of [
    ['table', 'mysql -t / sqlite3 .mode table'],
    ['box', 'sqlite3 .mode box'],
  ] as const) {
    it(`.mode ${mode}: the generated people equal the ground truth (long values wrapped by sqlite3 joined again)`, async () => {
      await expectTruth(write(`people.${mode.split(' ')[0]}.txt`, lite(mode, 'SELECT * FROM personnes')), pgTruth, dialect);
    });
  }

  it('.mode markdown: the same records and classes as the CSV of the same rows', async () => {
    // Markdown has no rule between rows: a value on several lines (sqlite3 also wraps at 60
    // characters by default) cannot be told from rows, so the line breaks are left out here.
    const cols = pgTruth.columns.map((c) => (c.name === 'commentaire' ? "replace(commentaire, char(10), ' ') AS commentaire" : c.name)).join(', ');
    const sql = `SELECT ${cols} FROM personnes`;
    const md = await ingest({ files: [write('people.md', lite('markdown --wrap 0', sql))], breach: { name: 'Texte' }, dryRun: true, workers: 0 });
    const csv = await ingest({ files: [write('people.csv', lite('csv --header', sql))], breach: { name: 'Texte' }, dryRun: true, workers: 0 });
    expect(md.tables[0]?.format).toBe('texttable');
    expect(md.tables[0]?.columns.map((c) => c.name)).toEqual(pgTruth.columns.map((c) => c.name));
    expect(md.skipped).toBe(0);
    expect(md.records).toBe(pgTruth.rows);
    // Employers are known by their header only: the table's header is known to be one, the CSV's first row is undecided.
    const { Employers, ...others } = md.dataClasses;
    expect(Employers).toEqual(expect.objectContaining({ valid: pgTruth.dataClasses['Employers']?.valid }));
    expect([md.records, md.people, others]).toEqual([csv.records, csv.people, csv.dataClasses]);
  });

  it('.mode table and box: awkward values, the line break of a value joined from its continuation row', async () => {
    for (const mode of ['table', 'box']) {
      const file = write(`bizarre.${mode}.txt`, lite(mode, 'SELECT * FROM bizarre ORDER BY id'));
      expect(await cellsOf(file), mode).toEqual({ columns: COLS, rows: blankNulls });
    }
  });

  it('.mode markdown: awkward values (a continuation line is a row of its own there)', async () => {
    const file = write('bizarre.md', lite('markdown', 'SELECT * FROM bizarre WHERE id <> 3 ORDER BY id'));
    expect(await cellsOf(file)).toEqual({ columns: COLS, rows: blankNulls.filter((r) => r[0] !== '3') });
  });
});
