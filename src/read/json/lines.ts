/**
 * JSON Lines / NDJSON (https://jsonlines.org/): one JSON value per line, blank lines
 * ignored. A bad line is skipped with its line number and reading goes on, since lines are
 * independent; an over-long line is skipped without being held in memory.
 *
 * JSON written through PostgreSQL's text `COPY` (`COPY (SELECT row_to_json(t) FROM t) TO …`, a
 * common way to export JSON from it) has every backslash doubled, so that a value's `\"` ends
 * its string too early: when a line of the first buffer is invalid as it is and valid with its
 * backslashes undoubled, and no line is valid only as it is, every line is read undoubled
 * (JSON text holds no control character, so `\\` is the only escape COPY writes in it).
 */
import type { ReadEvent } from '../types.js';
import { JsonTable } from './table.js';
import { drain, type JsonContext } from './context.js';

/** Reads the cursor's text as JSON Lines, from `cur.pos`, into one table named after the file. */
export async function* readLines(ctx: JsonContext): AsyncGenerator<ReadEvent> {
  const { cur, file, maxRecordChars } = ctx;
  const copy = copyEscaped(cur.buf.slice(cur.pos, cur.buf.lastIndexOf('\n') + 1));
  const meta: Record<string, string> = copy ? { shape: 'lines', escapes: 'postgres COPY text' } : { shape: 'lines' };
  const table = new JsonTable(ctx.out, file, 'ndjson', meta, ctx.batchSize, ctx.maxDepth);
  ctx.active = table;
  let line = cur.lineAt(cur.pos);
  const read = (text: string): void => readLine(ctx, table, copy ? undouble(text) : text, line);
  for (;;) {
    const nl = cur.buf.indexOf('\n', cur.pos);
    if (nl !== -1) {
      if (nl - cur.pos > maxRecordChars) skipLong(ctx, table, line);
      else read(cur.buf.slice(cur.pos, nl));
      cur.pos = nl + 1;
      line++;
      if (ctx.out.length !== 0) yield* drain(ctx.out);
      continue;
    }
    if (cur.buf.length - cur.pos > maxRecordChars) {
      // Over-long line: report it, then drop text until its end without keeping it.
      skipLong(ctx, table, line);
      yield* drain(ctx.out);
      let found = false;
      while (!found) {
        cur.discardAll();
        if (!(await cur.fill())) break;
        const end = cur.buf.indexOf('\n');
        if (end !== -1) {
          cur.pos = end + 1;
          line++;
          found = true;
        }
      }
      if (!found) break;
      continue;
    }
    if (!(await cur.fill())) {
      if (cur.pos < cur.buf.length) read(cur.buf.slice(cur.pos));
      cur.pos = cur.buf.length;
      break;
    }
  }
  table.finish();
  ctx.active = undefined;
  yield* drain(ctx.out);
}

function readLine(ctx: JsonContext, table: JsonTable, text: string, line: number): void {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    if (isBlank(text)) return;
    // The SyntaxError message quotes the input: keep only the position.
    table.skip('invalid JSON', { file: ctx.file, line, record: table.next });
    return;
  }
  const added = table.add(value, text, 0);
  if (added !== 'ok') table.skip(added, { file: ctx.file, line, record: table.next });
}

const DOUBLED = /\\\\/g;

function undouble(text: string): string {
  return text.includes('\\') ? text.replace(DOUBLED, '\\') : text;
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Whether whole lines of JSON text (`sample`) were written through a text `COPY` (see above). */
function copyEscaped(sample: string): boolean {
  let fixed = 0;
  for (let i = sample.indexOf('\\\\'); i !== -1 && fixed < 16; ) {
    const start = sample.lastIndexOf('\n', i) + 1;
    const end = sample.indexOf('\n', i);
    const text = sample.slice(start, end);
    const plain = parses(text);
    const undoubled = parses(undouble(text));
    if (plain && !undoubled) return false;
    if (!plain && undoubled) fixed++;
    i = sample.indexOf('\\\\', end);
  }
  return fixed > 0;
}

function skipLong(ctx: JsonContext, table: JsonTable, line: number): void {
  table.skip('record too long', { file: ctx.file, line, record: table.next });
}

function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0xfeff) return false;
  }
  return true;
}
