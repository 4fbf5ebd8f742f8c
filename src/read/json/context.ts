/**
 * State shared by the JSON readers, and the step they all use: cutting one value out of
 * the text with the resumable scanner, within the record-size limit.
 */
import { VigieError, type ErrorCode, type Position } from '../../errors.js';
import { DEFAULT_BATCH_SIZE, DEFAULT_MAX_RECORD_CHARS } from '../limits.js';
import type { Cursor } from './cursor.js';
import { MORE, TOO_DEEP, ValueScanner } from './scan.js';
import type { JsonTable } from './table.js';
import type { ReadEvent } from '../types.js';

export interface JsonContext {
  readonly cur: Cursor;
  readonly file: string;
  readonly batchSize: number;
  readonly maxRecordChars: number;
  readonly maxDepth: number;
  readonly scanner: ValueScanner;
  /** Events waiting to be yielded. */
  readonly out: ReadEvent[];
  /** The table being read, flushed before a fatal error so no read row is lost. */
  active: JsonTable | undefined;
  /** Buffer index where the last value read by `readValue` started (valid until the next fill). */
  valueStart: number;
  /** Line of that value when it was skipped over (its start left the buffer), else -1. */
  skippedLine: number;
}

/** `readValue` result: the value was longer than `maxRecordChars` and was skipped over. */
export const TOO_LONG = 1;
/** `readValue` result: the value nests deeper than `maxDepth`. */
export const NESTED_TOO_DEEP = 2;
/** `readValue` result: the value passed `rewindPast` characters; the cursor is back at its start. */
export const REWOUND = 3;

export function newContext(cur: Cursor, opts: { displayName: string; batchSize?: number; maxRecordChars?: number; maxDepth?: number }): JsonContext {
  return {
    cur,
    file: opts.displayName,
    batchSize: Math.max(1, opts.batchSize ?? DEFAULT_BATCH_SIZE),
    maxRecordChars: Math.max(1, opts.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS),
    maxDepth: Math.max(1, opts.maxDepth ?? 64),
    scanner: new ValueScanner(),
    out: [],
    active: undefined,
    valueStart: 0,
    skippedLine: -1,
  };
}

/** Yields and clears the pending events. */
export function* drain(out: ReadEvent[]): Generator<ReadEvent> {
  for (let i = 0; i < out.length; i++) yield out[i] as ReadEvent;
  out.length = 0;
}

/** A fatal error at a position; the message names the cause only, never the text. */
export function fail(ctx: JsonContext, code: ErrorCode, message: string, position: Omit<Position, 'file'>): VigieError {
  return new VigieError(code, message, { position: { file: ctx.file, ...position } });
}

/**
 * Reads the value starting at `cur.pos` (its first character is there), `depth` being the
 * number of containers around it. Returns its text, `TOO_LONG` (then skipped over, still
 * checking its nesting), `NESTED_TOO_DEEP` (the cursor is left at the value), or `REWOUND`
 * when it is longer than `rewindPast` (the cursor is put back at its start). Afterwards
 * `valueLine(ctx)` gives the line where the value started.
 */
export async function readValue(ctx: JsonContext, depth: number): Promise<string | typeof TOO_LONG | typeof NESTED_TOO_DEEP>;
export async function readValue(
  ctx: JsonContext,
  depth: number,
  rewindPast: number,
): Promise<string | typeof TOO_LONG | typeof NESTED_TOO_DEEP | typeof REWOUND>;
export async function readValue(
  ctx: JsonContext,
  depth: number,
  rewindPast = Number.POSITIVE_INFINITY,
): Promise<string | typeof TOO_LONG | typeof NESTED_TOO_DEEP | typeof REWOUND> {
  const { cur, scanner } = ctx;
  let start = cur.pos;
  let from = start;
  scanner.reset(cur.buf.charCodeAt(start), ctx.maxDepth - depth);
  cur.keep = start;
  ctx.skippedLine = -1;
  for (;;) {
    const r = scanner.scan(cur.buf, from, cur.buf.length);
    if (r - start > rewindPast || (r === MORE && cur.buf.length - start > rewindPast)) {
      // Still buffered from its start (`keep`): the caller reads it another way.
      cur.keep = Number.POSITIVE_INFINITY;
      cur.pos = start;
      return REWOUND;
    }
    if (r >= 0) {
      cur.keep = Number.POSITIVE_INFINITY;
      cur.pos = r;
      ctx.valueStart = start;
      // The same limit whether the value came in one chunk or in many.
      return r - start > ctx.maxRecordChars ? TOO_LONG : cur.buf.slice(start, r);
    }
    if (r === TOO_DEEP) {
      cur.keep = Number.POSITIVE_INFINITY;
      ctx.valueStart = start;
      return NESTED_TOO_DEEP;
    }
    if (cur.buf.length - start > ctx.maxRecordChars) return skipRest(ctx, start);
    from = cur.buf.length;
    const more = await cur.fill();
    start -= cur.lastDrop;
    from -= cur.lastDrop;
    if (!more) {
      cur.keep = Number.POSITIVE_INFINITY;
      ctx.valueStart = start;
      if (scanner.isScalar) {
        // A bare number or literal may end the input.
        cur.pos = cur.buf.length;
        return cur.buf.slice(start);
      }
      throw fail(ctx, 'VIGIE_TRUNCATED', 'JSON input ends inside a value', { line: valueLine(ctx) });
    }
  }
}

/** Scans past an over-long value without keeping it (memory stays bounded). */
async function skipRest(ctx: JsonContext, start: number): Promise<typeof TOO_LONG | typeof NESTED_TOO_DEEP> {
  const { cur, scanner } = ctx;
  const line = cur.lineAt(start);
  ctx.skippedLine = line;
  for (;;) {
    cur.discardAll();
    if (!(await cur.fill())) {
      if (scanner.isScalar) return TOO_LONG;
      throw fail(ctx, 'VIGIE_TRUNCATED', 'JSON input ends inside a value', { line });
    }
    const r = scanner.scan(cur.buf, 0, cur.buf.length);
    if (r === TOO_DEEP) return NESTED_TOO_DEEP;
    if (r >= 0) {
      cur.pos = r;
      return TOO_LONG;
    }
  }
}

/** Line where the value last read by `readValue` started. */
export function valueLine(ctx: JsonContext): number {
  return ctx.skippedLine >= 0 ? ctx.skippedLine : ctx.cur.lineAt(ctx.valueStart);
}
