/**
 * What DuckDB writes of a table of the generator's people (`COPY … TO`): CSV with its own options
 * (a `|` or a tab, `NULLSTR '\N'` as Hive and Spark write NULL, gzip and zstd compression), JSON
 * Lines and a JSON array, and Parquet; each ingested on the main thread and in blocks on a worker,
 * against the ground truth.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDataset, type GroundTruth } from '../gen/index.js';
import { readSource, type Cell } from '../read/index.js';
import { expectClassesOf } from '../test-helpers/people.js';
import { ingest } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'vigie-duckdb-exports-'));
let duck: DuckDBConnection;
let truth: GroundTruth;
const ROWS = 2500;

beforeAll(async () => {
  const csv = join(dir, 'people.csv');
  truth = await writeDataset({ out: csv, rows: ROWS, seed: 77, format: 'csv', columns: 'full', delimiter: ',' });
  duck = await (await DuckDBInstance.create(':memory:')).connect();
  // Every column text, an empty field NULL (how the generator writes an absent value).
  await duck.run(`CREATE TABLE people AS SELECT * FROM read_csv('${csv}', header = true, all_varchar = true)`);
}, 60_000);
afterAll(() => {
  duck?.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

const EXPORTS: [string, string][] = [
  ['people-pipe.csv', "(FORMAT csv, DELIMITER '|', HEADER true)"],
  ['people-null.tsv', "(FORMAT csv, DELIMITER '\t', NULLSTR '\\N')"],
  ['people-null.csv', "(FORMAT csv, NULLSTR '\\N', FORCE_QUOTE (nom, prenom))"],
  ['people.csv.gz', '(FORMAT csv, COMPRESSION gzip)'],
  ['people.csv.zst', '(FORMAT csv, COMPRESSION zstd)'],
  ['people.jsonl', '(FORMAT json)'],
  ['people.json', '(FORMAT json, ARRAY true)'],
  ['people.parquet', '(FORMAT parquet)'],
];

describe('DuckDB’s exports of the generator’s people', () => {
  it.each(EXPORTS)('%s %s gives the ground truth, inline and on a worker', async (name, options) => {
    const file = join(dir, name);
    await duck.run(`COPY people TO '${file}' ${options}`);
    for (const workers of [0, 1]) {
      const r = await ingest({ files: [file], breach: { name: 'Duck' }, dryRun: true, workers });
      expect(r.records, `${name}, ${workers} workers`).toBe(ROWS);
      expect(r.skipped).toBe(0);
      expectClassesOf(r, truth);
    }
  });

  it("reads NULLSTR '\\N' as absent beside CSV quoting, a small file too", async () => {
    const file = join(dir, 'nulls.csv');
    const values = "(1, 'Durand', NULL), (2, NULL, '\\N'), (3, 'Roux, \"fils\"', 'x'), (4, NULL, NULL), (5, 'Lefèvre', E'a\\nb')";
    await duck.run(`COPY (SELECT * FROM (VALUES ${values}) t(id, nom, note)) TO '${file}' (FORMAT csv, NULLSTR '\\N')`);
    const rows: Cell[][] = [];
    let meta: Record<string, string> = {};
    for await (const ev of readSource(file, { displayName: 'nulls.csv' })) {
      if (ev.kind === 'table') meta = ev.meta;
      if (ev.kind === 'rows') rows.push(...ev.rows);
    }
    expect(meta).toEqual(expect.objectContaining({ quote: '"', null: '\\N' }));
    // DuckDB quotes a value equal to its NULLSTR ("\N"); the reader cannot tell it from the bare word.
    expect(rows).toEqual([
      ['1', 'Durand', null],
      ['2', null, null],
      ['3', 'Roux, "fils"', 'x'],
      ['4', null, null],
      ['5', 'Lefèvre', 'a\nb'],
    ]);
  });
});
