/**
 * The memory budget of the distinct counters (issue 11, item 4): under a small `memory`, the
 * counts of a generated file become estimates within 3 standard errors of its ground truth,
 * and the report says so in every form (JSON fields, a warning, the text).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDataset, type GroundTruth } from '../gen/index.js';
import { renderImpactText, type ImpactReport } from '../report/index.js';
import { ingest } from './index.js';

const root = mkdtempSync(join(tmpdir(), 'vigie-budget-'));
const FILE = join(root, 'export.csv');
let truth: GroundTruth;

beforeAll(async () => {
  truth = await writeDataset({ out: FILE, rows: 20_000, seed: 4, format: 'csv', encoding: 'windows-1252', malformedShare: 0.01 });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function expectWithin(report: ImpactReport): void {
  const e = report.peopleStandardError ?? 0;
  expect(e).toBeGreaterThan(0);
  expect(Math.abs(report.people - truth.people)).toBeLessThanOrEqual(3 * e * truth.people);
  let estimated = 0;
  for (const [name, t] of Object.entries(truth.dataClasses)) {
    const c = report.dataClasses[name];
    expect(c, name).toBeDefined();
    const err = c?.distinctStandardError ?? 0;
    if (err === 0) {
      expect(c?.distinct, name).toBe(t.distinct);
      continue;
    }
    estimated++;
    expect(Math.abs((c?.distinct ?? 0) - t.distinct), name).toBeLessThanOrEqual(3 * err * t.distinct);
  }
  expect(estimated).toBeGreaterThanOrEqual(5);
  const w = report.warnings.filter((x) => x.code === 'estimated');
  expect(w).toHaveLength(1);
  expect(w[0]?.message).toMatch(/people, .*are estimates \(HyperLogLog, standard error 0\.81 %\).*memory budget/);
  const text = renderImpactText(report);
  expect(text).toMatch(/approximately [\d,]+ \(± [\d,]+\) people/);
  expect(text).toContain('WARNING [estimated]: distinct counts of people');
}

describe('the memory budget of the distinct counters', () => {
  it('the default budget counts a small file exactly, without a warning', async () => {
    const r = await ingest({ files: [FILE], breach: { name: 'Exact' }, dryRun: true, workers: 0 });
    expect(r.people).toBe(truth.people);
    expect(r.peopleStandardError).toBeUndefined();
    expect(r.warnings.filter((w) => w.code === 'estimated')).toEqual([]);
    for (const [name, t] of Object.entries(truth.dataClasses)) expect(r.dataClasses[name]?.distinct, name).toBe(t.distinct);
  });

  it('a small budget turns counts into estimates within 3 standard errors, and says so, inline and on workers', async () => {
    for (const workers of [0, 2]) {
      const r = await ingest({ files: [FILE], breach: { name: 'Small' }, dryRun: true, workers, memory: 4 * 1024 ** 2 });
      expect(r.records).toBe(truth.rows);
      expectWithin(r);
      // JSON carries the same fields.
      const json = JSON.parse(JSON.stringify(r)) as ImpactReport;
      expect(json.peopleStandardError).toBe(r.peopleStandardError);
    }
  });
});
