/**
 * Generated people as CSV and as the Parquet file DuckDB makes of that CSV (every column
 * VARCHAR), ingested end to end: the two reports must be the same, and equal the generator's
 * ground truth; and the Parquet file gzipped and inside a zip (held in memory) the same.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDataset } from '../../gen/index.js';
import { ingest } from '../../ingest/index.js';
import { expectClassesOf, reportEssence } from '../../test-helpers/people.js';
import { DuckDb, quote } from './test-helpers/duckdb.js';

let duck: DuckDb;
beforeAll(async () => {
  duck = await DuckDb.open();
});
afterAll(() => duck?.close());

const run = (file: string) => ingest({ files: [file], breach: { name: 'Test' }, dryRun: true, workers: 0 });

describe('generated people ingested from the Parquet file DuckDB makes of their CSV', () => {
  it('reports exactly what the CSV reports, and the ground truth', async () => {
    const csv = join(duck.dir, 'personnes.csv');
    const truth = await writeDataset({ out: csv, rows: 3000, seed: 53, format: 'csv', columns: 'full' });
    const parquet = await duck.parquet(
      `SELECT * FROM read_csv(${quote(csv)}, header = true, all_varchar = true, nullstr = '\\N')`,
      'personnes.parquet',
      'COMPRESSION zstd, ROW_GROUP_SIZE 2048',
    );
    const fromCsv = await run(csv);
    const fromParquet = await run(parquet);
    expect(fromParquet.tables.map((t) => [t.name, t.format])).toEqual([[parquet, 'parquet']]);
    expect(reportEssence(fromParquet)).toEqual(reportEssence(fromCsv));
    expect(fromParquet.records).toBe(truth.rows);
    expect(fromParquet.skipped).toBe(0);
    expect(fromParquet.people).toBe(truth.people);
    expectClassesOf(fromParquet, truth);
    expect(fromParquet.dataClasses['Email addresses']?.valid).toBeGreaterThan(truth.rows * 0.9);

    // From memory: gzipped, and inside a zip.
    const gz = `${parquet}.gz`;
    writeFileSync(gz, gzipSync(readFileSync(parquet)));
    const zip = join(duck.dir, 'envoi.zip');
    execFileSync('zip', ['-q', '-j', zip, parquet]);
    for (const [file, name, container] of [
      [gz, gz, 'gzip'],
      [zip, `${zip}:personnes.parquet`, 'zip'],
    ] as const) {
      const r = await run(file);
      expect(r.tables.map((t) => [t.name, t.format, t.meta['container']])).toEqual([[name, 'parquet', container]]);
      expect(reportEssence(r)).toEqual(reportEssence(fromCsv));
    }
  }, 120_000);
});
