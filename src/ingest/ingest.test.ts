import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isVigieError } from '../errors.js';
import { writeDataset, type GenOptions, type GroundTruth } from '../gen/index.js';
import { ingest, SKIP_FLOOR } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'vigie-ingest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function make(name: string, opts: Omit<GenOptions, 'out'>): Promise<{ file: string; truth: GroundTruth }> {
  const file = join(dir, name);
  const truth = await writeDataset({ out: file, ...opts });
  return { file, truth };
}

function expectMatchesTruth(report: Awaited<ReturnType<typeof ingest>>, truth: GroundTruth): void {
  expect(report.records).toBe(truth.rows);
  expect(report.skipped).toBe(truth.malformed);
  expect(report.people).toBe(truth.people);
  for (const [cls, t] of Object.entries(truth.dataClasses)) {
    if (t.valid === 0 && t.invalid === 0) continue;
    expect(report.dataClasses[cls], cls).toEqual(expect.objectContaining({ valid: t.valid, invalid: t.invalid, distinct: t.distinct }));
  }
}

describe('ingest against the generator ground truth', () => {
  const cases: [string, Omit<GenOptions, 'out'>][] = [
    ['standard.csv', { rows: 3000, seed: 1, format: 'csv', columns: 'standard' }],
    ['excel-fr.csv', { rows: 2000, seed: 2, format: 'csv', columns: 'standard', delimiter: ';', encoding: 'windows-1252' }],
    ['no-header.tsv', { rows: 2000, seed: 3, format: 'csv', columns: 'standard', delimiter: '\t', header: false }],
    ['utf16.csv', { rows: 1500, seed: 4, format: 'csv', columns: 'ants', encoding: 'utf16le' }],
    ['full.csv', { rows: 2500, seed: 5, format: 'csv', columns: 'full', malformedShare: 0.01 }],
    ['people.json', { rows: 2000, seed: 6, format: 'json', columns: 'standard' }],
    ['people.ndjson', { rows: 2000, seed: 7, format: 'ndjson', columns: 'ants', malformedShare: 0.01 }],
    ['gz.csv', { rows: 2000, seed: 8, format: 'csv', columns: 'standard', gzip: true }],
  ];
  for (const [name, opts] of cases) {
    it(`${name}: counts equal the ground truth, inline and on worker threads`, async () => {
      const { file, truth } = await make(name, opts);
      const inline = await ingest({ files: [file], breach: { name: 'Test' }, dryRun: true, workers: 0 });
      if (process.env['DEBUG_TRUTH'])
        // biome-ignore lint/suspicious/noConsole: opt-in (DEBUG_TRUTH=1) dump of a failing comparison
        console.log(
          name,
          JSON.stringify({
            r: inline.dataClasses,
            t: truth.dataClasses,
            rs: inline.skipped,
            ts: truth.malformed,
            rp: inline.people,
            tp: truth.people,
            cols: inline.tables.map((t) => t.columns),
          }),
        );
      expectMatchesTruth(inline, truth);
      const threaded = await ingest({ files: [file], breach: { name: 'Test' }, dryRun: true, workers: 2 });
      expect({ ...threaded, elapsedMs: 0, recordsPerSecond: 0 }).toEqual({ ...inline, elapsedMs: 0, recordsPerSecond: 0 });
    });
  }

  it('recognises every column the generator names', async () => {
    const { file, truth } = await make('cols.csv', { rows: 1500, seed: 9, format: 'csv', columns: 'full' });
    const report = await ingest({ files: [file], breach: { name: 'Test' }, dryRun: true, workers: 0 });
    const cols = report.tables[0]!.columns;
    for (const t of truth.columns) {
      expect(cols.find((c) => c.name === t.name)?.dataClass ?? null, t.name).toBe(t.dataClass);
    }
  });
});

describe('ingest failures', () => {
  it('fails cleanly past --max-skipped, naming the file and the first position', async () => {
    const { file } = await make('bad.ndjson', { rows: 2000, seed: 10, format: 'ndjson', malformedShare: 0.2 });
    const err = await ingest({ files: [file], breach: { name: 'T' }, dryRun: true, workers: 0, maxSkipped: { count: 10 } }).catch((e: unknown) => e);
    expect(isVigieError(err) && err.code).toBe('VIGIE_TOO_MANY_SKIPPED');
    expect((err as Error).message).toContain(file);
  });

  it('a share applies from the first record, with a floor of 10 skips (SKIP_FLOOR)', async () => {
    // 150 rows, 75 malformed: under the old rule (counted only past 100 skips) this was published.
    const { file, truth } = await make('half.csv', { rows: 150, seed: 5, format: 'csv', malformedShare: 75 / 130 });
    expect(truth.malformed).toBe(75);
    const err = await ingest({ files: [file], breach: { name: 'T' }, dryRun: true, workers: 0 }).catch((e: unknown) => e);
    expect(isVigieError(err) && err.code).toBe('VIGIE_TOO_MANY_SKIPPED');
    expect((err as Error).message).toContain('11 skipped');
    // 10 skips are always tolerated, even in a tiny file...
    const small = await make('few.csv', { rows: 40, seed: 5, format: 'csv', malformedShare: 0.5 });
    expect(small.truth.malformed).toBeLessThanOrEqual(SKIP_FLOOR);
    expect(small.truth.malformed).toBeGreaterThan(3);
    const report = await ingest({ files: [small.file], breach: { name: 'T' }, dryRun: true, workers: 0 });
    expect(report.skipped).toBe(small.truth.malformed);
    // ...and a count stays an absolute limit, without the floor.
    const strict = await ingest({ files: [small.file], breach: { name: 'T' }, dryRun: true, workers: 0, maxSkipped: { count: 2 } }).catch((e: unknown) => e);
    expect(isVigieError(strict) && strict.code).toBe('VIGIE_TOO_MANY_SKIPPED');
    expect((strict as Error).message).toContain('3 skipped; limit 2)');
  });

  it('names a missing file', async () => {
    const err = await ingest({ files: [join(dir, 'nope.csv')], breach: { name: 'T' }, dryRun: true, workers: 0 }).catch((e: unknown) => e);
    expect(isVigieError(err) && err.code).toBe('VIGIE_FILE_NOT_FOUND');
  });

  it('rejects binary garbage with the file name and no content', async () => {
    const file = join(dir, 'garbage.bin');
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 256;
    writeFileSync(file, bytes);
    const err = await ingest({ files: [file], breach: { name: 'T' }, dryRun: true, workers: 0 }).catch((e: unknown) => e);
    expect(isVigieError(err) && err.code).toBe('VIGIE_BAD_FORMAT');
    expect((err as Error).message).toContain('garbage.bin');
  });
});
