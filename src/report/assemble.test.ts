import { describe, expect, it } from 'vitest';
import { assembleReport } from './assemble.js';
import { renderImpactText } from './impact.js';
import type { ReportWarning } from './impact.js';

const MIB = 1024 * 1024;

/** What an ingest of two exports of 12,000 records, 37 of them malformed, would hand over. */
function facts(over: Partial<Parameters<typeof assembleReport>[0]> = {}): Parameters<typeof assembleReport>[0] {
  return {
    breach: { name: 'Crm', title: 'CRM Exemple (clients)', date: '2025-10-01' },
    dryRun: true,
    files: [
      { path: 'clients-2024.csv', bytes: 1_204_331, records: 8_000, skipped: 25 },
      { path: 'clients-2025.ndjson', bytes: 902_118, records: 4_000, skipped: 12 },
    ],
    warnings: [{ code: 'truncated', file: 'clients-2025.ndjson', message: '1 record(s) cut short: the file or a statement ends inside a record' }],
    tables: [
      { name: 'clients-2024.csv', format: 'delimited', records: 8_000, skipped: 25, meta: { delimiter: ';' }, columns: [] },
      { name: 'clients-2025.ndjson', format: 'ndjson', records: 4_000, skipped: 12, meta: {}, columns: [] },
    ],
    records: 12_000,
    skipped: 37,
    reasons: new Map([
      ['field count', { count: 36, first: ['clients-2024.csv, line 12, record 11'] }],
      ['truncated', { count: 1, first: ['clients-2025.ndjson, line 4001'] }],
    ]),
    people: { size: 11_410, error: 0 },
    unidentified: 52,
    dataClasses: {
      'Email addresses': { valid: 11_950, invalid: 50, distinct: 11_400 },
      'Phone numbers': { valid: 9_800, invalid: 200, distinct: 9_700 },
    },
    elapsedMs: 250,
    counters: { bytes: 512 * MIB, threads: 1, memory: 1024 * MIB },
    committed: null,
    alreadyIngested: 0,
    ...over,
  };
}

describe('assembleReport', () => {
  it('a dry run with exact counts: the figures as given, in the report’s key order, no estimate, nothing published', () => {
    const given = facts();
    const r = assembleReport(given);
    expect(Object.keys(r)).toEqual([
      'breach',
      'title',
      'breachDate',
      'domain',
      'description',
      'isSensitive',
      'dryRun',
      'files',
      'warnings',
      'records',
      'skipped',
      'skippedReasons',
      'people',
      'unidentified',
      'dataClasses',
      'tables',
      'elapsedMs',
      'recordsPerSecond',
    ]);
    expect(r).toMatchObject({
      breach: 'Crm',
      title: 'CRM Exemple (clients)',
      breachDate: '2025-10-01',
      domain: null,
      description: null,
      isSensitive: false,
      dryRun: true,
      records: 12_000,
      skipped: 37,
      people: 11_410,
      unidentified: 52,
      elapsedMs: 250,
      recordsPerSecond: 48_000,
    });
    expect(r.files).toBe(given.files);
    expect(r.tables).toBe(given.tables);
    expect(r.warnings).toEqual(given.warnings);
    expect(r.skippedReasons).toEqual({
      'field count': { count: 36, first: ['clients-2024.csv, line 12, record 11'] },
      truncated: { count: 1, first: ['clients-2025.ndjson, line 4001'] },
    });
    expect(r.peopleStandardError).toBeUndefined();
    expect(r.published).toBeUndefined();
  });

  it('a breach without a title is titled by its name; its flags carried', () => {
    const r = assembleReport(facts({ breach: { name: 'Acme', domain: 'acme.fr', description: 'Export CRM', sensitive: true } }));
    expect(r).toMatchObject({ breach: 'Acme', title: 'Acme', breachDate: null, domain: 'acme.fr', description: 'Export CRM', isSensitive: true });
  });

  it('estimated counts: the people’s error and one warning naming them, after the files’ warnings', () => {
    const given = facts({
      people: { size: 2_001_337, error: 0.0081 },
      dataClasses: {
        'Email addresses': { valid: 2_100_000, invalid: 50, distinct: 1_998_000, distinctStandardError: 0.0081 },
        'Phone numbers': { valid: 9_800, invalid: 200, distinct: 9_700 },
      },
    });
    const fileWarnings: ReportWarning[] = [...given.warnings];
    const r = assembleReport(given);
    expect(Object.keys(r).slice(-1)).toEqual(['peopleStandardError']);
    expect(r.peopleStandardError).toBe(0.0081);
    expect(r.warnings).toEqual([
      ...fileWarnings,
      {
        code: 'estimated',
        file: '',
        message:
          'distinct counts of people, Email addresses are estimates (HyperLogLog, standard error 0.81 %), not exact: ' +
          "their exact sets outgrew the distinct counters' share of the memory budget (512 MiB of 1024 MiB, --memory); a larger --memory keeps them exact",
      },
    ]);
    // The facts handed over are left as they were.
    expect(given.warnings).toEqual(fileWarnings);
    expect(renderImpactText(r)).toContain('approximately 2,001,337 (± 16,211) people');
  });

  it('an estimate on several counting threads says so, in MiB to a tenth under 10 MiB', () => {
    const r = assembleReport(
      facts({
        dataClasses: { 'Phone numbers': { valid: 9_800, invalid: 200, distinct: 9_700, distinctStandardError: 0.0115 } },
        counters: { bytes: 3.5 * MIB, threads: 2, memory: 8 * MIB },
      }),
    );
    expect(r.peopleStandardError).toBeUndefined();
    expect(r.warnings.at(-1)?.message).toBe(
      'distinct counts of Phone numbers are estimates (HyperLogLog, standard error 1.15 %), not exact: ' +
        "their exact sets outgrew the distinct counters' share of the memory budget (3.5 MiB per counting thread, 2 threads of 8.0 MiB, --memory); a larger --memory keeps them exact",
    );
  });

  it('published: what the store now holds, with the known files skipped', () => {
    const r = assembleReport(
      facts({
        dryRun: false,
        committed: { changed: true, inserted: 21_110, entry: { breach: { PwnCount: 15_020 }, stats: { identifiers: 30_400 } } },
        alreadyIngested: 1,
      }),
    );
    expect(Object.keys(r).slice(-1)).toEqual(['published']);
    expect(r.published).toEqual({ changed: true, inserted: 21_110, identifiers: 30_400, pwnCount: 15_020, alreadyIngested: 1 });
    expect(renderImpactText(r)).toContain(
      'Published: 21,110 new pseudonyms; the leak now holds 30,400 identifiers, 15,020 people (1 file(s) already in it, skipped)',
    );
  });

  it('published with an estimated people count: its error; nothing changed: said so', () => {
    const estimated = assembleReport(
      facts({
        dryRun: false,
        committed: { changed: true, inserted: 5, entry: { breach: { PwnCount: 3_000_000 }, stats: { identifiers: 6_000_000, peopleStandardError: 0.0081 } } },
      }),
    );
    expect(estimated.published).toEqual({
      changed: true,
      inserted: 5,
      identifiers: 6_000_000,
      pwnCount: 3_000_000,
      pwnCountStandardError: 0.0081,
      alreadyIngested: 0,
    });
    const unchanged = assembleReport(
      facts({
        dryRun: false,
        files: [{ path: 'clients-2024.csv', bytes: 1_204_331, records: 0, skipped: 0 }],
        warnings: [],
        tables: [],
        records: 0,
        skipped: 0,
        reasons: new Map(),
        people: { size: 0, error: 0 },
        unidentified: 0,
        dataClasses: {},
        elapsedMs: 1,
        committed: { changed: false, inserted: 0, entry: { breach: { PwnCount: 11_410 }, stats: { identifiers: 21_100 } } },
        alreadyIngested: 1,
      }),
    );
    expect(unchanged.published).toEqual({ changed: false, inserted: 0, identifiers: 21_100, pwnCount: 11_410, alreadyIngested: 1 });
    expect(unchanged.recordsPerSecond).toBe(0);
    expect(renderImpactText(unchanged)).toMatch(/^Leak Crm: nothing new/);
  });
});
