/**
 * Parquet values as cells: the text DuckDB writes for the same table exported as CSV, in the
 * project's conventions where they differ (numbers as JavaScript prints them, as the JSON and
 * BSON readers do). Each formatter takes a leaf column's physical value as hyparquet decodes
 * it with the column's annotations removed (`boolean`, `number`, `bigint`, `Uint8Array`) and
 * returns its text; a string (a dictionary entry already formatted, an INT96 timestamp) is
 * returned as it is, so formatting twice changes nothing.
 */
import { isUtf8 } from 'node:buffer';
import type { ParquetParsers, SchemaElement } from 'hyparquet';
import type { Cell } from '../types.js';

/** A leaf column's formatter: physical value in, cell out (null for a missing value). */
export type CellFormat = (v: unknown) => Cell;

const utf8 = new TextDecoder('utf-8');

/** Text as stored: UTF-8, an invalid sequence becoming U+FFFD (as the BSON reader does). */
function text(v: Uint8Array): string {
  return utf8.decode(v);
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, '0'));

/** Bytes as `0x` and upper-case hex, as `mysqldump --hex-blob` writes them (the mysqlxml reader keeps that). */
function hexBlob(v: Uint8Array): string {
  let s = '0x';
  for (let i = 0; i < v.length; i++) s += HEX[v[i] as number];
  return s;
}

/**
 * A binary value: its text when it is valid UTF-8 without control characters but tab, line
 * feed and carriage return (a BLOB that holds text, as most BLOBs of leaked tables do), else
 * hex; the empty value is the empty string.
 */
function blob(v: Uint8Array): string {
  if (v.length === 0) return '';
  if (!isUtf8(v)) return hexBlob(v);
  for (let i = 0; i < v.length; i++) {
    const c = v[i] as number;
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return hexBlob(v);
  }
  return text(v);
}

/** A double as JavaScript prints it: the shortest text that reads back to it (`0.1`, `1e+21`, `NaN`). */
function double(v: number): string {
  return String(v);
}

/** A FLOAT (32-bit) as the shortest text that reads back to the same float: `0.1`, not `0.10000000149011612`. */
export function float32(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  for (let p = 1; p < 9; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === v) return String(Number(s));
  }
  return String(v);
}

/** An unscaled integer with `scale` digits after the point, every digit kept: `-1234, 2` → `-12.34`, `5, 3` → `0.005`. */
export function decimalText(unscaled: bigint, scale: number): string {
  if (scale <= 0) return (scale === 0 ? unscaled : unscaled * 10n ** BigInt(-scale)).toString();
  const neg = unscaled < 0n;
  const digits = (neg ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const cut = digits.length - scale;
  return `${neg ? '-' : ''}${digits.slice(0, cut)}.${digits.slice(cut)}`;
}

/** A big-endian two's complement integer of any length (a FIXED_LEN_BYTE_ARRAY or BYTE_ARRAY decimal). */
function bigEndian(v: Uint8Array): bigint {
  if (v.length === 0) return 0n;
  let x = 0n;
  for (let i = 0; i < v.length; i++) x = (x << 8n) | BigInt(v[i] as number);
  return (v[0] as number) & 0x80 ? x - (1n << BigInt(v.length * 8)) : x;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** A day number since 1970-01-01 as `YYYY-MM-DD`; years before 1 as DuckDB writes them (`0044-03-15 (BC)`). */
export function dateText(days: number): string {
  // H. Hinnant, "chrono-Compatible Low-Level Date Algorithms", civil_from_days.
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  const md = `-${pad2(m)}-${pad2(d)}`;
  return y >= 1 ? `${String(y).padStart(4, '0')}${md}` : `${String(1 - y).padStart(4, '0')}${md} (BC)`;
}

const UNITS = { MILLIS: 1000n, MICROS: 1000000n, NANOS: 1000000000n } as const;
type Unit = keyof typeof UNITS;
const DIGITS: Record<Unit, number> = { MILLIS: 3, MICROS: 6, NANOS: 9 };

/** `HH:MM:SS` and the fraction of a second without its trailing zeros (`.25`), from a count of `unit` within a day (or more). */
function clock(t: bigint, unit: Unit): string {
  const per = UNITS[unit];
  const secs = t / per;
  const frac = t % per;
  const h = Number(secs / 3600n);
  const m = Number((secs / 60n) % 60n);
  const s = Number(secs % 60n);
  let out = `${pad2(h)}:${pad2(m)}:${pad2(s)}`;
  if (frac !== 0n) out += `.${frac.toString().padStart(DIGITS[unit], '0').replace(/0+$/, '')}`;
  return out;
}

/** An instant counted in `unit` since 1970-01-01 00:00:00 as `YYYY-MM-DD HH:MM:SS[.fff]`, as DuckDB writes a TIMESTAMP. */
export function timestampText(t: bigint, unit: Unit): string {
  const perDay = UNITS[unit] * 86400n;
  let days = t / perDay;
  let rest = t % perDay;
  if (rest < 0n) {
    rest += perDay;
    days -= 1n;
  }
  return `${dateText(Number(days))} ${clock(rest, unit)}`;
}

/** INTERVAL (months, days, milliseconds, each an unsigned 32-bit little-endian) as DuckDB writes it: `1 year 2 months 3 days 04:05:06`. */
function intervalText(v: Uint8Array): string {
  if (v.length !== 12) return hexBlob(v);
  const dv = new DataView(v.buffer, v.byteOffset, 12);
  const months = dv.getUint32(0, true);
  const days = dv.getUint32(4, true);
  const ms = dv.getUint32(8, true);
  const parts: string[] = [];
  const unit = (n: number, word: string): void => {
    if (n !== 0) parts.push(`${n} ${word}${n === 1 ? '' : 's'}`);
  };
  unit(Math.floor(months / 12), 'year');
  unit(months % 12, 'month');
  unit(days, 'day');
  if (ms !== 0 || parts.length === 0) parts.push(clock(BigInt(ms), 'MILLIS'));
  return parts.join(' ');
}

function uuidText(v: Uint8Array): string {
  if (v.length !== 16) return hexBlob(v);
  const h = hexBlob(v).slice(2).toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** IEEE 754 half precision, little-endian. */
function float16(v: Uint8Array): string {
  if (v.length !== 2) return hexBlob(v);
  const bits = ((v[1] as number) << 8) | (v[0] as number);
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0x1f) return frac ? 'NaN' : String(sign * Number.POSITIVE_INFINITY);
  return String(sign * (exp === 0 ? 2 ** -14 * (frac / 1024) : 2 ** (exp - 15) * (1 + frac / 1024)));
}

/** An integer as its digits, whatever its physical type (`number` for INT32, `bigint` for INT64). */
function integer(v: unknown): string {
  return typeof v === 'bigint' ? v.toString() : String(v);
}

/** A physical value as a BigInt: INT32 and INT64 decimals, and binary ones (big-endian). */
function unscaled(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(v);
  return v instanceof Uint8Array ? bigEndian(v) : 0n;
}

/** Wraps a formatter of non-null physical values: null stays null, a string (already a cell) stays as it is. */
function cellOf(f: (v: never) => string): CellFormat {
  return (v) => (v === null || v === undefined ? null : typeof v === 'string' ? v : f(v as never));
}

/**
 * The formatter of a leaf column, from its schema element: its logical type first, then its
 * converted (legacy) type, then its physical type.
 */
export function leafFormat(e: SchemaElement): CellFormat {
  const lt = e.logical_type;
  const ct = e.converted_type;
  if (lt?.type === 'DECIMAL' || ct === 'DECIMAL') {
    const given = lt?.type === 'DECIMAL' ? lt.scale : e.scale;
    // A scale the footer does not give (or gives absurd) reads as 0: the digits are kept either way.
    const scale = Number.isInteger(given) && (given as number) >= 0 && (given as number) <= 1000 ? (given as number) : 0;
    return cellOf((v: unknown) => decimalText(unscaled(v), scale));
  }
  if (lt?.type === 'DATE' || ct === 'DATE') return cellOf((v: number) => dateText(v));
  if (lt?.type === 'TIMESTAMP' || ct === 'TIMESTAMP_MILLIS' || ct === 'TIMESTAMP_MICROS') {
    const unit: Unit = lt?.type === 'TIMESTAMP' ? lt.unit : ct === 'TIMESTAMP_MILLIS' ? 'MILLIS' : 'MICROS';
    // An instant (TIMESTAMP WITH TIME ZONE) as DuckDB writes it in a UTC session: `+00`.
    const zone = lt?.type === 'TIMESTAMP' && lt.isAdjustedToUTC ? '+00' : '';
    return cellOf((v: number | bigint) => timestampText(BigInt(v), unit) + zone);
  }
  if (lt?.type === 'TIME' || ct === 'TIME_MILLIS' || ct === 'TIME_MICROS') {
    const unit: Unit = lt?.type === 'TIME' ? lt.unit : ct === 'TIME_MILLIS' ? 'MILLIS' : 'MICROS';
    const zone = lt?.type === 'TIME' && lt.isAdjustedToUTC ? '+00' : '';
    return cellOf((v: number | bigint) => clock(BigInt(v), unit) + zone);
  }
  const unsigned = ct === 'UINT_8' || ct === 'UINT_16' || ct === 'UINT_32' || ct === 'UINT_64' || (lt?.type === 'INTEGER' && !lt.isSigned);
  switch (e.type) {
    case 'BOOLEAN':
      return cellOf((v: boolean) => (v ? 'true' : 'false'));
    case 'INT32':
      return cellOf(unsigned ? (v: number) => String(v >>> 0) : integer);
    case 'INT64':
      return cellOf(unsigned ? (v: bigint) => BigInt.asUintN(64, BigInt(v)).toString() : integer);
    case 'FLOAT':
      return cellOf(float32);
    case 'DOUBLE':
      return cellOf(double);
    case 'INT96':
      // hyparquet hands INT96 to `timestampFromNanoseconds` (DISPLAY_PARSERS): already text.
      return cellOf(integer);
    case 'BYTE_ARRAY':
      if (ct === 'UTF8' || ct === 'ENUM' || ct === 'JSON' || lt?.type === 'STRING' || lt?.type === 'ENUM' || lt?.type === 'JSON') return cellOf(text);
      return cellOf(blob);
    case 'FIXED_LEN_BYTE_ARRAY':
      if (lt?.type === 'UUID') return cellOf(uuidText);
      if (lt?.type === 'FLOAT16') return cellOf(float16);
      if (ct === 'INTERVAL') return cellOf(intervalText);
      return cellOf(blob);
    default:
      return cellOf(blob);
  }
}

/**
 * A value of no known column (inside a VARIANT) as a cell, as the JSON reader writes
 * JavaScript values: strings as they are, numbers as JavaScript prints them, booleans
 * `true`/`false`, binaries by the BLOB rule.
 */
export function anyCell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return double(v);
    case 'bigint':
      return v.toString();
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      if (v instanceof Uint8Array) return blob(v);
      if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
      return null;
  }
}

/**
 * Parsers for hyparquet: where it turns a physical value into a rich one (INT96 timestamps,
 * and the values inside a VARIANT), they give the cell's text directly.
 */
export const DISPLAY_PARSERS: ParquetParsers = {
  timestampFromMilliseconds: (v) => timestampText(v, 'MILLIS'),
  timestampFromMicroseconds: (v) => timestampText(v, 'MICROS'),
  timestampFromNanoseconds: (v) => timestampText(v, 'NANOS'),
  dateFromDays: (v) => dateText(v),
  stringFromBytes: (v) => (v === undefined ? undefined : text(v)),
  jsonFromBytes: (v) => (v === undefined ? undefined : text(v)),
  geometryFromBytes: (v) => (v === undefined ? undefined : blob(v)),
  geographyFromBytes: (v) => (v === undefined ? undefined : blob(v)),
  uuidFromBytes: (v) => (v === undefined ? undefined : uuidText(v)),
};
