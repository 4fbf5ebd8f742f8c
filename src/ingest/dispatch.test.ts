import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { VigieError } from '../errors.js';
import { generatePeople } from '../gen/index.js';
import type { Cell } from '../read/index.js';
import { recogniseTable, type ColumnSpec } from '../recognise/index.js';
import type { ReportTable } from '../report/index.js';
import type { DomainAlias } from '../store/index.js';
import { Dispatcher } from './dispatch.js';
import { PEOPLE, RecordProcessor, type BatchResult, type TableSpec } from './processor.js';
import { PseudonymSink } from './pseudonyms.js';
import { ImpactAccumulator } from './stats.js';

const people = [...generatePeople(3000, 21)];
/** A CRM export's rows: email, surname, phone. */
const rows: Cell[][] = people.map((p) => [p.email, p.lastName, p.phone]);
const columns: ColumnSpec[] = recogniseTable({ columns: ['email', 'nom', 'telephone'], sample: rows.slice(0, 1000), table: 'clients.csv' }).columns;

const report = (): ReportTable => ({ name: 'clients.csv', format: 'delimited', records: 0, skipped: 0, meta: {}, columns: [] });

/** A publication that records what it is asked; `failing` makes `ready` throw as a failed store write would. */
function outlet(failing?: Error) {
  const seen = { ready: 0, writes: [] as { pseudonyms: number; masks: number }[], aliases: [] as DomainAlias[] };
  return {
    seen,
    write: (pseudonyms: Uint8Array, masks: Uint32Array) => {
      seen.writes.push({ pseudonyms: pseudonyms.length, masks: masks.length });
      return Promise.resolve();
    },
    ready: () => {
      seen.ready++;
      return failing ? Promise.reject(failing) : Promise.resolve();
    },
    load: { writeAliases: (a: readonly DomainAlias[]) => void seen.aliases.push(...a) },
  };
}

/** Workers that are all busy (`free` false) or that process a batch with their own processor, answering when told. */
function workers(free: boolean) {
  const specs = new Map<number, RecordProcessor>();
  const seen = { sentHashes: 0, submitted: 0, answer: [] as (() => void)[] };
  return {
    seen,
    defineTable: (id: number, spec: TableSpec) => void specs.set(id, new RecordProcessor(spec)),
    hasFreeSlot: () => free,
    sendHashes: (_h: Uint32Array, _c: Uint8Array, n: number) => {
      seen.sentHashes += n;
    },
    submit: (id: number, batch: Cell[][]) => {
      seen.submitted++;
      const done = new Promise<BatchResult>((resolve) => seen.answer.push(() => resolve(specs.get(id)!.process(batch))));
      return Promise.resolve({ done });
    },
  };
}

describe('Dispatcher', () => {
  it('inline: every batch processed on this thread, merged into the figures and its table', async () => {
    const acc = new ImpactAccumulator();
    const d = new Dispatcher({ acc, pool: null, publication: null, domains: [] });
    const t = { specId: d.define(columns), report: report() };
    expect(t.specId).toBe(0);
    await d.dispatch(t, rows.slice(0, 1024));
    await d.dispatch(t, []);
    await d.dispatch(t, rows.slice(1024));
    expect(acc.records).toBe(3000);
    expect(t.report.records).toBe(3000);
    expect(acc.distinctOf(PEOPLE).size).toBe(3000);
    expect(acc.dataClasses()['Email addresses']).toEqual({ valid: 3000, invalid: 0, distinct: 3000 });
    await d.settle();
  });

  it('publishing: waits for the store before each batch, queues its pseudonyms and its verified domains’ aliases', async () => {
    const acc = new ImpactAccumulator();
    const publication = outlet();
    const domains = ['orange.fr'];
    const sink = new PseudonymSink(randomBytes(32), 'Crm', domains);
    const d = new Dispatcher({ acc, pool: null, publication, sink, domains });
    const t = { specId: d.define(columns), report: report() };
    await d.dispatch(t, rows.slice(0, 1000));
    await d.dispatch(t, rows.slice(1000));
    await d.dispatch(t, []);
    expect(publication.seen.ready).toBe(2);
    // One pseudonym per identifier: the email and the phone of every record.
    expect(publication.seen.writes).toEqual([
      { pseudonyms: 2000 * 16, masks: 2000 },
      { pseudonyms: 4000 * 16, masks: 4000 },
    ]);
    const orange = people.filter((p) => p.email.endsWith('@orange.fr')).length;
    expect(orange).toBeGreaterThan(0);
    expect(publication.seen.aliases).toHaveLength(orange);
    expect(new Set(publication.seen.aliases.map((a) => a.domain))).toEqual(new Set(['orange.fr']));
    expect(t.report.records).toBe(3000);
  });

  it('a failed store write stops the next batch before it is processed', async () => {
    const acc = new ImpactAccumulator();
    const failed = new VigieError('VIGIE_STORE', 'disk full');
    const d = new Dispatcher({ acc, pool: null, publication: outlet(failed), domains: [] });
    const t = { specId: d.define(columns), report: report() };
    await expect(d.dispatch(t, rows.slice(0, 10))).rejects.toBe(failed);
    expect(acc.records).toBe(0);
  });

  it('every worker busy: the main thread processes the batch and hands its hashes to the workers’ shards', async () => {
    const acc = new ImpactAccumulator();
    const pool = workers(false);
    const d = new Dispatcher({ acc, pool, publication: null, domains: [] });
    const t = { specId: d.define(columns), report: report() };
    await d.dispatch(t, rows);
    expect(pool.seen.submitted).toBe(0);
    expect(acc.records).toBe(3000);
    expect(t.report.records).toBe(3000);
    // The distinct hashes went to the shards, not into this thread's counters.
    expect(pool.seen.sentHashes).toBeGreaterThanOrEqual(3000);
    expect(acc.distinctOf(PEOPLE).size).toBe(0);
  });

  it('a free worker: the batch is submitted and accounted when its result comes back', async () => {
    const acc = new ImpactAccumulator();
    const pool = workers(true);
    const d = new Dispatcher({ acc, pool, publication: null, domains: [] });
    const t = { specId: d.define(columns), report: report() };
    await d.dispatch(t, rows.slice(0, 2000));
    await d.dispatch(t, rows.slice(2000));
    expect(pool.seen.submitted).toBe(2);
    expect(t.report.records).toBe(0);
    for (const answer of pool.seen.answer) answer();
    await d.settle();
    expect(acc.records).toBe(3000);
    expect(t.report.records).toBe(3000);
    expect(pool.seen.sentHashes).toBe(0);
  });

  it('the first failure of a later result is thrown at the next check and by settle; the others are still accounted', async () => {
    const acc = new ImpactAccumulator();
    const d = new Dispatcher({ acc, pool: null, publication: null, domains: [] });
    const t = { specId: d.define(columns), report: report() };
    const first = new VigieError('VIGIE_INTERNAL', 'worker exited');
    const worker = new RecordProcessor({ columns: columns.map((c) => ({ index: c.index, kind: c.kind, confidence: c.confidence })) });
    let fail!: (e: unknown) => void;
    d.later(
      t,
      new Promise<BatchResult>((_, reject) => {
        fail = reject;
      }),
    );
    d.later(t, Promise.resolve(worker.process(rows.slice(0, 500))));
    d.check(); // nothing has failed yet
    fail(first);
    d.later(t, Promise.reject(new Error('second failure')));
    await new Promise((r) => setImmediate(r));
    expect(() => d.check()).toThrow(first);
    await expect(d.settle()).rejects.toBe(first);
    expect(t.report.records).toBe(500);
    expect(acc.records).toBe(500);
  });

  it('specs are numbered in order, each with its own inline processor', () => {
    const d = new Dispatcher({ acc: new ImpactAccumulator(), pool: null, publication: null, domains: [] });
    expect([d.define(columns), d.define(columns.slice(0, 1))]).toEqual([0, 1]);
    expect(d.processor(1).process(rows.slice(0, 10)).records).toBe(10);
    expect(() => d.processor(2)).toThrow(/no processor for table spec 2/);
  });
});
