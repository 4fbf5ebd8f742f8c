/**
 * Text tables printed by the real clients: the generator's people are loaded into MariaDB,
 * PostgreSQL and a sqlite3 database, printed by `mysql -t`, `psql -c` (aligned) and sqlite3's
 * `.mode table`, `.mode box` and `.mode markdown`, and each output ingested: records and
 * per-class counts must equal the ground truth, as the CSV of the same rows gives them. A
 * table of hand-made awkward people (accents, an emoji, a `|` in a value, NULL, a line break,
 * CJK characters that mysql and psql pad by display width) must read back cell for cell.
 * The same people printed one field per line (`mysql -E`, `psql -x`, sqlite3 `.mode line`) too.
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
    await expectTruth(file, myTruth, 'mysql -t / sqlite3 .mode table / psql border=2');
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

  const psql = (sql: string, ...opts: string[]): Buffer =>
    execFileSync('psql', [...PG, ...opts.flatMap((o) => ['-P', o]), '-c', sql.replace(' FROM ', ` FROM ${db}.`)], { maxBuffer: 1 << 28 });

  it('-P border=2: the generated people equal the ground truth, the + of a line break inside the frame joined', async () => {
    const file = write('people.psql-border2.txt', psql('SELECT * FROM personnes', 'border=2'));
    expect(readFileSync(file, 'utf8')).toMatch(/\+\|\n/);
    await expectTruth(file, pgTruth, 'mysql -t / sqlite3 .mode table / psql border=2');
  });

  it('-P linestyle=unicode: the generated people equal the ground truth, ↵ joined', async () => {
    const file = write('people.psql-unicode.txt', psql('SELECT * FROM personnes', 'linestyle=unicode'));
    expect(readFileSync(file, 'utf8')).toMatch(/^ +nom +│ +prenom +│.*\n─+┼─+┼/);
    expect(readFileSync(file, 'utf8')).toContain('↵\n');
    await expectTruth(file, pgTruth, 'psql aligned');
  });

  it('format=wrapped, border 1 and 2, ascii and unicode: values cut (. …) and line breaks (+ ↵) joined back', async () => {
    // 60 columns: the email, town and note columns are cut, some of them at a space.
    for (const opts of [[], ['border=2'], ['linestyle=unicode'], ['linestyle=unicode', 'border=2']]) {
      const file = write('bizarre.psql-wrapped.txt', psql('SELECT * FROM bizarre ORDER BY id', 'format=wrapped', 'columns=60', ...opts));
      expect(readFileSync(file, 'utf8'), opts.join()).toMatch(opts[0] === 'linestyle=unicode' ? /…│?\n.*│…/ : /\.\|?\n.*\|\./);
      expect(await cellsOf(file), opts.join()).toEqual({ columns: COLS, rows: blankNulls });
    }
  });

  it('-A (unaligned): the generated people equal the ground truth, line breaks in values joined, no footer skip', async () => {
    const file = write('people.psql-A.txt', execFileSync('psql', [...PG, '-A', '-c', `SELECT * FROM ${db}.personnes`], { maxBuffer: 1 << 28 }));
    expect(readFileSync(file, 'utf8')).toMatch(/\n\(400 rows\)\n$/);
    await expectTruth(file, pgTruth, 'psql -A / sqlite3 .mode list');
  });

  it('-A without values on several lines is pipe-delimited text: its footer is no record and no skip', async () => {
    const cols = pgTruth.columns.map((c) => (c.name === 'commentaire' ? "replace(commentaire, chr(10), ' ') AS commentaire" : c.name)).join(', ');
    const file = write('flat.psql-A.txt', execFileSync('psql', [...PG, '-A', '-c', `SELECT ${cols} FROM ${db}.personnes`], { maxBuffer: 1 << 28 }));
    // Larger than the detection sample: the footer is out of its sight.
    expect(readFileSync(file).length).toBeGreaterThan(64 * 1024);
    for (const workers of [0, 2]) {
      const r = await ingest({ files: [file], breach: { name: 'Texte' }, dryRun: true, workers, blockBytes: 16 * 1024 });
      expect(r.tables[0]?.format).toBe('delimited');
      expect([r.records, r.skipped, r.people]).toEqual([pgTruth.rows, 0, pgTruth.people]);
    }
  });

  it('-A: awkward values, a | in a value a field count skip, the footer closing the table', async () => {
    const file = write('bizarre.psql-A.txt', execFileSync('psql', [...PG, '-A', '-c', `SELECT * FROM ${db}.bizarre ORDER BY id`]));
    const evs = await events(file);
    expect(evs.filter((e) => e.kind === 'skip')).toEqual([{ kind: 'skip', reason: 'field count', position: { file: 'out.txt', line: 3, record: 2 } }]);
    expect(evs.find((e) => e.kind === 'table')).toMatchObject({ columns: COLS, meta: { dialect: 'psql -A' } });
    expect(evs.flatMap((e) => (e.kind === 'rows' ? e.rows : []))).toEqual(blankNulls.filter((r) => r[0] !== '2'));
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
    ['table', 'mysql -t / sqlite3 .mode table / psql border=2'],
    ['box', 'sqlite3 .mode box / psql border=2 unicode'],
  ] as const) {
    it(`.mode ${mode}: the generated people equal the ground truth (long values wrapped by sqlite3 joined again)`, async () => {
      await expectTruth(write(`people.${mode.split(' ')[0]}.txt`, lite(mode, 'SELECT * FROM personnes')), pgTruth, dialect);
    });
  }

  for (const mode of ['box', 'table']) {
    it(`.mode ${mode} --wrap 20 and 10: values cut over several lines joined back, a space at the cut kept`, async () => {
      const dialect = mode === 'box' ? 'sqlite3 .mode box / psql border=2 unicode' : 'mysql -t / sqlite3 .mode table / psql border=2';
      const file = write(`people.${mode}-wrap.txt`, lite(`${mode} --wrap 20`, 'SELECT * FROM personnes'));
      // "Appt 10, 52 route de" + "s Roses": cut in a word; "… Laboratoire Analyses" + " Santé": before a space.
      expect(readFileSync(file, 'utf8')).toMatch(/ {2}[^ ]/);
      await expectTruth(file, pgTruth, dialect);
      const bizarre = write(`bizarre.${mode}-wrap.txt`, lite(`${mode} --wrap 10`, 'SELECT * FROM bizarre ORDER BY id'));
      expect(await cellsOf(bizarre)).toEqual({ columns: COLS, rows: blankNulls });
    });
  }

  it('.mode column: the generated people equal the ground truth, with the default widths and with .width', async () => {
    await expectTruth(write('people.column.txt', lite('column', 'SELECT * FROM personnes')), pgTruth, 'sqlite3 .mode column');
    // Narrower than the values: names, emails and addresses cut over several lines.
    const narrow = execFileSync('sqlite3', ['-cmd', '.mode column', '-cmd', '.width 8 8 12 10', sqliteDb, 'SELECT * FROM personnes'], { maxBuffer: 1 << 28 });
    expect(narrow.toString().split('\n')[1]).toMatch(/^-{8} {2}-{8} {2}-{12} {2}-{10} {2}-/);
    await expectTruth(write('people.column-width.txt', narrow), pgTruth, 'sqlite3 .mode column');
  });

  it('.mode column: awkward values cell for cell; two statements give two tables', async () => {
    expect(await cellsOf(write('bizarre.column.txt', lite('column', 'SELECT * FROM bizarre ORDER BY id')))).toEqual({ columns: COLS, rows: blankNulls });
    const evs = await events(
      write('two.column.txt', lite('column', 'SELECT id, nom FROM bizarre WHERE id < 3 ORDER BY id; SELECT id, ville FROM bizarre WHERE id > 2 ORDER BY id')),
    );
    expect(evs.filter((e) => e.kind === 'skip')).toEqual([]);
    expect(evs.filter((e) => e.kind === 'table').map((t) => (t.kind === 'table' ? t.columns : []))).toEqual([
      ['id', 'nom'],
      ['id', 'ville'],
    ]);
    expect(evs.flatMap((e) => (e.kind === 'rows' ? e.rows : []))).toEqual([
      ['1', 'Lefèvre'],
      ['2', 'Dupont|Martin'],
      ['3', '東京'],
      ['4', 'Besançon'],
    ]);
  });

  it('.mode qbox and --quote: values as SQL literals unquoted, NULL as null', async () => {
    await expectTruth(write('people.qbox.txt', lite('qbox', 'SELECT * FROM personnes')), pgTruth, 'sqlite3 .mode box / psql border=2 unicode');
    for (const mode of ['qbox', 'table --quote', 'column --quote', 'markdown --quote']) {
      const file = write('bizarre.quoted.txt', lite(mode, 'SELECT * FROM bizarre ORDER BY id'));
      expect(readFileSync(file, 'utf8'), mode).toContain("'Dupont|Martin'");
      expect(await cellsOf(file), mode).toEqual({ columns: COLS, rows: AWKWARD });
    }
  });

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

  it('.mode list and tabs (.headers on): the generated people equal the ground truth, line breaks in values joined', async () => {
    const file = write('people.list.txt', execFileSync('sqlite3', ['-header', sqliteDb, 'SELECT * FROM personnes'], { maxBuffer: 1 << 28 }));
    await expectTruth(file, pgTruth, 'psql -A / sqlite3 .mode list');
    const tabs = write('people.tabs.txt', execFileSync('sqlite3', ['-header', '-tabs', sqliteDb, 'SELECT * FROM personnes'], { maxBuffer: 1 << 28 }));
    await expectTruth(tabs, pgTruth, 'sqlite3 .mode tabs');
    // mysql -B escapes its line breaks: delimited text, as before.
    const batch = await ingest({
      files: [write('people.mysql-B.txt', my('SELECT * FROM personnes', db, '-B'))],
      breach: { name: 'Texte' },
      dryRun: true,
      workers: 0,
    });
    expect([batch.tables[0]?.format, batch.records, batch.skipped]).toEqual(['delimited', myTruth.rows, 0]);
  });

  it('.mode table and box: awkward values, the line break of a value joined from its continuation row', async () => {
    for (const mode of ['table', 'box']) {
      const file = write(`bizarre.${mode}.txt`, lite(mode, 'SELECT * FROM bizarre ORDER BY id'));
      expect(await cellsOf(file), mode).toEqual({ columns: COLS, rows: blankNulls });
    }
  });

  it('.mode markdown: awkward values, the line break of a value joined from the row sqlite3 goes on with', async () => {
    const file = write('bizarre.md', lite('markdown', 'SELECT * FROM bizarre ORDER BY id'));
    expect(readFileSync(file, 'utf8')).toMatch(/\| ligne 1 +\|\n\| +\|/);
    expect(await cellsOf(file)).toEqual({ columns: COLS, rows: blankNulls });
  });

  it('.mode markdown: the generated people with their comments on several lines equal the ground truth', async () => {
    await expectTruth(write('people.multi.md', lite('markdown', 'SELECT * FROM personnes')), pgTruth, 'markdown');
    // Cut at 20 characters too: the pieces of a value go on over several rows.
    await expectTruth(write('people.wrap.md', lite('markdown --wrap 20', 'SELECT * FROM personnes')), pgTruth, 'markdown');
  });
});

describe('outputs refused with the way to print them again', () => {
  const refused = async (file: string): Promise<string> => {
    const err = await ingest({ files: [file], breach: { name: 'Texte' }, dryRun: true, workers: 0 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'VIGIE_BAD_FORMAT' });
    return (err as Error).message;
  };
  const psqlOut = (...opts: string[]): Buffer => execFileSync('psql', [...PG, ...opts, '-c', `SELECT * FROM ${db}.bizarre ORDER BY id`]);

  it('psql format=latex, latex-longtable, troff-ms, asciidoc and -A -x (its HTML tables are read: html/)', async () => {
    for (const [opts, what] of [
      [['-P', 'format=latex'], 'psql LaTeX output'],
      [['-P', 'format=latex-longtable'], 'psql LaTeX output'],
      [['-P', 'format=troff-ms'], 'psql troff-ms output'],
      [['-P', 'format=asciidoc'], 'psql asciidoc output'],
      [['-A', '-x'], 'psql -A -x output'],
      [['-x', '-P', 'border=0'], 'psql -x output with border=0'],
      [['-P', 'border=0'], 'psql aligned output with border=0'],
    ] as const) {
      const message = await refused(write('refused.psql.txt', psqlOut(...opts)));
      expect(message, opts.join(' ')).toContain(what);
      expect(message).toContain('print it again with psql --csv');
      expect(message).not.toMatch(/Lef|Dupont/);
    }
  });

  it.skipIf(!hasSqlite3 && !process.env['CI'])('sqlite3 .mode quote (and -quote), tcl and ascii (its HTML is read: html/)', async () => {
    for (const [args, what] of [
      [['-cmd', '.mode quote', '-cmd', '.headers on'], 'sqlite3 .mode quote output'],
      [['-quote'], 'sqlite3 .mode quote output'],
      [['-cmd', '.mode tcl'], 'sqlite3 .mode tcl output'],
      [['-cmd', '.mode ascii', '-cmd', '.headers on'], 'sqlite3 .mode ascii output'],
    ] as const) {
      const out = execFileSync('sqlite3', [...args, sqliteDb, 'SELECT * FROM personnes']);
      const message = await refused(write('refused.sqlite.txt', out));
      expect(message, args.join(' ')).toContain(what);
      expect(message).toContain('.mode csv');
    }
  });
});

describe('one field per line: mysql -E, psql -x, sqlite3 .mode line', () => {
  /** Values that look like the clients' own field lines, a blank line inside a value, psql's `+`. */
  const TRICKY: (string | null)[][] = [
    ['1', 'Lefèvre', 'Hélène', 'x\n  nom: faux\n  nom = faux\n nom | faux', 'Saint-Étienne', null],
    ['2', 'Ørsted', 'Zoë', 'avant\n\naprès', '', 'finit par +'],
    ['3', 'Nguyễn', 'Thị', 'a: b = c | d', 'Paris', 'ligne 1\nligne 2+'],
  ];
  const trickyDdl = awkwardDdl.replace('bizarre', 'piege');
  const trickyRows = (q: (v: string | null) => string): string => TRICKY.map((r) => `(${r.map(q).join(', ')})`).join(', ');

  beforeAll(() => {
    my(`${trickyDdl}; INSERT INTO piege VALUES ${trickyRows(myq)}`, db);
    pg(`${trickyDdl}; INSERT INTO piege VALUES ${trickyRows(sq)}`);
    if (hasSqlite3) execFileSync('sqlite3', [sqliteDb], { input: `${trickyDdl};\nINSERT INTO piege VALUES ${trickyRows(sq)};\n` });
  });

  it('mysql -E: the generated people equal the ground truth', async () => {
    const file = write('people.mysql-E.txt', my('SELECT * FROM personnes', db, '-E'));
    expect(readFileSync(file, 'utf8')).toMatch(/^\*+ 1\. row \*+\n/);
    await expectTruth(file, myTruth, 'mysql -E');
  });

  it('psql -x: the generated people equal the ground truth', async () => {
    const file = write('people.psql-x.txt', execFileSync('psql', [...PG, '-x', '-c', `SELECT * FROM ${db}.personnes`]));
    expect(readFileSync(file, 'utf8')).toMatch(/^-\[ RECORD 1 \]/);
    await expectTruth(file, pgTruth, 'psql -x');
  });

  it('psql -x in a frame (border=2, linestyle=unicode, both): the generated people equal the ground truth, tricky values cell for cell', async () => {
    for (const opts of [['border=2'], ['linestyle=unicode'], ['linestyle=unicode', 'border=2']]) {
      const args = [...PG, '-x', ...opts.flatMap((o) => ['-P', o])];
      const file = write('people.psql-x-frame.txt', execFileSync('psql', [...args, '-c', `SELECT * FROM ${db}.personnes`], { maxBuffer: 1 << 28 }));
      expect(readFileSync(file, 'utf8'), opts.join()).toMatch(/^(?:\+-|┌─|─)\[ RECORD 1 \]/);
      await expectTruth(file, pgTruth, 'psql -x');
      const piege = write('piege.psql-x-frame.txt', execFileSync('psql', [...args, '-c', `SELECT * FROM ${db}.piege ORDER BY id`]));
      expect(await cellsOf(piege), opts.join()).toEqual({ columns: COLS, rows: TRICKY.map((r) => r.map((v) => v ?? '')) });
    }
  });

  it.skipIf(!hasSqlite3 && !process.env['CI'])('sqlite3 .mode line: the generated people equal the ground truth', async () => {
    await expectTruth(write('people.line.txt', lite('line', 'SELECT * FROM personnes')), pgTruth, 'sqlite3 .mode line');
  });

  it('values that look like field lines, blank lines and + inside values read back cell for cell', async () => {
    const blank = TRICKY.map((r) => r.map((v) => v ?? ''));
    expect(await cellsOf(write('piege.mysql-E.txt', my('SELECT * FROM piege ORDER BY id', db, '-E')))).toEqual({ columns: COLS, rows: TRICKY });
    const psqlX = write('piege.psql-x.txt', execFileSync('psql', [...PG, '-x', '-c', `SELECT * FROM ${db}.piege ORDER BY id`]));
    expect(readFileSync(psqlX, 'utf8')).toContain('+\n');
    expect(await cellsOf(psqlX)).toEqual({ columns: COLS, rows: blank });
    if (hasSqlite3) expect(await cellsOf(write('piege.line.txt', lite('line', 'SELECT * FROM piege ORDER BY id')))).toEqual({ columns: COLS, rows: blank });
  });

  it('two statements give two tables; a \\G transcript with its prompts and status lines', async () => {
    const two = await events(
      write('two.mysql-E.txt', my('SELECT id, nom FROM piege WHERE id = 1; SELECT ville FROM piege WHERE id > 1 ORDER BY id', db, '-E')),
    );
    expect(two.filter((e) => e.kind === 'skip')).toEqual([]);
    expect(two.filter((e) => e.kind === 'table').map((t) => (t.kind === 'table' ? [t.name, t.columns] : []))).toEqual([
      ['out.txt', ['id', 'nom']],
      ['out.txt:2', ['ville']],
    ]);
    expect(two.flatMap((e) => (e.kind === 'rows' ? e.rows : []))).toEqual([['1', 'Lefèvre'], [''], ['Paris']]);
    const out = my('SELECT id, email FROM bizarre WHERE id < 3 ORDER BY id', db, '-E').toString();
    const transcript = `mysql> SELECT id, email FROM bizarre WHERE id < 3 ORDER BY id\\G\n${out}2 rows in set (0.00 sec)\n\nmysql> quit\nBye\n`;
    const evs = await events(write('transcript-G.txt', transcript));
    expect(evs.filter((e) => e.kind === 'skip')).toEqual([]);
    expect(evs.flatMap((e) => (e.kind === 'rows' ? e.rows : []))).toEqual([
      ['1', 'helene.lefevre@exemple.fr'],
      ['2', null],
    ]);
  });

  it('a record cut short is a field count skip at its line; the records around it are read', async () => {
    const lines = my('SELECT * FROM bizarre ORDER BY id', db, '-E').toString().split('\n');
    // Record 2 loses its `email` line (line 12: record 1 is lines 1–7, record 2's header line 8).
    expect(lines[11]).toMatch(/^ *email: /);
    lines.splice(11, 1);
    const evs = await events(write('cut.mysql-E.txt', lines.join('\n')));
    expect(evs.filter((e) => e.kind === 'skip')).toEqual([{ kind: 'skip', reason: 'field count', position: { file: 'out.txt', line: 8, record: 2 } }]);
    expect(evs.flatMap((e) => (e.kind === 'rows' ? e.rows : [])).map((r) => r[0])).toEqual(['1', '3', '4']);
  });

  it('a key = value file that is not sqlite3 output is not read as records', async () => {
    const r = await ingest({
      files: [write('config.txt', 'nom = Dupont\nemail = jean.dupont@exemple.fr\nville = Paris\n')],
      breach: { name: 'Texte' },
      dryRun: true,
      workers: 0,
    });
    expect(r.tables[0]?.format).toBe('delimited');
  });
});
