/** Test helpers: feed text in chosen chunk sizes, gather the events per table. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Cell, ReadEvent, ReadOptions, TextReader } from '../../types.js';

/** A fixture of ../fixtures, as text. */
export function fixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)), 'utf8');
}

/** Deterministic pseudo-random generator (mulberry32), so a failing split can be replayed. */
export function prng(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Splits text into chunks of random sizes in [min, max], or whole when max is Infinity. */
export async function* chunked(text: string, min = 1, max = 7, seed = 1): AsyncGenerator<string> {
  if (max === Infinity) {
    yield text;
    return;
  }
  const rnd = prng(seed);
  for (let i = 0; i < text.length; ) {
    const n = min + Math.floor(rnd() * (max - min + 1));
    yield text.slice(i, i + n);
    i += n;
  }
}

export interface Collected {
  events: ReadEvent[];
  /** Tables in order of their events (a name may repeat). */
  tables: { name: string; columns: string[]; meta: Record<string, string>; rows: Cell[][]; skips: { reason: string; line?: number; record?: number }[] }[];
  /** Every row of every table event with that name, concatenated. */
  rowsOf(name: string): Cell[][];
}

export async function collect(reader: TextReader, chunks: AsyncIterable<string>, opts: Partial<ReadOptions> = {}): Promise<Collected> {
  const events: ReadEvent[] = [];
  const tables: Collected['tables'] = [];
  for await (const ev of reader(chunks, { displayName: 'dump.sql', ...opts })) {
    events.push(ev);
    if (ev.kind === 'table') tables.push({ name: ev.name, columns: ev.columns, meta: ev.meta, rows: [], skips: [] });
    else {
      const t = tables[tables.length - 1];
      if (t === undefined) throw new Error(`${ev.kind} event before any table event`);
      if (ev.kind === 'rows') {
        if (ev.firstRecord !== t.rows.length + t.skips.length + 1) throw new Error(`firstRecord ${ev.firstRecord} out of sequence`);
        t.rows.push(...ev.rows);
      } else t.skips.push({ reason: ev.reason, line: ev.position.line, record: ev.position.record });
    }
  }
  return {
    events,
    tables,
    rowsOf: (name) => tables.filter((t) => t.name === name).flatMap((t) => t.rows),
  };
}

/** Reads a string in one chunk. */
export function readAll(reader: TextReader, text: string, opts: Partial<ReadOptions> = {}): Promise<Collected> {
  return collect(reader, chunked(text, 0, Infinity), opts);
}
