/**
 * Test helpers for the readers (imported by tests only): chunkers and event collection.
 */
import type { ReadEvent } from '../../types.js';

/** Splits `text` into chunks of pseudo-random sizes in [min, max], reproducibly from `seed`. */
export async function* randomChunks(text: string, seed: number, min = 1, max = 7): AsyncGenerator<string> {
  let s = seed >>> 0 || 1;
  let i = 0;
  while (i < text.length) {
    // xorshift32: a tiny deterministic generator, so a failing split can be replayed.
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    const n = min + (s % (max - min + 1));
    yield text.slice(i, i + n);
    i += n;
  }
}

/** The whole text as one chunk. */
export async function* oneChunk(text: string): AsyncGenerator<string> {
  yield text;
}

export interface Collected {
  events: ReadEvent[];
  /** Columns of each table event as they are at the end (they may grow after the event). */
  columns: string[][];
  error: (Error & { code?: string; position?: unknown }) | undefined;
}

/** Drains a reader; a thrown error is captured rather than rethrown. */
export async function collect(events: AsyncIterable<ReadEvent>): Promise<Collected> {
  const out: ReadEvent[] = [];
  let error: Collected['error'];
  try {
    for await (const ev of events) out.push(ev);
  } catch (err) {
    error = err as Collected['error'];
  }
  const columns = out.flatMap((ev) => (ev.kind === 'table' ? [ev.columns] : []));
  return { events: out, columns, error };
}

/** Rows of all `rows` events, in order. */
export function allRows(events: ReadEvent[]): (string | null)[][] {
  return events.flatMap((ev) => (ev.kind === 'rows' ? ev.rows : []));
}

/** Events with table columns copied as they end up, and the error's code and message: for comparing two readings. */
export function normalised(c: Collected): unknown {
  const events = c.events.map((ev) => (ev.kind === 'table' ? { ...ev, columns: [...ev.columns] } : ev));
  return { events, error: c.error ? { code: c.error.code, message: c.error.message } : undefined };
}
