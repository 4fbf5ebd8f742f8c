import { describe, expect, it } from 'vitest';
import { generatePeople } from '../gen/index.js';
import type { Cell, ReadEvent } from '../read/index.js';
import type { ColumnSpec } from '../recognise/index.js';
import { TableState } from './table.js';

type TableEvent = Extract<ReadEvent, { kind: 'table' }>;

/** Made-up people as a CSV export's rows: email, surname, phone written the French way. */
function rows(n: number, seed: number): Cell[][] {
  return [...generatePeople(n, seed)].map((p) => [p.email, p.lastName, p.phone.replace(/^\+33/, '0')]);
}

function csvTable(headerRow: Cell[]): TableEvent {
  return { kind: 'table', name: 'clients.csv', format: 'delimited', columns: ['column_1', 'column_2', 'column_3'], headerRow, meta: { delimiter: ';' } };
}

/** A TableState whose spec ids count from 7, and the columns of each definition. */
function table(event: TableEvent, sampleRows: number): { t: TableState; defined: ColumnSpec[][] } {
  const defined: ColumnSpec[][] = [];
  const t = new TableState(event, sampleRows, (columns) => {
    defined.push(columns);
    return 6 + defined.length;
  });
  return { t, defined };
}

const kinds = (columns: ColumnSpec[]): (string | null)[] => columns.map((c) => c.kind);

describe('TableState', () => {
  it('buffers rows until sampleRows, then recognises once and hands the sample on; the header is no data', () => {
    const { t, defined } = table(csvTable(['Email', 'Nom', 'Téléphone']), 250);
    expect(t.report).toEqual({ name: 'clients.csv', format: 'delimited', records: 0, skipped: 0, meta: { delimiter: ';' }, columns: [] });
    const data = rows(400, 3);
    expect(t.rows(data.slice(0, 100))).toEqual([]);
    expect(t.rows(data.slice(100, 200))).toEqual([]);
    expect(t.recognised).toBeNull();
    expect(t.specId).toBe(-1);
    expect(defined).toHaveLength(0);

    // The third batch fills the sample: all 300 rows come back, in order, the header not among them.
    const batches = t.rows(data.slice(200, 300));
    expect(batches.flat()).toEqual(data.slice(0, 300));
    expect(defined).toHaveLength(1);
    expect(kinds(defined[0]!)).toEqual(['email', 'lastName', 'phone']);
    expect(t.specId).toBe(7);
    expect(t.recognised).toBe(defined[0]);
    expect(t.report.columns.map((c) => [c.name, c.dataClass])).toEqual([
      ['Email', 'Email addresses'],
      ['Nom', 'Names'],
      ['Téléphone', 'Phone numbers'],
    ]);

    // After recognition a batch is passed on as it is, with the same spec.
    const next = data.slice(300);
    expect(t.rows(next)).toEqual([next]);
    expect(t.rows(next)[0]).toBe(next);
    expect(defined).toHaveLength(1);
    expect(t.end()).toEqual([]);
  });

  it('a table shorter than the sample is recognised at its end; a first row that is data comes first', () => {
    const data = rows(41, 4);
    const [first, ...rest] = data;
    const { t, defined } = table(csvTable(first!), 1000);
    expect(t.rows(rest)).toEqual([]);
    const batches = t.end();
    expect(batches).toEqual([data]);
    expect(kinds(defined[0]!)).toEqual(['email', 'lastName', 'phone']);
    // Without a header the names are the reader's.
    expect(t.report.columns.map((c) => c.name)).toEqual(['column_1', 'column_2', 'column_3']);
    expect(t.end()).toEqual([]);
  });

  it('hands a large sample on in batches of 1,024 rows', () => {
    const data = rows(2500, 5);
    const { t } = table(csvTable(['email', 'nom', 'tel']), 1000);
    const batches = t.rows(data);
    expect(batches.map((b) => b.length)).toEqual([1024, 1024, 452]);
    expect(batches.flat()).toEqual(data);
  });

  it('widens when a JSON source reveals new field paths: the known columns kept, the new ones recognised on the batch', () => {
    const people = [...generatePeople(300, 6)];
    const event: TableEvent = { kind: 'table', name: 'users.json', format: 'json', columns: ['email'], meta: {} };
    const { t, defined } = table(event, 100);
    const batches = t.rows(people.slice(0, 100).map((p) => [p.email]));
    expect(batches.flat()).toHaveLength(100);
    expect(kinds(defined[0]!)).toEqual(['email']);

    // The reader adds `contact.phone` to the same event's columns, then sends rows that have it.
    event.columns.push('contact.phone');
    const wide = people.slice(100).map((p) => [p.email, p.phone]);
    expect(t.rows(wide)).toEqual([wide]);
    expect(defined).toHaveLength(2);
    expect(defined[1]![0]).toBe(defined[0]![0]);
    expect(kinds(defined[1]!)).toEqual(['email', 'phone']);
    expect(t.specId).toBe(8);
    expect(t.report.columns.map((c) => [c.name, c.dataClass])).toEqual([
      ['email', 'Email addresses'],
      ['contact.phone', 'Phone numbers'],
    ]);
    // No new column, no new spec.
    expect(t.rows(wide)).toEqual([wide]);
    expect(defined).toHaveLength(2);
  });
});
