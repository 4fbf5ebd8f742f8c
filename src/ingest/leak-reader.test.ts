/**
 * The reading part of an ingest on its own: files read in order through a dispatcher and an
 * accumulator of their own, inline and on a worker, without planning, publishing or a report.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isVigieError } from '../errors.js';
import { writeDataset, type GroundTruth } from '../gen/index.js';
import type { ImpactReport } from '../report/index.js';
import { Dispatcher } from './dispatch.js';
import { LeakReader } from './leak-reader.js';
import { WorkerPool } from './pool.js';
import type { SkipLimit } from './skips.js';
import { counterLimits, ImpactAccumulator } from './stats.js';

const dir = mkdtempSync(join(tmpdir(), 'vigie-leak-reader-'));
const first = join(dir, 'clients-2024.csv');
const second = join(dir, 'clients-2025.csv');
let truths: GroundTruth[] = [];

beforeAll(async () => {
  truths = [
    await writeDataset({ out: first, rows: 3000, seed: 71, format: 'csv', columns: 'ants', delimiter: ';', malformedShare: 0.01 }),
    await writeDataset({ out: second, rows: 2000, seed: 72, format: 'csv', columns: 'ants', delimiter: ';', malformedShare: 0.01 }),
  ];
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type FileEntry = ImpactReport['files'][number];
const entry = (path: string): FileEntry => ({ path, bytes: statSync(path).size, records: 0, skipped: 0 });

/** Reads `paths` in order with a reader of its own; `workers` 0 reads inline. */
async function readAll(
  paths: string[],
  opts: { workers?: number; limit?: SkipLimit; clock?: () => number; progress?: { bytes: number; records: number }[] } = {},
) {
  const workers = opts.workers ?? 0;
  const limits = counterLimits(undefined, workers);
  const acc = new ImpactAccumulator(limits);
  const pool = workers > 0 ? new WorkerPool(workers, { key: null, scope: 'Lecture', domains: [], limits }) : null;
  const dispatcher = new Dispatcher({ acc, pool, publication: null, domains: [] });
  const files = paths.map(entry);
  const reader = new LeakReader({
    acc,
    dispatcher,
    workers: pool,
    limit: opts.limit ?? { share: 0.05 },
    sampleRows: 1000,
    clock: opts.clock ?? Date.now,
    totalBytes: files.reduce((n, f) => n + f.bytes, 0),
    onProgress: opts.progress ? (p) => opts.progress?.push({ bytes: p.bytes, records: p.records }) : undefined,
    blockBytes: 64 * 1024,
  });
  try {
    for (const f of files) await reader.read(f);
    await dispatcher.settle();
    if (pool) acc.setDistinct(await pool.distinctCounts());
  } finally {
    await pool?.close();
  }
  return { acc, files, reader };
}

describe('LeakReader', () => {
  it('reads files in order: one table each, their records and skips in their entries and in the counts', async () => {
    const { acc, files, reader } = await readAll([first, second]);
    expect(files.map((f) => [f.records, f.skipped])).toEqual(truths.map((t) => [t.rows, t.malformed]));
    expect(reader.tables.map((t) => [t.name, t.records, t.skipped])).toEqual([
      [first, truths[0]!.rows, truths[0]!.malformed],
      [second, truths[1]!.rows, truths[1]!.malformed],
    ]);
    expect(acc.records).toBe(truths[0]!.rows + truths[1]!.rows);
    expect(acc.skipped).toBe(truths[0]!.malformed + truths[1]!.malformed);
    expect([...acc.reasons.keys()]).toEqual(['field count']);
    // The first positions kept name the first file, with its line and record.
    expect(acc.reasons.get('field count')!.first[0]).toMatch(new RegExp(`^${first.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, line \\d+, record \\d+`));
    expect(reader.warnings).toEqual([]);
  });

  it('gives the same tables, records, skips and positions on a worker, parsing in blocks', async () => {
    const inline = await readAll([first, second]);
    const threaded = await readAll([first, second], { workers: 1 });
    expect(threaded.files).toEqual(inline.files);
    expect(threaded.reader.tables).toEqual(inline.reader.tables);
    expect(threaded.acc.records).toBe(inline.acc.records);
    expect(threaded.acc.reasons).toEqual(inline.acc.reasons);
    expect(threaded.acc.dataClasses()).toEqual(inline.acc.dataClasses());
  });

  it('holds skips against the records read across files: the limit trips in the second file', async () => {
    const limit = { count: truths[0]!.malformed + 2 };
    const err = await readAll([first, second], { limit }).catch((e: unknown) => e);
    expect(isVigieError(err) && err.code).toBe('VIGIE_TOO_MANY_SKIPPED');
    expect(isVigieError(err) && err.position?.file).toBe(second);
  });

  it('reports progress over all the files, at most every 100 ms of its clock', async () => {
    let now = 0;
    const progress: { bytes: number; records: number }[] = [];
    // Each reading of the clock moves it 60 ms: about every other callback is reported.
    await readAll([first, second], { clock: () => (now += 60), progress });
    expect(progress.length).toBeGreaterThan(1);
    const total = statSync(first).size + statSync(second).size;
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.bytes).toBeGreaterThanOrEqual(progress[i - 1]!.bytes);
    expect(progress.at(-1)!.bytes).toBeLessThanOrEqual(total);
    expect(progress.some((p) => p.bytes > statSync(first).size)).toBe(true);
  });
});
