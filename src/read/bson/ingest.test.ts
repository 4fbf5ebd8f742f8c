/**
 * The same generated people as `mongoexport`'s relaxed Extended JSON lines (the generator's
 * `ejson` format, written by the official `bson` library) and as `mongodump`'s `.bson`
 * (those lines re-encoded by pymongo's `bson` module, Debian's python3-bson), ingested end
 * to end: the two reports must be the same, and equal the generator's ground truth.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { writeDataset } from '../../gen/index.js';
import { ingest } from '../../ingest/index.js';
import { reportEssence } from '../../test-helpers/people.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./test-helpers/write-bson.py', import.meta.url));
const hasBson = spawnSync(PYTHON, ['-c', 'import bson; bson.encode; bson.ObjectId'], { stdio: 'ignore' }).status === 0;

const dir = mkdtempSync(join(tmpdir(), 'vigie-bson-ingest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (file: string) => ingest({ files: [file], breach: { name: 'Test' }, dryRun: true, workers: 0 });

describe.skipIf(!hasBson)('a mongodump .bson of generated people', () => {
  it('five hand-made clients (every common BSON type): each class counted once per value, the ObjectId and the rest nobody’s', async () => {
    const file = join(dir, 'clients-types.bson');
    execFileSync(PYTHON, [SCRIPT, 'people', file]);
    const r = await run(file);
    expect(r).toMatchObject({ records: 5, skipped: 0, people: 5 });
    const counts = Object.fromEntries(Object.entries(r.dataClasses).map(([k, v]) => [k, [v.valid, v.invalid]]));
    expect(counts).toEqual({
      'Email addresses': [5, 0],
      'Phone numbers': [10, 0],
      Names: [5, 0],
      'Dates of birth': [5, 0],
      'Physical addresses': [5, 0],
      'Social security numbers': [5, 0],
      'Account identifiers': [5, 0],
    });
    const cls = Object.fromEntries((r.tables[0]?.columns ?? []).map((c) => [c.name, c.dataClass]));
    expect(cls).toMatchObject({ _id: null, date_naissance: 'Dates of birth', nir: 'Social security numbers', 'telephones[1]': 'Phone numbers' });
  });

  it('reports exactly what the mongoexport lines of the same documents report, and the ground truth', async () => {
    const lines = join(dir, 'clients.json');
    const bson = join(dir, 'clients.bson');
    const truth = await writeDataset({ out: lines, rows: 3000, seed: 47, format: 'ejson', columns: 'full' });
    execFileSync(PYTHON, [SCRIPT, 'from-ejson', lines, bson]);
    const gz = `${bson}.gz`;
    execFileSync(PYTHON, [SCRIPT, 'gzip', bson, gz]);

    const fromJson = await run(lines);
    const fromBson = await run(bson);
    expect(fromBson.tables.map((t) => [t.name, t.format])).toEqual([[bson, 'bson']]);
    expect(reportEssence(fromBson)).toEqual(reportEssence(fromJson));
    expect(reportEssence(await run(gz))).toEqual(reportEssence(fromJson));

    expect(fromBson.records).toBe(truth.rows);
    expect(fromBson.skipped).toBe(0);
    expect(fromBson.people).toBe(truth.people);
    for (const [cls, t] of Object.entries(truth.dataClasses)) {
      if (t.valid === 0 && t.invalid === 0) continue;
      expect(fromBson.dataClasses[cls], cls).toEqual(expect.objectContaining({ valid: t.valid, invalid: t.invalid, distinct: t.distinct }));
    }
    expect(fromBson.dataClasses['Dates of birth']?.valid).toBeGreaterThan(truth.rows * 0.9);
  }, 120_000);
});
