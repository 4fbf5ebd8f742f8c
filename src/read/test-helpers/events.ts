/**
 * Test helpers for the readers (imported by tests only): a source's events, a reader's failure,
 * and the rows of each table by name.
 */
import { expect } from 'vitest';
import { VigieError } from '../../errors.js';
import { readSource, type SourceOptions } from '../index.js';
import type { Cell, ReadEvent, TextReader } from '../types.js';

/** Every event of a file read through the `read` door. */
export async function read(file: string, opts: Partial<SourceOptions> = {}): Promise<ReadEvent[]> {
  const out: ReadEvent[] = [];
  for await (const ev of readSource(file, { displayName: file, ...opts })) out.push(ev);
  return out;
}

/** The VigieError a promise rejects with (the test fails if it resolves, or rejects with anything else). */
export async function failure(p: Promise<unknown>): Promise<VigieError> {
  const err = await p.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(VigieError);
  return err as VigieError;
}

/** The rows of each table, header candidate first, by the table name's last `:` part: `{ sheet: rows }`. */
export function tables(events: ReadEvent[]): Record<string, Cell[][]> {
  const out: Record<string, Cell[][]> = {};
  let cur: Cell[][] = [];
  for (const ev of events) {
    if (ev.kind === 'table') {
      cur = ev.headerRow ? [ev.headerRow] : [];
      out[ev.name.slice(ev.name.lastIndexOf(':') + 1)] = cur;
    } else if (ev.kind === 'rows') cur.push(...ev.rows);
  }
  return out;
}

/** `text` in pieces of `size` characters, as a stream would cut it. */
async function* pieces(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

/**
 * A text reader's events over `text` cut in pieces of `size`, batches of 2, and its one table's
 * columns (as they stand at the end) and rows.
 */
export async function readText(
  reader: TextReader,
  displayName: string,
  text: string,
  size = text.length,
  maxRecordChars?: number,
): Promise<{ events: ReadEvent[]; columns: string[]; rows: Cell[][] }> {
  const events: ReadEvent[] = [];
  for await (const ev of reader(pieces(text, size), { displayName, batchSize: 2, ...(maxRecordChars ? { maxRecordChars } : {}) })) events.push(ev);
  const table = events.find((e) => e.kind === 'table');
  return { events, columns: table?.kind === 'table' ? table.columns : [], rows: events.flatMap((e) => (e.kind === 'rows' ? e.rows : [])) };
}
