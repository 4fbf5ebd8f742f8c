/**
 * JSON documents: a top-level array of records, or a top-level object that wraps arrays
 * of records (`{"users":[...], "orders":[...]}`), read as a stream.
 *
 * The outer structure (the array, the wrapper objects) is walked token by token; each
 * record is cut out by the scanner and parsed by `JSON.parse`, so memory is bounded by the
 * largest record, never by the document. An array property whose first item is an object
 * or an array, or a long list of values, becomes a table named `file:path`; the wrapper's
 * other fields (at any depth) form one more record, in a table named after the file,
 * emitted last, except in an Elasticsearch `_search` response (a `hits.hits` table), where
 * they describe the search (`took`, `hits.total.value`) and each hit's `_source` is a record.
 *
 * An object keyed by record identifiers (a Firebase Realtime Database export, `{"users":
 * {"-NaB1xYz…": {...}, ...}}`; ids, UUIDs, ObjectIds, e-mails as keys) is a table too: its
 * first key looks like an identifier and its value is an object. Each property is a record,
 * its key in a `_key` column.
 *
 * phpMyAdmin's JSON export (`[{"type":"header",…,"comment":"Export to JSON plugin for
 * PHPMyAdmin"}, {"type":"database",…}, {"type":"table","name":…,"database":…,"data":[…]}, …]`)
 * is one table per `table` item, named `file:database.table`, its `data` the records.
 */
import type { Cell, ReadEvent } from '../types.js';
import { JsonTable } from './table.js';
import { NESTED_TOO_DEEP, REWOUND, TOO_LONG, drain, fail, readValue, valueLine, type JsonContext } from './context.js';

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;

/** Longest list of values kept as fields of the wrapper's record (`"tags": [...]`). */
const LIST_FIELD_CHARS = 4096;

/** The wrapper object's own fields, gathered into one record. */
interface Rest {
  table: JsonTable;
  row: Cell[];
  chars: number;
  failed: string | undefined;
  tables: number;
  /** An Elasticsearch `_search` response: its own fields (`took`, `hits.total`) are not a record. */
  search: boolean;
}

/** Reads one JSON document (array or object) from the cursor, then checks nothing follows. */
export async function* readDocument(ctx: JsonContext): AsyncGenerator<ReadEvent> {
  const { cur } = ctx;
  const c = await cur.peek();
  if (c === OPEN_BRACKET && (await isPhpMyAdmin(ctx))) {
    yield* walkPhpMyAdmin(ctx);
  } else if (c === OPEN_BRACKET) {
    const table = new JsonTable(ctx.out, ctx.file, 'json', { shape: 'array' }, ctx.batchSize, ctx.maxDepth);
    yield* walkTable(ctx, table, 1, undefined);
  } else if (c === OPEN_BRACE) {
    const rest: Rest = {
      table: new JsonTable(ctx.out, ctx.file, 'json', { shape: 'object' }, ctx.batchSize, ctx.maxDepth),
      row: [],
      chars: 0,
      failed: undefined,
      tables: 0,
      search: false,
    };
    yield* walkObject(ctx, rest, [], 1);
    finishRest(ctx, rest);
    yield* drain(ctx.out);
  } else {
    throw fail(ctx, 'VIGIE_SYNTAX', 'not a JSON array or object', { line: cur.lineAt(cur.pos) });
  }
  if ((await cur.peek()) !== -1) {
    throw fail(ctx, 'VIGIE_SYNTAX', 'unexpected data after the end of the JSON document', { line: cur.lineAt(cur.pos) });
  }
}

/** Reads an array whose items are the records of `table`; the cursor is on its `[`. */
async function* walkTable(ctx: JsonContext, table: JsonTable, depth: number, tablePath: string | undefined): AsyncGenerator<ReadEvent> {
  const { cur } = ctx;
  if (depth > ctx.maxDepth) throw tooDeep(ctx, cur.lineAt(cur.pos), tablePath, table.next);
  cur.pos++;
  ctx.active = table;
  let c = await cur.peek();
  if (c === CLOSE_BRACKET) cur.pos++;
  else {
    for (;;) {
      if (c === -1) throw truncated(ctx);
      const text = await readValue(ctx, depth);
      if (text === NESTED_TOO_DEEP) throw tooDeep(ctx, valueLine(ctx), tablePath, table.next);
      if (text === TOO_LONG) {
        table.skip('record too long', { file: ctx.file, line: valueLine(ctx), record: table.next, table: tablePath });
      } else {
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          // The SyntaxError text quotes the input: it is dropped, only the position is kept.
          throw fail(ctx, 'VIGIE_SYNTAX', 'invalid JSON in a record', {
            line: valueLine(ctx),
            record: table.next,
            table: tablePath,
          });
        }
        const added = table.add(value, text, depth);
        if (added !== 'ok') {
          table.skip(added, { file: ctx.file, line: valueLine(ctx), record: table.next, table: tablePath });
        }
      }
      if (ctx.out.length !== 0) yield* drain(ctx.out);
      if (!(await another(ctx, CLOSE_BRACKET, 'a record', tablePath, table.next))) break;
      c = await cur.peek();
    }
  }
  table.finish();
  ctx.active = undefined;
  yield* drain(ctx.out);
}

/** phpMyAdmin's header item, first in its JSON export. */
const PMA_HEADER = /^\[\s*\{\s*"type"\s*:\s*"header"\s*,[^{}[\]]*"comment"\s*:\s*"Export to JSON plugin for PHPMyAdmin"/;

/** Whether the array at the cursor opens with phpMyAdmin's header item. Consumes nothing. */
async function isPhpMyAdmin(ctx: JsonContext): Promise<boolean> {
  const { cur } = ctx;
  cur.keep = cur.pos;
  try {
    while (cur.buf.length - cur.pos < 512 && (await cur.fill()));
  } finally {
    cur.keep = Number.POSITIVE_INFINITY;
  }
  return PMA_HEADER.test(cur.buf.slice(cur.pos, cur.pos + 512));
}

/**
 * phpMyAdmin's export (the cursor on its `[`): items with their small fields read and kept,
 * and a `data` array read as the records of the table the item names.
 */
async function* walkPhpMyAdmin(ctx: JsonContext): AsyncGenerator<ReadEvent> {
  const { cur } = ctx;
  cur.pos++;
  let c = await cur.peek();
  if (c === CLOSE_BRACKET) {
    cur.pos++;
    return;
  }
  for (;;) {
    if (c !== OPEN_BRACE) throw syntax(ctx, "expected an object in phpMyAdmin's export", undefined, undefined);
    cur.pos++;
    const fields: Record<string, unknown> = {};
    c = await cur.peek();
    if (c === CLOSE_BRACE) cur.pos++;
    else
      for (;;) {
        if (c === -1) throw truncated(ctx);
        const key = await propertyName(ctx, undefined, undefined);
        c = await cur.peek();
        if (key === 'data' && c === OPEN_BRACKET) {
          const name = [fields['database'], fields['name']].filter((v) => typeof v === 'string' && v !== '').join('.') || 'data';
          const meta: Record<string, string> = { shape: 'phpMyAdmin', path: name };
          const table = new JsonTable(ctx.out, `${ctx.file}:${name}`, 'json', meta, ctx.batchSize, ctx.maxDepth);
          yield* walkTable(ctx, table, 3, name);
        } else {
          const text = await readValue(ctx, 2);
          if (text === NESTED_TOO_DEEP) throw tooDeep(ctx, valueLine(ctx), undefined, undefined);
          if (text === TOO_LONG) throw syntax(ctx, "a field of phpMyAdmin's export too long", undefined, undefined);
          try {
            fields[key] = JSON.parse(text);
          } catch {
            throw fail(ctx, 'VIGIE_SYNTAX', 'invalid JSON value', { line: valueLine(ctx) });
          }
        }
        if (!(await another(ctx, CLOSE_BRACE, 'a property'))) break;
        c = await cur.peek();
      }
    if (!(await another(ctx, CLOSE_BRACKET, 'an item'))) return;
    c = await cur.peek();
  }
}

/** Walks a wrapper object (the cursor is on its `{`), `path` being its key path. */
async function* walkObject(ctx: JsonContext, rest: Rest, path: string[], depth: number): AsyncGenerator<ReadEvent> {
  const { cur } = ctx;
  if (depth > ctx.maxDepth) throw tooDeep(ctx, cur.lineAt(cur.pos), undefined, undefined);
  cur.pos++;
  let c = await cur.peek();
  if (c === CLOSE_BRACE) {
    cur.pos++;
    return;
  }
  let first = true;
  for (;;) {
    if (c === -1) throw truncated(ctx);
    const key = await propertyName(ctx, undefined, undefined);
    c = await cur.peek();
    const childPath = [...path, key];
    if (c === -1) throw truncated(ctx);
    if (first && c === OPEN_BRACE && RECORD_ID.test(key)) {
      rest.tables++;
      yield* walkKeyed(ctx, path, depth, key);
      return;
    }
    first = false;
    if (c === OPEN_BRACE) {
      yield* walkObject(ctx, rest, childPath, depth + 1);
    } else if (c === OPEN_BRACKET) {
      if ((await startsTable(ctx)) || !(await readField(ctx, rest, childPath, depth))) {
        const name = childPath.join('.');
        rest.tables++;
        if (name === 'hits.hits') rest.search = true;
        const meta: Record<string, string> = { shape: 'object', path: name };
        const table = new JsonTable(ctx.out, `${ctx.file}:${name}`, 'json', meta, ctx.batchSize, ctx.maxDepth);
        yield* walkTable(ctx, table, depth + 1, name);
      }
    } else {
      await readField(ctx, rest, childPath, depth);
    }
    if (!(await another(ctx, CLOSE_BRACE, 'a property'))) return;
    c = await cur.peek();
  }
}

/**
 * Keys that name a record rather than a field: numbers, Firebase push ids, UUIDs, ObjectIds and
 * other ids of 16 characters or more mixing letters and digits (Firebase Auth uids), e-mails,
 * phones. A field name with a digit (`adresse2`, `stats2024`) is not one.
 */
const RECORD_ID =
  /^(?:\d{1,20}|-[0-9A-Za-z_-]{19}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,64}|(?=[^\d]*\d)(?=[^A-Za-z]*[A-Za-z])[A-Za-z0-9_-]{16,64}|[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{2,63}|\+?\d[\d .-]{7,20})$/i;

/** The column that holds a keyed record's key. */
const KEY_COLUMN = '_key';

/** A property's name and its colon; the cursor is then on the value. */
async function propertyName(ctx: JsonContext, table: string | undefined, record: number | undefined): Promise<string> {
  const { cur } = ctx;
  if ((await cur.peek()) !== QUOTE) throw syntax(ctx, 'expected a property name', table, record);
  const keyText = await readValue(ctx, 0);
  if (typeof keyText !== 'string') throw syntax(ctx, 'property name too long', table, record);
  const key = parseKey(ctx, keyText);
  if ((await cur.peek()) !== COLON) throw syntax(ctx, "expected ':' after a property name", table, record);
  cur.pos++;
  return key;
}

/**
 * The rest of an object keyed by record identifiers, from its first key (read, the cursor on
 * its value) to its closing brace: one record per property, its key in `_key`, its value's
 * fields beside it (a value that is not an object in a `value` column).
 */
async function* walkKeyed(ctx: JsonContext, path: string[], depth: number, firstKey: string): AsyncGenerator<ReadEvent> {
  const { cur } = ctx;
  const name = path.join('.');
  const meta: Record<string, string> = { shape: 'object', keyed: KEY_COLUMN, ...(name === '' ? {} : { path: name }) };
  const table = new JsonTable(ctx.out, name === '' ? ctx.file : `${ctx.file}:${name}`, 'json', meta, ctx.batchSize, ctx.maxDepth);
  const tablePath = name === '' ? undefined : name;
  ctx.active = table;
  let key = firstKey;
  for (;;) {
    if ((await cur.peek()) === -1) throw truncated(ctx);
    const line = cur.lineAt(cur.pos);
    const text = await readValue(ctx, depth);
    if (text === NESTED_TOO_DEEP) throw tooDeep(ctx, line, tablePath, table.next);
    const position = { file: ctx.file, line, record: table.next, table: tablePath };
    if (text === TOO_LONG) table.skip('record too long', position);
    else {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw fail(ctx, 'VIGIE_SYNTAX', 'invalid JSON in a record', { line, record: table.next, table: tablePath });
      }
      const row: Cell[] = [];
      const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
      let added = table.addField(row, [KEY_COLUMN], key, JSON.stringify(key), depth);
      if (added === 'ok') added = table.addField(row, isObject ? [] : ['value'], value, text, depth);
      if (added === 'ok') table.push(row);
      else table.skip(added, position);
    }
    if (ctx.out.length !== 0) yield* drain(ctx.out);
    if (!(await another(ctx, CLOSE_BRACE, 'a record', tablePath, table.next))) break;
    await cur.peek();
    key = await propertyName(ctx, tablePath, table.next);
  }
  table.finish();
  ctx.active = undefined;
  yield* drain(ctx.out);
}

/**
 * Reads a wrapper field that is not a table into the wrapper's own record. A list of
 * values longer than `LIST_FIELD_CHARS` (10,000 e-mails under `"emails"`) is not read:
 * false tells the caller to read it as a table of values instead.
 */
async function readField(ctx: JsonContext, rest: Rest, path: string[], depth: number): Promise<boolean> {
  const isList = ctx.cur.buf.charCodeAt(ctx.cur.pos) === OPEN_BRACKET;
  const text = await readValue(ctx, depth, isList ? LIST_FIELD_CHARS : Number.POSITIVE_INFINITY);
  if (text === REWOUND) return false;
  if (text === NESTED_TOO_DEEP) throw tooDeep(ctx, valueLine(ctx), undefined, undefined);
  if (text === TOO_LONG) {
    rest.failed ??= 'record too long';
    return true;
  }
  rest.chars += text.length;
  if (rest.chars > ctx.maxRecordChars) rest.failed ??= 'record too long';
  if (rest.failed !== undefined) return true;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw fail(ctx, 'VIGIE_SYNTAX', 'invalid JSON value', { line: valueLine(ctx) });
  }
  const added = rest.table.addField(rest.row, path, value, text, depth);
  if (added !== 'ok') rest.failed = added;
  return true;
}

/** Emits the wrapper's own record, if it has fields or if the document held no table. */
function finishRest(ctx: JsonContext, rest: Rest): void {
  if (rest.search) return;
  if (rest.failed !== undefined) {
    rest.table.skip(rest.failed, { file: ctx.file, record: rest.table.next });
    rest.table.finish();
  } else if (rest.row.length > 0) {
    rest.table.push(rest.row);
    rest.table.finish();
  } else if (rest.tables === 0) {
    rest.table.finish();
  }
}

/**
 * True when the array at the cursor holds records (its first item is an object or an
 * array); a list of scalars (`"phones": ["06…", "07…"]`) is a field instead. Consumes nothing.
 */
async function startsTable(ctx: JsonContext): Promise<boolean> {
  const { cur } = ctx;
  cur.keep = cur.pos;
  let p = cur.pos + 1;
  try {
    for (;;) {
      const buf = cur.buf;
      while (p < buf.length) {
        const c = buf.charCodeAt(p);
        if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) p++;
        else return c === OPEN_BRACE || c === OPEN_BRACKET;
      }
      // Blank space beyond the record limit: read it as a field, which will be skipped as too long.
      if (p - cur.pos > ctx.maxRecordChars) return false;
      const more = await cur.fill();
      p -= cur.lastDrop;
      if (!more) return false;
    }
  } finally {
    cur.keep = Number.POSITIVE_INFINITY;
  }
}

function parseKey(ctx: JsonContext, text: string): string {
  try {
    return JSON.parse(text) as string;
  } catch {
    throw fail(ctx, 'VIGIE_SYNTAX', 'invalid property name', { line: valueLine(ctx) });
  }
}

/**
 * After a value in an array or an object: true when a `,` follows (consumed: another value
 * comes), false at `close` (consumed); anything else is a cut or malformed document.
 */
async function another(ctx: JsonContext, close: number, what: string, table?: string, record?: number): Promise<boolean> {
  const { cur } = ctx;
  const c = await cur.peek();
  if (c === COMMA) {
    cur.pos++;
    return true;
  }
  if (c === close) {
    cur.pos++;
    return false;
  }
  if (c === -1) throw truncated(ctx);
  throw syntax(ctx, `expected ',' or '${String.fromCharCode(close)}' after ${what}`, table, record);
}

function tooDeep(ctx: JsonContext, line: number, table: string | undefined, record: number | undefined) {
  return fail(ctx, 'VIGIE_TOO_LARGE', `JSON nesting deeper than ${ctx.maxDepth} levels`, { line, table, record });
}

function truncated(ctx: JsonContext) {
  return fail(ctx, 'VIGIE_TRUNCATED', 'JSON document ends before it is closed', { line: ctx.cur.lineAt(ctx.cur.pos) });
}

function syntax(ctx: JsonContext, message: string, table: string | undefined, record: number | undefined) {
  return fail(ctx, 'VIGIE_SYNTAX', message, { line: ctx.cur.lineAt(ctx.cur.pos), table, record });
}
