/**
 * Parquet files written at test time by DuckDB (`@duckdb/node-api`, the real tool): generated
 * people exported from their CSV with every column VARCHAR, in each codec and in several row
 * groups, compared cell for cell with the CSV as the delimited reader reads it; a table of
 * typed columns compared with DuckDB's own CSV export of it; nested columns compared with
 * DuckDB's JSON export of them as the JSON reader flattens it. Then the same files cut and
 * damaged. Files forged byte by byte are in `forged.test.ts`.
 */
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDataset } from '../../gen/index.js';
import { readSource } from '../index.js';
import { oneChunk } from '../json/test-helpers/collect.js';
import { readJson } from '../json/index.js';
import { MAX_COLUMNS } from '../limits.js';
import type { Cell, ReadEvent } from '../types.js';
import { looksLikeParquet } from './index.js';
import { bytesOf, DuckDb, drain, fromBytes, fromFile, quote, type Read } from './test-helpers/duckdb.js';

let duck: DuckDb;
/** 5,000 generated people as CSV (`,`, every column of the `full` preset), and how the delimited reader reads it. */
let csvPath: string;
let csv: { header: Cell[]; rows: Cell[][] };

beforeAll(async () => {
  duck = await DuckDb.open();
  await duck.run(`SET TimeZone = 'UTC'`);
  csvPath = join(duck.dir, 'people.csv');
  await writeDataset({ out: csvPath, rows: 5000, seed: 29, format: 'csv', delimiter: ',', columns: 'full' });
  const events: ReadEvent[] = [];
  for await (const ev of readSource(csvPath, { displayName: csvPath })) events.push(ev);
  const table = events[0];
  if (table?.kind !== 'table' || table.headerRow === undefined) throw new Error('the CSV has no header row');
  csv = { header: table.headerRow, rows: events.flatMap((e) => (e.kind === 'rows' ? e.rows : [])) };
}, 60_000);
afterAll(() => duck?.close());

/** The people as DuckDB reads the CSV with every column VARCHAR (an empty field stays empty, not NULL). */
const peopleSelect = (): string => `SELECT * FROM read_csv(${quote(csvPath)}, header = true, all_varchar = true, nullstr = '\\N')`;

const rowsEvents = (r: Read) => r.events.flatMap((e) => (e.kind === 'rows' ? [e] : []));

describe('generated people exported by DuckDB with every column VARCHAR', () => {
  it.each(['snappy', 'zstd', 'gzip', 'uncompressed'])('%s: one table whose every cell equals the CSV, in batches across row groups', async (codec) => {
    const path = await duck.parquet(peopleSelect(), `people-${codec}.parquet`, `COMPRESSION ${codec}, ROW_GROUP_SIZE 2048`);
    const r = await fromFile(path, { batchSize: 700 });
    expect(r.error).toBeUndefined();
    expect(r.events[0]).toMatchObject({ kind: 'table', name: path, format: 'parquet', meta: { rowGroups: '3', compression: codec } });
    expect(r.events[0]).not.toHaveProperty('headerRow');
    expect(r.columns).toEqual(csv.header);
    expect(r.rows).toHaveLength(5000);
    expect(r.rows).toEqual(csv.rows);
    // Batches of 700 run across the row groups' bounds (2048, 4096), numbered from 1.
    const batches = rowsEvents(r);
    expect(batches.map((b) => b.firstRecord)).toEqual(Array.from({ length: 8 }, (_, i) => 1 + 700 * i));
    expect(batches.map((b) => b.rows.length)).toEqual([700, 700, 700, 700, 700, 700, 700, 100]);
    expect(r.events.filter((e) => e.kind === 'skip')).toEqual([]);
  });

  it('version 2 pages (DELTA_LENGTH_BYTE_ARRAY strings, RLE_DICTIONARY, DATA_PAGE_V2): the same cells', async () => {
    const path = await duck.parquet(peopleSelect(), 'people-v2.parquet', 'COMPRESSION zstd, ROW_GROUP_SIZE 2048, PARQUET_VERSION v2');
    const r = await fromFile(path, { batchSize: 333 });
    expect(r.error).toBeUndefined();
    expect(r.columns).toEqual(csv.header);
    expect(r.rows).toEqual(csv.rows);
    expect(rowsEvents(r).every((b, i) => b.firstRecord === 1 + 333 * i)).toBe(true);
  });

  it('one big row group and the default batch size: batches of 1024', async () => {
    const path = await duck.parquet(peopleSelect(), 'people-one-group.parquet', 'COMPRESSION snappy');
    const r = await fromFile(path);
    expect(r.events[0]).toMatchObject({ meta: { rowGroups: '1' } });
    expect(r.rows).toEqual(csv.rows);
    expect(rowsEvents(r).map((b) => b.rows.length)).toEqual([1024, 1024, 1024, 1024, 904]);
  });

  it('from its bytes (an archive member) gives the same events as from the file, whatever the chunking', async () => {
    const path = await duck.parquet(peopleSelect(), 'people-bytes.parquet', 'COMPRESSION zstd, ROW_GROUP_SIZE 2048');
    const byFile = await fromFile(path, { batchSize: 500 }, 'archive.zip:people.parquet');
    for (const size of [777, 1 << 20]) {
      const byBytes = await fromBytes(bytesOf(path), 'archive.zip:people.parquet', { batchSize: 500 }, undefined, size);
      expect(byBytes.error).toBeUndefined();
      expect(byBytes.events).toEqual(byFile.events);
    }
  });

  it('reports the bytes read, growing, up to the file size', async () => {
    const path = await duck.parquet(peopleSelect(), 'people-progress.parquet', 'COMPRESSION snappy, ROW_GROUP_SIZE 2048');
    const seen: number[] = [];
    const r = await fromFile(path, { onBytes: (n) => seen.push(n) });
    expect(r.error).toBeUndefined();
    const size = statSync(path).size;
    expect(seen.length).toBeGreaterThan(3);
    expect(seen.every((n, i) => i === 0 || n >= (seen[i - 1] as number))).toBe(true);
    expect(seen.at(-1)).toBeLessThanOrEqual(size);
    expect(seen.at(-1)).toBeGreaterThan(size * 0.9);
  });

  it('a record longer than maxRecordChars is a skip with its number; the others are read', async () => {
    const path = await duck.parquet(`${peopleSelect()} LIMIT 300`, 'people-long.parquet');
    const lengths = csv.rows.slice(0, 300).map((row) => row.reduce((n, c) => n + (c?.length ?? 0), 0));
    const limit = [...lengths].sort((a, b) => a - b)[290] as number;
    const r = await fromFile(path, { maxRecordChars: limit });
    const skipped = lengths.flatMap((n, i) => (n > limit ? [i + 1] : []));
    expect(skipped.length).toBeGreaterThan(0);
    expect(r.events.flatMap((e) => (e.kind === 'skip' ? [e] : []))).toEqual(
      skipped.map((record) => ({ kind: 'skip', reason: 'record too long', position: { file: path, record } })),
    );
    expect(r.rows).toEqual(csv.rows.slice(0, 300).filter((_, i) => !skipped.includes(i + 1)));
    // Record numbers count the skipped records.
    const numbered = rowsEvents(r).flatMap((b) => b.rows.map((_, i) => b.firstRecord + i));
    expect(numbered).toEqual(Array.from({ length: 300 }, (_, i) => i + 1).filter((n) => !skipped.includes(n)));
  });
});

describe('typed columns exported by DuckDB', () => {
  const TYPED = `SELECT * FROM (VALUES
    (1, 'Élodie Lefèvre-Nâ', DATE '1985-03-14', TIMESTAMP '2023-05-17 09:30:15.25', TIMESTAMP_MS '2020-01-01 00:00:00.5',
     TIMESTAMP_NS '2020-01-01 00:00:00.123456789', TIMESTAMPTZ '2023-05-17 09:30:15+00', -42::INTEGER, 9007199254740993::BIGINT,
     '-9223372036854775808'::BIGINT, 0.1::DOUBLE, 1.5e300::DOUBLE, 0.1::FLOAT, 1234.50::DECIMAL(10,2), -0.05::DECIMAL(4,3),
     12345678901234567890.123::DECIMAL(38,3), true, 'texte'::BLOB, '\\x89PNG'::BLOB, ''::BLOB, TIME '12:34:56.5',
     'a1b2c3d4-0000-0000-0000-000000000001'::UUID, INTERVAL '1 year 2 months 3 days 04:05:06', 255::UTINYINT,
     18446744073709551615::UBIGINT, DATE '1900-01-01', TIMESTAMP '1969-12-31 23:59:59.999999'),
    (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, false, NULL, NULL, NULL, NULL,
     NULL, NULL, NULL, NULL, NULL, NULL)
  ) v(id, nom, naissance, ts, ts_ms, ts_ns, tstz, i, big, small, dbl, huge, fl, montant, taux, grand, actif, note, photo, vide,
      heure, jeton, duree, octet, ubig, ancien, avant)`;

  it('cells as a user expects them: dates ISO, timestamps `YYYY-MM-DD HH:MM:SS`, exact integers and decimals, BLOBs as text or hex', async () => {
    const path = await duck.parquet(TYPED, 'typed.parquet');
    const r = await fromFile(path);
    expect(r.error).toBeUndefined();
    expect(r.columns).toEqual([
      'id',
      'nom',
      'naissance',
      'ts',
      'ts_ms',
      'ts_ns',
      'tstz',
      'i',
      'big',
      'small',
      'dbl',
      'huge',
      'fl',
      'montant',
      'taux',
      'grand',
      'actif',
      'note',
      'photo',
      'vide',
      'heure',
      'jeton',
      'duree',
      'octet',
      'ubig',
      'ancien',
      'avant',
    ]);
    expect(r.rows[0]).toEqual([
      '1',
      'Élodie Lefèvre-Nâ',
      '1985-03-14',
      '2023-05-17 09:30:15.25',
      '2020-01-01 00:00:00.5',
      '2020-01-01 00:00:00.123456789',
      '2023-05-17 09:30:15+00',
      '-42',
      // Past 2^53: every digit.
      '9007199254740993',
      '-9223372036854775808',
      '0.1',
      '1.5e+300',
      // A FLOAT as the shortest text of its 32 bits, not 0.10000000149011612.
      '0.1',
      // A DECIMAL keeps its scale.
      '1234.50',
      '-0.050',
      '12345678901234567890.123',
      'true',
      // A BLOB holding text is its text; binary is hex, as mysqldump --hex-blob writes it.
      'texte',
      '0x89504E47',
      '',
      '12:34:56.5',
      'a1b2c3d4-0000-0000-0000-000000000001',
      '1 year 2 months 3 days 04:05:06',
      '255',
      '18446744073709551615',
      '1900-01-01',
      '1969-12-31 23:59:59.999999',
    ]);
    expect(r.rows[1]).toEqual(['2', ...Array(15).fill(null), 'false', ...Array(10).fill(null)]);
  });

  it('dates, times, integers, decimals, booleans, UUIDs and intervals are the text of DuckDB’s own CSV export', async () => {
    const path = await duck.parquet(TYPED, 'typed-csv.parquet', 'COMPRESSION zstd');
    const exported = await duck.csv(TYPED, 'typed.csv');
    const fromCsv: ReadEvent[] = [];
    for await (const ev of readSource(exported, { displayName: exported })) fromCsv.push(ev);
    const header = (fromCsv[0] as Extract<ReadEvent, { kind: 'table' }>).headerRow as Cell[];
    const csvRows = fromCsv.flatMap((e) => (e.kind === 'rows' ? e.rows : []));
    const r = await fromFile(path);
    // DuckDB writes doubles its own way (3.0, 1e+20) where Vigie writes them as JavaScript does, and BLOBs as \x escapes.
    const same = ['id', 'nom', 'naissance', 'ts', 'ts_ms', 'ts_ns', 'tstz', 'i', 'big', 'small', 'fl', 'montant', 'taux', 'grand', 'actif', 'note'];
    same.push('heure', 'jeton', 'duree', 'octet', 'ubig', 'ancien', 'avant');
    for (const name of same) {
      const j = header.indexOf(name);
      const k = r.columns.indexOf(name);
      // DuckDB's CSV writes NULL as an empty field.
      expect(
        r.rows.map((row) => row[k] ?? ''),
        name,
      ).toEqual(csvRows.map((row) => row[j]));
    }
  });

  it('nested columns flattened as the JSON reader flattens DuckDB’s JSON export of the same rows', async () => {
    const NESTED = `SELECT * FROM (VALUES
      (1, [{'email': 'jean.dupont@exemple.fr', 'tel': '06 12 34 56 78'}, {'email': 'j.d@exemple.fr', 'tel': NULL}],
       {'rue': '12 rue de la Paix', 'ville': 'Paris', 'geo': {'cp': '75002'}}, ['a', 'b'], [[1, 2], [3]]),
      (2, NULL, NULL, NULL, NULL),
      (3, [], {'rue': NULL, 'ville': 'Lyon', 'geo': NULL}, ['c', NULL, 'd'], [[]]),
      (4, [{'email': 'z@exemple.fr', 'tel': '07 00 00 00 00'}], {'rue': 'Quai', 'ville': NULL, 'geo': {'cp': NULL}}, [], NULL)
    ) v(id, contacts, adresse, tags, grille)`;
    const path = await duck.parquet(NESTED, 'nested.parquet');
    const r = await fromFile(path, { batchSize: 2 });
    expect(r.error).toBeUndefined();
    // The struct's leaves are columns from the start; list items are added as rows have them.
    expect(r.columns).toEqual([
      'id',
      'adresse.rue',
      'adresse.ville',
      'adresse.geo.cp',
      'contacts[0].email',
      'contacts[0].tel',
      'contacts[1].email',
      'contacts[1].tel',
      'tags[0]',
      'tags[1]',
      'grille[0][0]',
      'grille[0][1]',
      'grille[1][0]',
      'tags[2]',
    ]);
    const first = r.events.find((e) => e.kind === 'table');
    expect(first).toMatchObject({ columns: r.columns });
    const jsonPath = join(duck.dir, 'nested.json');
    await duck.run(`COPY (${NESTED}) TO ${quote(jsonPath)} (FORMAT json)`);
    const json = await drain(readJson(oneChunk(bytesOf(jsonPath).toString('utf8')), { displayName: jsonPath }));
    expect(json.error).toBeUndefined();
    // Cell by cell, by column name; a null (or a null struct, list or map the JSON reader makes a column of) is no cell.
    const named = (columns: string[], rows: Cell[][]) =>
      rows.map((row) => Object.fromEntries(row.flatMap((c, i) => (c === null ? [] : [[columns[i] as string, c]]))));
    expect(named(r.columns, r.rows)).toEqual(named(json.columns, json.rows));
    expect(named(r.columns, r.rows)[0]).toMatchObject({ 'contacts[1].email': 'j.d@exemple.fr', 'adresse.geo.cp': '75002', 'grille[1][0]': '3' });
  });

  it('a MAP’s keys are paths, as an object’s keys in JSON; version 2 pages of nested columns too', async () => {
    const MAPS = `SELECT * FROM (VALUES (MAP {'couleur': 'bleu', 'taille': 'M'}, 1), (MAP {'taille': 'L'}, 2), (NULL, 3)) v(attributs, id)`;
    for (const version of ['v1', 'v2']) {
      const r = await fromFile(await duck.parquet(MAPS, `maps-${version}.parquet`, `PARQUET_VERSION ${version}`));
      expect(r.error).toBeUndefined();
      expect(r.columns).toEqual(['id', 'attributs.couleur', 'attributs.taille']);
      expect(r.rows).toEqual([['1', 'bleu', 'M'], ['2', null, 'L'], ['3']]);
    }
  });

  it('a wide table (600 columns) from its file: pages larger than the read-ahead left to each column', async () => {
    const cols = Array.from({ length: 600 }, (_, i) => `printf('%08d-colonne-%03d-valeur-assez-longue', range, ${i}) AS c${i}`).join(', ');
    const path = await duck.parquet(`SELECT ${cols} FROM range(3000)`, 'wide-table.parquet', 'COMPRESSION uncompressed');
    const r = await fromFile(path, { batchSize: 1000 });
    expect(r.error).toBeUndefined();
    expect(r.columns).toHaveLength(600);
    expect(r.rows).toHaveLength(3000);
    expect(r.rows[2999]?.[599]).toBe('00002999-colonne-599-valeur-assez-longue');
    expect(r.rows[1234]?.[17]).toBe('00001234-colonne-017-valeur-assez-longue');
  });

  it('a LIST whose items would make more columns than a table may have: that row is a skip, the others are read', async () => {
    const path = await duck.parquet(`SELECT id, CASE WHEN id = 2 THEN range(0, ${MAX_COLUMNS + 10}) ELSE [id] END AS n FROM range(1, 4) t(id)`, 'wide.parquet');
    const r = await fromFile(path);
    expect(r.error).toBeUndefined();
    expect(r.events.filter((e) => e.kind === 'skip')).toEqual([{ kind: 'skip', reason: 'too many columns', position: { file: path, record: 2 } }]);
    expect(r.rows.map((row) => [row[0], row[1]])).toEqual([
      ['1', '1'],
      ['3', '3'],
    ]);
  });
});

describe('damaged Parquet files', () => {
  let path: string;
  let good: Buffer;
  beforeAll(async () => {
    path = await duck.parquet(peopleSelect(), 'people-damage.parquet', 'COMPRESSION snappy, ROW_GROUP_SIZE 2048');
    good = bytesOf(path);
  });

  const write = (name: string, bytes: Buffer): string => {
    const p = join(duck.dir, name);
    writeFileSync(p, bytes);
    return p;
  };

  it('is told by its magic number', () => {
    expect(looksLikeParquet(good.subarray(0, 16))).toBe(true);
    expect(looksLikeParquet(Buffer.from('PARE....'))).toBe(true);
    expect(looksLikeParquet(Buffer.from('nom;email\n'))).toBe(false);
    expect(looksLikeParquet(Buffer.from('PAR'))).toBe(false);
  });

  it('cut anywhere (a download stopped, a disk full): VIGIE_TRUNCATED, naming the file', async () => {
    for (const at of [4, 11, 5000, good.length >> 1, good.length - 9, good.length - 1]) {
      const p = write(`cut-${at}.parquet`, good.subarray(0, at));
      const r = await fromFile(p);
      expect(r.error, `cut at ${at}`).toMatchObject({ code: 'VIGIE_TRUNCATED', position: { file: p } });
      expect(r.rows).toEqual([]);
    }
    const r = await fromFile(write('cut.parquet', good.subarray(0, 5000)));
    expect(r.error?.message).toContain('does not end with PAR1');
  });

  it('a footer length pointing outside the file: VIGIE_BAD_FORMAT at the length’s byte', async () => {
    const bad = Buffer.from(good);
    bad.writeUInt32LE(good.length * 2, good.length - 8);
    const p = write('footer-length.parquet', bad);
    const r = await fromFile(p);
    expect(r.error).toMatchObject({ code: 'VIGIE_BAD_FORMAT', position: { file: p, byte: good.length - 8 } });
    expect(r.error?.message).toContain('points outside the file');
  });

  it('garbage over a page of the second row group: VIGIE_BAD_FORMAT naming row group, column, record and byte; the first row group delivered', async () => {
    // The second row group's first column chunk: found by reading the footer as the reader does.
    const { parquetMetadata } = await import('hyparquet');
    const md = parquetMetadata(good);
    const chunk = md.row_groups[1]?.columns[0]?.meta_data;
    const start = Number(chunk?.dictionary_page_offset ?? chunk?.data_page_offset);
    const bad = Buffer.from(good);
    for (let i = 0; i < 64; i++) bad[start + i] = (i * 37 + 11) & 0xff;
    const p = write('garbage.parquet', bad);
    const r = await fromFile(p, { batchSize: 1000 });
    expect(r.error).toMatchObject({ code: 'VIGIE_BAD_FORMAT', position: { file: p, record: 2049 } });
    expect(r.error?.message).toMatch(/row group 2 of 3, column nom: /);
    expect((r.error?.position as { byte?: number } | undefined)?.byte).toBeGreaterThanOrEqual(start);
    expect(r.rows).toEqual(csv.rows.slice(0, 2048));
  });

  it('random damage to pages or footer: a VigieError or rows, never another error, a hang or unbounded memory', async () => {
    let s = 12345;
    const rand = (n: number): number => {
      s = (s * 1103515245 + 12345) % 2 ** 31;
      return s % n;
    };
    const codes = new Set<string>();
    for (let t = 0; t < 120; t++) {
      const bad = Buffer.from(good);
      // Most trials hit the data; some the footer (its last 2 KB).
      const inFooter = t % 4 === 0;
      const at = inFooter ? good.length - 8 - 1 - rand(2000) : 4 + rand(good.length - 2100);
      const n = 1 + rand(16);
      for (let i = 0; i < n; i++) bad[at + i] = rand(256);
      const r = await fromBytes(bad, `trial-${t}.parquet`, {}, undefined, 1 << 20);
      if (r.error !== undefined) {
        expect(r.error.name, `trial ${t}: ${r.error.message}`).toBe('VigieError');
        codes.add(r.error.code ?? '');
      }
    }
    for (const code of codes) expect(['VIGIE_BAD_FORMAT', 'VIGIE_TRUNCATED', 'VIGIE_TOO_LARGE']).toContain(code);
    expect(codes.has('VIGIE_BAD_FORMAT')).toBe(true);
  }, 120_000);

  it('held in memory past its cap: VIGIE_TOO_LARGE, before anything is decoded', async () => {
    const r = await fromBytes(good, 'fuite.zip:people.parquet', {}, 100_000);
    expect(r.error).toMatchObject({ code: 'VIGIE_TOO_LARGE', position: { file: 'fuite.zip:people.parquet' } });
    expect(r.events).toEqual([]);
  });

  it('an encrypted file (PARE): refused by name, with what to do', async () => {
    const bad = Buffer.from(good);
    bad.write('PARE', 0, 'latin1');
    bad.write('PARE', good.length - 4, 'latin1');
    const r = await fromFile(write('encrypted.parquet', bad));
    expect(r.error).toMatchObject({ code: 'VIGIE_BAD_FORMAT' });
    expect(r.error?.message).toContain('encrypted Parquet file');
    expect(r.error?.message).toContain('decrypt it');
  });

  it('an error message holds no cell value', async () => {
    const { parquetMetadata } = await import('hyparquet');
    const md = parquetMetadata(good);
    const bad = Buffer.from(good);
    const chunk = md.row_groups[0]?.columns[2]?.meta_data;
    const start = Number(chunk?.dictionary_page_offset ?? chunk?.data_page_offset);
    bad.fill(0xff, start, start + 40);
    const r = await fromFile(write('no-values.parquet', bad));
    expect(r.error).toBeDefined();
    const message = r.error?.message ?? '';
    for (const row of csv.rows.slice(0, 2048)) for (const c of row) if (c !== null && c.length > 3) expect(message).not.toContain(c);
  });
});
