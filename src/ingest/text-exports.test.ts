/**
 * Text exports of databases, made by the real tools: the generator's people are loaded into the
 * MariaDB and PostgreSQL servers of the tests (`test-helpers/services.ts`), exported with
 * `SELECT … INTO OUTFILE`, `mysqldump --tab`, `mysql -B` and `psql \copy … to`, and the exports
 * ingested: records and per-class counts must equal the generator's ground truth, and `\N` /
 * `NULL` count as absent values, never invalid ones. A second table of awkward values (tabs,
 * line breaks, backslashes, NUL, quotes, the word NULL) goes through the same tools and must
 * read back exactly.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroundTruth } from '../gen/index.js';
import { readSource, type Cell } from '../read/index.js';
import { expectClassesOf, MYSQL, peopleInMariaDb, peopleInPostgres, PSQL } from '../test-helpers/people.js';
import { ingest } from './index.js';

// The MariaDB server writes INTO OUTFILE and --tab files itself: a folder it may write to.
const dir = mkdtempSync(join(tmpdir(), 'vigie-text-exports-'));
chmodSync(dir, 0o777);
const db = `vigie_text_${process.pid}`;
const my = (sql: string, ...more: string[]): Buffer => execFileSync('mysql', [...MYSQL, ...more, '-e', sql], { maxBuffer: 1 << 28 });

/** Awkward values, one per row of table `bizarre` (id, texte), with their SQL literal in both dialects. */
const AWKWARD: (string | null)[] = [
  'tab\there',
  'line\nbreak',
  'back\\slash',
  'ends with \\',
  'nul\0byte',
  '"quoted"',
  'NULL',
  '\\N',
  null,
  '',
  'cr\rlf\r\nend',
  'é à ç',
];
const myLiteral = (v: string | null): string =>
  v === null
    ? 'NULL'
    : `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\0/g, '\\0').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}'`;
// PostgreSQL text cannot hold NUL: that row becomes the empty string there.
const pgValue = (v: string | null): string | null => (v === null ? null : v.replace(/\0/g, ''));
const pgLiteral = (v: string | null): string =>
  v === null ? 'NULL' : `E'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}'`;

let myTruth: GroundTruth;
let pgTruth: GroundTruth;

beforeAll(async () => {
  myTruth = await peopleInMariaDb(db, dir, 3000, 41);
  my(`CREATE TABLE bizarre (id INT PRIMARY KEY, texte TEXT); INSERT INTO bizarre VALUES ${AWKWARD.map((v, i) => `(${i}, ${myLiteral(v)})`).join(', ')}`, db);

  pgTruth = await peopleInPostgres(db, dir, 3000, 42);
  execFileSync('psql', [
    ...PSQL,
    '-c',
    `CREATE TABLE ${db}.bizarre (id INT PRIMARY KEY, texte TEXT); INSERT INTO ${db}.bizarre VALUES ${AWKWARD.map((v, i) => `(${i}, ${pgLiteral(pgValue(v))})`).join(', ')}`,
  ]);
}, 120_000);

afterAll(() => {
  try {
    my(`DROP DATABASE IF EXISTS ${db}`);
    execFileSync('psql', [...PSQL, '-c', `DROP SCHEMA IF EXISTS ${db} CASCADE`]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * Employers are free text, known by their column's header only: a headerless export
 * (OUTFILE, --tab, COPY) cannot show them, and must not guess them. Every other class is exact.
 */
const HEADER_ONLY = ['Employers'];

async function expectTruth(file: string, truth: GroundTruth, format: { null: string; header: boolean; quote?: string }): Promise<void> {
  const r = await ingest({ files: [file], breach: { name: 'Export' }, dryRun: true, workers: 2 });
  expect(r.tables[0]!.meta).toEqual(expect.objectContaining({ quote: format.quote ?? 'none', escape: '\\', null: format.null }));
  expect(r.records).toBe(truth.rows);
  expect(r.skipped).toBe(0);
  expect(r.people).toBe(truth.people);
  expectClassesOf(r, truth, format.header ? [] : HEADER_ONLY);
  if (!format.header) for (const cls of HEADER_ONLY) expect(r.dataClasses[cls], cls).toBeUndefined();
}

/** A report without its timings, to compare two readings of one file. */
const comparable = (r: Awaited<ReturnType<typeof ingest>>): unknown => ({ ...r, elapsedMs: 0, recordsPerSecond: 0 });

/** A headerless export's report: every record, no skip, each class but those known by header only as in the ground truth. */
function expectHeaderless(r: Awaited<ReturnType<typeof ingest>>, truth: GroundTruth): void {
  expect([r.records, r.skipped, r.people]).toEqual([truth.rows, 0, truth.people]);
  expectClassesOf(r, truth, HEADER_ONLY);
}

/** Every cell of a file, the held-back first row included. */
async function cellsOf(file: string): Promise<Cell[][]> {
  const out: Cell[][] = [];
  for await (const ev of readSource(file, { displayName: file })) {
    if (ev.kind === 'table' && ev.headerRow) out.push(ev.headerRow);
    else if (ev.kind === 'rows') out.push(...ev.rows);
    else if (ev.kind === 'skip') throw new Error(`unexpected skip: ${ev.reason}`);
  }
  return out;
}

const expected = (values: (string | null)[]): Cell[][] => values.map((v, i) => [String(i), v]);

describe('MariaDB text exports', () => {
  it('SELECT … INTO OUTFILE (no header, \\N, escaped tabs and line breaks): counts equal the ground truth', async () => {
    const file = join(dir, 'outfile.txt');
    my(`SELECT * FROM personnes INTO OUTFILE '${file}'`, db);
    expect(readFileSync(file, 'latin1')).toContain('\\N');
    await expectTruth(file, myTruth, { null: '\\N', header: false });
    const awkward = join(dir, 'bizarre-outfile.txt');
    my(`SELECT * FROM bizarre ORDER BY id INTO OUTFILE '${awkward}'`, db);
    expect(await cellsOf(awkward)).toEqual(expected(AWKWARD));
  });

  it('mysqldump --tab: the data file of each table', async () => {
    const tab = join(dir, 'tab');
    execFileSync('mkdir', ['-m', '777', tab]);
    execFileSync('mysqldump', [...MYSQL, `--tab=${tab}`, db]);
    expect(readdirSync(tab).sort()).toEqual(['bizarre.sql', 'bizarre.txt', 'personnes.sql', 'personnes.txt']);
    // The CREATE TABLE beside the rows names their columns: classes known by header only show too.
    await expectTruth(join(tab, 'personnes.txt'), myTruth, { null: '\\N', header: true });
    const r = await ingest({ files: [join(tab, 'personnes.txt')], breach: { name: 'Export' }, dryRun: true, workers: 0 });
    expect(r.tables[0]!.meta['columnsFrom']).toBe('personnes.sql');
    const created = /CREATE TABLE `personnes` \(([\s\S]*?)\n\)/.exec(readFileSync(join(tab, 'personnes.sql'), 'utf8'))?.[1] ?? '';
    const declared = [...created.matchAll(/^\s+`([^`]+)`/gm)].map((m) => m[1]);
    expect(r.tables[0]!.columns.map((c) => c.name)).toEqual(declared);
    // Alone, the same rows are known by their values only.
    const alone = join(dir, 'personnes-seule.txt');
    writeFileSync(alone, readFileSync(join(tab, 'personnes.txt')));
    await expectTruth(alone, myTruth, { null: '\\N', header: false });
    expect(await cellsOf(join(tab, 'bizarre.txt'))).toEqual(expected(AWKWARD));
  });

  // Another delimiter, no quotes: a backslash before the delimiter of the data; with CR LF records, a line feed of the data raw.
  it.each([
    ["TERMINATED BY ','", `FIELDS TERMINATED BY ','`],
    ["TERMINATED BY ';', LINES CRLF", `FIELDS TERMINATED BY ';' LINES TERMINATED BY '\\r\\n'`],
  ])('SELECT … INTO OUTFILE … %s: backslash-escaped, counts equal the ground truth', async (_, clause) => {
    const file = join(dir, `outfile-unquoted-${clause.length}.csv`);
    my(`SELECT * FROM personnes INTO OUTFILE '${file}' ${clause}`, db);
    expect(readFileSync(file, 'latin1')).toMatch(/\\[,;]/);
    await expectTruth(file, myTruth, { null: '\\N', header: false });
    const awkward = join(dir, `bizarre-outfile-unquoted-${clause.length}.csv`);
    my(`SELECT * FROM bizarre ORDER BY id INTO OUTFILE '${awkward}' ${clause}`, db);
    expect(await cellsOf(awkward)).toEqual(expected(AWKWARD));
  });

  // The recipe for a CSV out of MySQL: quotes around strings, a backslash before a quote, \N for NULL.
  it.each([
    ['OPTIONALLY ENCLOSED BY, LF', `FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '"' LINES TERMINATED BY '\\n'`],
    ['ENCLOSED BY, CRLF', `FIELDS TERMINATED BY ';' ENCLOSED BY '"' LINES TERMINATED BY '\\r\\n'`],
  ])('SELECT … INTO OUTFILE … %s: quoted, backslash-escaped, counts equal the ground truth', async (_, clause) => {
    const file = join(dir, `outfile-${clause.length}.csv`);
    my(`SELECT * FROM personnes INTO OUTFILE '${file}' ${clause}`, db);
    expect(readFileSync(file, 'latin1')).toMatch(/[,;]\\N[,;\r\n]/);
    await expectTruth(file, myTruth, { null: '\\N', header: false, quote: '"' });
    const awkward = join(dir, `bizarre-outfile-${clause.length}.csv`);
    my(`SELECT * FROM bizarre ORDER BY id INTO OUTFILE '${awkward}' ${clause}`, db);
    expect(readFileSync(awkward, 'latin1')).toContain('\\"quoted\\"');
    expect(await cellsOf(awkward)).toEqual(expected(AWKWARD));
  });

  // The recipe for a CSV Excel opens: quotes, no escape at all, NULL as the bare word.
  it("SELECT … INTO OUTFILE … ENCLOSED BY '\"' ESCAPED BY '', CRLF: NULL is absent, counts equal the ground truth, in blocks too", async () => {
    const clause = `FIELDS TERMINATED BY ';' ENCLOSED BY '"' ESCAPED BY '' LINES TERMINATED BY '\\r\\n'`;
    const file = join(dir, 'outfile-excel.csv');
    my(`SELECT * FROM personnes INTO OUTFILE '${file}' ${clause}`, db);
    expect(readFileSync(file, 'latin1')).toMatch(/;NULL;/);
    const r = await ingest({ files: [file], breach: { name: 'Export' }, dryRun: true, workers: 0 });
    expect(r.tables[0]!.meta).toEqual(expect.objectContaining({ quote: '"', null: 'NULL' }));
    expectHeaderless(r, myTruth);
    // Cut in small blocks parsed on the workers, the same report.
    const inBlocks = await ingest({ files: [file], breach: { name: 'Export' }, dryRun: true, workers: 2, blockBytes: 4096 });
    expect(comparable(inBlocks)).toEqual(comparable(r));
    // Awkward values read back but for the string 'NULL', written as NULL is, and a quote, which this recipe does not escape.
    const awkward = join(dir, 'bizarre-outfile-excel.csv');
    // Two more NULLs: the word is taken for NULL once the sample shows it bare three times.
    const rows = `SELECT * FROM bizarre WHERE texte IS NULL OR texte NOT LIKE '%"%' UNION ALL SELECT 100, NULL UNION ALL SELECT 101, NULL`;
    my(`SELECT * FROM (${rows}) AS t ORDER BY id INTO OUTFILE '${awkward}' ${clause}`, db);
    const kept = AWKWARD.map((v, i) => [String(i), v === 'NULL' ? null : v] as Cell[]).filter((row) => !String(row[1]).includes('"'));
    kept.push(['100', null], ['101', null]);
    expect(await cellsOf(awkward)).toEqual(kept);
  });

  // The quote as the escape character too: `""` inside a value, `"N` for NULL, `"0` for NUL, a quote before a line break.
  it.each([
    ['ENCLOSED BY, LF', `FIELDS TERMINATED BY ',' ENCLOSED BY '"' ESCAPED BY '"' LINES TERMINATED BY '\\n'`, 'enclosed'],
    ['OPTIONALLY ENCLOSED BY, CRLF', `FIELDS TERMINATED BY ';' OPTIONALLY ENCLOSED BY '"' ESCAPED BY '"' LINES TERMINATED BY '\\r\\n'`, 'optionally'],
  ])("SELECT … INTO OUTFILE … %s, ESCAPED BY '\"': counts equal the ground truth, in blocks too", async (_, clause, mode) => {
    const file = join(dir, `outfile-quote-escaped-${mode}.csv`);
    my(`SELECT * FROM personnes INTO OUTFILE '${file}' ${clause}`, db);
    expect(readFileSync(file, 'latin1')).toMatch(/[,;]"N[,;\r\n]/);
    const r = await ingest({ files: [file], breach: { name: 'Export' }, dryRun: true, workers: 0 });
    expect(r.tables[0]!.meta).toEqual(expect.objectContaining({ quote: '"', escape: '"', null: '"N' }));
    expectHeaderless(r, myTruth);
    const inBlocks = await ingest({ files: [file], breach: { name: 'Export' }, dryRun: true, workers: 2, blockBytes: 4096 });
    expect(comparable(inBlocks)).toEqual(comparable(r));
    // Every awkward value reads back exactly, the quote and the string 'NULL' included.
    const awkward = join(dir, `bizarre-quote-escaped-${mode}.csv`);
    my(`SELECT * FROM bizarre ORDER BY id INTO OUTFILE '${awkward}' ${clause}`, db);
    expect(await cellsOf(awkward)).toEqual(expected(AWKWARD));
  });

  it('mysqldump --tab --fields-enclosed-by --fields-terminated-by=,: quoted CSV beside its CREATE TABLE', async () => {
    const tab = join(dir, 'tab-csv');
    execFileSync('mkdir', ['-m', '777', tab]);
    execFileSync('mysqldump', [...MYSQL, `--tab=${tab}`, '--fields-enclosed-by="', '--fields-terminated-by=,', db]);
    await expectTruth(join(tab, 'personnes.txt'), myTruth, { null: '\\N', header: true, quote: '"' });
    expect(await cellsOf(join(tab, 'bizarre.txt'))).toEqual(expected(AWKWARD));
  });

  it('mysql -B (a header, NULL as a word, \\t \\n \\\\ \\0 escapes)', async () => {
    const file = join(dir, 'batch.tsv');
    writeFileSync(file, my('SELECT * FROM personnes', db, '-B'));
    expect(readFileSync(file, 'latin1')).toMatch(/\tNULL[\t\n]/);
    await expectTruth(file, myTruth, { null: 'NULL', header: true });
    const awkward = join(dir, 'bizarre-batch.tsv');
    writeFileSync(awkward, my('SELECT * FROM bizarre ORDER BY id', db, '-B'));
    // In batch output SQL NULL and the string 'NULL' are written alike: both read as absent.
    const want = [['id', 'texte'], ...expected(AWKWARD.map((v) => (v === 'NULL' ? null : v)))];
    expect(await cellsOf(awkward)).toEqual(want);
  });
});

describe('MariaDB text exports of binary columns (raw bytes but NUL, tab, line break and backslash escaped)', () => {
  it.each([
    ['mysql -B', (file: string) => writeFileSync(file, my('SELECT * FROM binaire ORDER BY id', db, '-B'))],
    ['INTO OUTFILE', (file: string) => my(`SELECT * FROM binaire ORDER BY id INTO OUTFILE '${file}'`, db)],
  ])('%s: every record, every e-mail, the digests as values', async (name, write) => {
    my(
      'CREATE TABLE IF NOT EXISTS binaire AS SELECT ROW_NUMBER() OVER () AS id, email, ' +
        'UNHEX(CONCAT(SHA2(email, 512), SHA2(CONCAT(email, 1), 512))) AS jeton FROM personnes WHERE email IS NOT NULL LIMIT 800',
      db,
    );
    const file = join(dir, `binaire-${name.length}.txt`);
    write(file);
    const emails = my('SELECT email FROM binaire ORDER BY id', db, '-N', '-B').toString('utf8').trimEnd().split('\n');
    const r = await ingest({ files: [file], breach: { name: 'Export' }, dryRun: true, workers: 0 });
    expect(r.tables[0]!.meta).toEqual(expect.objectContaining({ quote: 'none', escape: '\\' }));
    expect([r.records, r.skipped]).toEqual([emails.length, 0]);
    const cells = await cellsOf(file);
    const rows = name === 'mysql -B' ? cells.slice(1) : cells;
    expect(rows.map((row) => row[1])).toEqual(emails);
    expect(rows.every((row) => typeof row[2] === 'string' && row[2].length > 0)).toBe(true);
  });
});

describe('PostgreSQL binary COPY', () => {
  it('is refused with what to do instead, nothing read', async () => {
    const file = join(dir, 'copy.bin');
    execFileSync('psql', [...PSQL, '-c', `\\copy ${db}.personnes to '${file}' with (format binary)`]);
    await expect(ingest({ files: [file], breach: { name: 'Export' }, dryRun: true, workers: 0 })).rejects.toMatchObject({
      code: 'VIGIE_BAD_FORMAT',
      message: expect.stringMatching(/^.*copy\.bin: a PostgreSQL binary COPY file, not read: .*\(FORMAT csv, HEADER\)/),
    });
  });
});

describe('PostgreSQL text COPY', () => {
  it('\\copy … to (no header, \\N, backslash escapes): counts equal the ground truth', async () => {
    const file = join(dir, 'copy.txt');
    execFileSync('psql', [...PSQL, '-c', `\\copy ${db}.personnes to '${file}'`]);
    expect(readFileSync(file, 'latin1')).toContain('\\N');
    await expectTruth(file, pgTruth, { null: '\\N', header: false });
    const awkward = join(dir, 'bizarre-copy.txt');
    execFileSync('psql', [...PSQL, '-c', `\\copy (SELECT * FROM ${db}.bizarre ORDER BY id) to '${awkward}'`]);
    expect(await cellsOf(awkward)).toEqual(expected(AWKWARD.map(pgValue)));
  });
});
