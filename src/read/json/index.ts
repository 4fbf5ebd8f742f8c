/**
 * The JSON reader: one JSON array of records, a top-level object wrapping arrays of
 * records, or JSON Lines. The content decides which (the format hint only breaks ties).
 *
 * Nested objects and arrays are flattened to dotted paths (`contact.mail`, `phones[0]`);
 * strings are kept as they are, numbers and booleans as their JSON text, null as null.
 */
import { VigieError } from '../../errors.js';
import { Cursor } from './cursor.js';
import { drain, newContext, type JsonContext } from './context.js';
import { readDocument } from './doc.js';
import { readLines } from './lines.js';
import { MORE, TOO_DEEP } from './scan.js';
import type { ReadEvent, ReadOptions, TextReader } from '../types.js';

export { JsonTable } from './table.js';

/**
 * Reads JSON text as a stream of tables and rows (see `ReadEvent`).
 *
 * @example
 * for await (const ev of readJson(chunks, { displayName: 'fuite.json' })) {
 *   if (ev.kind === 'rows') console.log(ev.rows.length);
 * }
 */
export const readJson: TextReader = async function* readJson(text: AsyncIterable<string>, opts: ReadOptions): AsyncGenerator<ReadEvent> {
  const ctx = newContext(new Cursor(text), opts);
  try {
    const lines = await isJsonLines(ctx, opts.formatHint === 'ndjson');
    try {
      yield* lines ? readLines(ctx) : readDocument(ctx);
    } catch (err) {
      // Rows already read are delivered before the error, as the reader contract requires.
      ctx.active?.flush();
      yield* drain(ctx.out);
      throw err;
    }
  } finally {
    // Left early or failed: release the source (a file, a zip member) now, not at GC time.
    await ctx.cur.close();
  }
};

/**
 * Decides between JSON Lines and one document, without consuming anything. It is JSON
 * Lines when the first value ends on the first line and the next non-blank line opens an
 * object or an array (the rule `detectFormat` uses too); a
 * value that spans lines (pretty-printed) or fills the whole input is a document. A first
 * line that is over-long or too deep is ambiguous: the hint then decides.
 */
async function isJsonLines(ctx: JsonContext, hint: boolean): Promise<boolean> {
  const { cur, scanner } = ctx;
  const first = await cur.peek();
  if (first === -1) {
    throw new VigieError('VIGIE_EMPTY_FILE', 'JSON input holds no value', { position: { file: ctx.file } });
  }
  if (first !== 0x7b && first !== 0x5b) return hint;
  let start = cur.pos;
  cur.keep = start;
  try {
    scanner.reset(first, ctx.maxDepth);
    let from = start;
    for (;;) {
      const nl = cur.buf.indexOf('\n', from);
      const to = nl === -1 ? cur.buf.length : nl;
      const end = scanner.scan(cur.buf, from, to);
      // A single value is either: the hint decides (`.jsonl` names), else it is a document.
      if (end >= 0) return (await anotherLineFollows(ctx, end, false)) ?? hint;
      // Too deep: a document could not be read either, so lines are the better bet if any follow.
      if (end === TOO_DEEP) return hint || ((await anotherLineFollows(ctx, from, true)) ?? false);
      if (end === MORE && nl !== -1) return false;
      if (cur.buf.length - start > ctx.maxRecordChars) return hint;
      from = cur.buf.length;
      const more = await cur.fill();
      start -= cur.lastDrop;
      from -= cur.lastDrop;
      if (!more) return false;
    }
  } finally {
    cur.keep = Number.POSITIVE_INFINITY;
    cur.pos = start;
  }
}

/**
 * True when, after index `p`, the current line holds only blank space (or anything, with
 * `restOfLine`) and the next non-blank line opens an object or an array; undefined when
 * nothing follows at all. Looks no further than the record limit.
 */
async function anotherLineFollows(ctx: JsonContext, p: number, restOfLine: boolean): Promise<boolean | undefined> {
  const { cur } = ctx;
  let newline = false;
  for (;;) {
    const buf = cur.buf;
    while (p < buf.length) {
      const c = buf.charCodeAt(p);
      if (c === 0x0a) newline = true;
      else if (!newline && restOfLine) {
        // still on the first line: its content does not matter
      } else if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return newline && (c === 0x7b || c === 0x5b);
      p++;
    }
    if (p - cur.keep > ctx.maxRecordChars * 2) return newline;
    const more = await cur.fill();
    p -= cur.lastDrop;
    if (!more) return undefined;
  }
}
