/**
 * Document stores' exports of generated people, ingested and compared with the generator's
 * ground truth.
 *
 * MongoDB: neither `mongoexport` nor Python's `bson.json_util` (pymongo) is installed here,
 * so the Extended JSON is written by the official MongoDB library for JavaScript, the `bson`
 * package's `EJSON.stringify` (`vigie gen --format ejson | ejson-canonical`), relaxed and
 * canonical: the same writer the drivers and `mongosh` use. `--jsonArray` is those documents
 * joined in one array, as mongoexport joins them.
 *
 * Elasticsearch: elasticdump and a server are not installed either; its two shapes are built
 * here around the generator's JSON documents exactly as the tools write them (elasticdump's
 * `{"_index", "_type", "_id", "_score", "_source"}` per line, a `_search` response's
 * `{"took", "timed_out", "_shards", "hits": {"total", "max_score", "hits": [...]}}`).
 *
 * pandas (not installed either): `DataFrame.to_json(orient="records")` writes datetimes as
 * epoch milliseconds by default (`date_unit="ms"`); the test writes what it writes, and
 * unparseable dates as the `null` pandas writes for `NaT`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeDataset, type GroundTruth } from '../gen/index.js';
import type { ImpactReport } from '../report/index.js';
import { ingest } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'vigie-docstores-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ROWS = 1500;
const run = (file: string) => ingest({ files: [file], breach: { name: 'Documents' }, dryRun: true, workers: 0 });

function expectTruth(r: ImpactReport, truth: GroundTruth, except: string[] = []): void {
  expect(r.records).toBe(truth.rows);
  expect(r.skipped).toBe(0);
  expect(r.people).toBe(truth.people);
  for (const [cls, t] of Object.entries(truth.dataClasses)) {
    if ((t.valid === 0 && t.invalid === 0) || except.includes(cls)) continue;
    expect(r.dataClasses[cls], cls).toEqual(expect.objectContaining({ valid: t.valid, invalid: t.invalid, distinct: t.distinct }));
  }
  // No class the people do not hold (the `_id`, an ObjectId, is nobody's identifier).
  expect(Object.keys(r.dataClasses).sort()).toEqual(
    Object.entries(truth.dataClasses)
      .filter(([, t]) => t.valid + t.invalid > 0)
      .map(([c]) => c)
      .sort(),
  );
}

describe('MongoDB Extended JSON (mongoexport)', () => {
  for (const format of ['ejson', 'ejson-canonical'] as const) {
    it(`${format}: one document per line, birth dates as $date, counts equal the ground truth`, async () => {
      const file = join(dir, `${format}.json`);
      const truth = await writeDataset({ out: file, rows: ROWS, seed: 41, format, columns: 'full' });
      const text = readFileSync(file, 'utf8');
      expect(text).toMatch(/^\{"_id":\{"\$oid":"[0-9a-f]{24}"\}/);
      // Relaxed writes dates from 1970 on as ISO strings and earlier ones as $numberLong; canonical always $numberLong.
      if (format === 'ejson') expect(text).toMatch(/"date_naissance":\{"\$date":"\d{4}-\d\d-\d\dT00:00:00Z"\}/);
      expect(text).toMatch(/"date_naissance":\{"\$date":\{"\$numberLong":"-?\d+"\}\}/);
      const r = await run(file);
      expectTruth(r, truth);
      expect(r.dataClasses['Dates of birth']!.valid).toBeGreaterThan(ROWS * 0.9);
      expect(r.tables[0]!.columns.map((c) => c.name)).not.toContain('date_naissance.$date');
    });
  }

  it('--jsonArray: the same documents in one array', async () => {
    const lines = join(dir, 'array-src.json');
    const truth = await writeDataset({ out: lines, rows: ROWS, seed: 42, format: 'ejson-canonical', columns: 'ants' });
    const file = join(dir, 'array.json');
    writeFileSync(file, `[${readFileSync(lines, 'utf8').trim().split('\n').join(',')}]`);
    expectTruth(await run(file), truth);
  });
});

/** The generator's people as plain JSON documents (its `json` format), and their truth. */
async function documents(seed: number): Promise<{ docs: Record<string, unknown>[]; truth: GroundTruth }> {
  const file = join(dir, `docs-${seed}.json`);
  const truth = await writeDataset({ out: file, rows: ROWS, seed, format: 'json', columns: 'standard', dateFormat: 'AAAA-MM-JJ' });
  return { docs: JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>[], truth };
}

const hit = (doc: unknown, i: number) => ({ _index: 'clients-2026', _type: '_doc', _id: `k${i.toString(36)}Zx9`, _score: 1, _source: doc });

describe('Elasticsearch exports', () => {
  it("elasticdump's lines: each _source is a record, the hit's fields are not", async () => {
    const { docs, truth } = await documents(43);
    const file = join(dir, 'elasticdump.json');
    writeFileSync(file, docs.map((d, i) => `${JSON.stringify(hit(d, i))}\n`).join(''));
    const r = await run(file);
    expectTruth(r, truth);
    expect(r.tables).toHaveLength(1);
    expect(r.tables[0]!.meta).toEqual(expect.objectContaining({ documents: '_source' }));
    expect(r.tables[0]!.columns.map((c) => c.name)).toEqual(truth.columns.map((c) => c.name));
  });

  it('a _search response: hits.hits[]._source are the records; took and hits.total are not a table', async () => {
    const { docs, truth } = await documents(44);
    const file = join(dir, 'search.json');
    const response = {
      took: 12,
      timed_out: false,
      _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
      hits: { total: { value: docs.length, relation: 'eq' }, max_score: 1, hits: docs.map(hit) },
    };
    writeFileSync(file, JSON.stringify(response, null, 2));
    const r = await run(file);
    expectTruth(r, truth);
    expect(r.tables.map((t) => t.name)).toEqual([`${file}:hits.hits`]);
  });
});

describe('epoch dates in a birth date column', () => {
  const toEpoch = (docs: Record<string, unknown>[], perSecond: 1 | 1000) =>
    docs.map((d) => {
      // Duplicates may be written day first: pandas would have been told the format.
      const w = d['date_naissance'] as string | null;
      const v = w?.replace(/^(\d\d)[/-](\d\d)[/-](\d{4})$/, '$3-$2-$1') ?? null;
      const ms = v === null ? Number.NaN : Date.parse(`${v}T00:00:00Z`);
      // pandas: NaT (an impossible date, `1990-02-31`, which Date.parse would roll over) is written null.
      const real = !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(v as string);
      return { ...d, date_naissance: real ? (ms / 1000) * perSecond : null };
    });

  for (const [perSecond, name] of [
    [1000, 'pandas to_json (milliseconds)'],
    [1, 'seconds'],
  ] as const) {
    it(`${name}: dates of birth count as the people's`, async () => {
      const { docs, truth } = await documents(45);
      const file = join(dir, `epoch-${perSecond}.json`);
      const epoch = toEpoch(docs, perSecond);
      expect(epoch.some((d) => typeof d.date_naissance === 'number' && (d.date_naissance as number) < 0)).toBe(true);
      writeFileSync(file, JSON.stringify(epoch));
      const r = await run(file);
      expectTruth(r, truth, ['Dates of birth']);
      const dob = truth.dataClasses['Dates of birth']!;
      expect(r.dataClasses['Dates of birth']).toEqual(expect.objectContaining({ valid: dob.valid, invalid: 0, distinct: dob.distinct }));
    });
  }

  it('an epoch number under a header that names no birth date is no date of birth', async () => {
    const { docs } = await documents(46);
    const file = join(dir, 'epoch-other.json');
    writeFileSync(file, JSON.stringify(docs.map((d, i) => ({ email: (d['contact'] as { email: string }).email, montant: 479606400000 + i * 997 }))));
    const r = await run(file);
    expect(Object.keys(r.dataClasses)).toEqual(['Email addresses']);
  });
});
