/**
 * MongoDB Extended JSON v2 (https://www.mongodb.com/docs/manual/reference/mongodb-extended-json/),
 * relaxed and canonical, as `mongoexport` writes it: the type wrappers are decoded to the
 * value a person would see, during flattening, so that `{"$date": …}` is a date and
 * `{"$numberLong": "…"}` a number, not two columns named `$date` and `$numberLong`.
 *
 * Decoded here rather than through the `bson` package's `EJSON.parse`: the records are
 * already parsed by `JSON.parse` (which cuts them out of the stream), and a wrapper is an
 * object whose first key starts with `$`, so ordinary records pay one character test per
 * object. `EJSON.parse` would parse every record a second time and build BSON objects
 * (`Long`, `Decimal128`) only to print them again.
 */
import type { Cell } from '../types.js';

/** Milliseconds in a day: a `$date` at midnight UTC is a calendar date (a birth date). */
const DAY_MS = 86_400_000;
/** Binary subtype 4 is a UUID, shown in its usual writing. */
const UUID_SUBTYPES = new Set(['04', '4', '03', '3']);

/**
 * The cell an Extended JSON wrapper stands for, or undefined when `obj` is not one (an
 * ordinary object, flattened as usual). Only the exact shapes of the specification are
 * decoded: `{"$oid": "…"}`, `{"$date": "ISO" | {"$numberLong": "…"} | number}`,
 * `{"$numberInt" | "$numberLong" | "$numberDouble" | "$numberDecimal": "…"}`,
 * `{"$binary": {"base64", "subType"}}` (and the legacy `{"$binary": "…", "$type": "…"}`),
 * `{"$uuid": "…"}`, `{"$timestamp": {"t", "i"}}`, `{"$symbol" | "$code": "…"}`,
 * `{"$regularExpression": {…}}`, `{"$minKey" | "$maxKey" | "$undefined": …}`.
 *
 * @example
 * extendedValue({ $date: { $numberLong: '479606400000' } }) // '1985-03-14'
 * extendedValue({ $numberLong: '9007199254740993' }) // '9007199254740993'
 */
export function extendedValue(obj: Record<string, unknown>): Cell | undefined {
  const keys = Object.keys(obj);
  const key = keys[0];
  if (key === undefined) return undefined;
  const v = obj[key];
  if (keys.length === 2 && key === '$binary' && keys[1] === '$type' && typeof v === 'string') {
    return binary(v, String(obj['$type']));
  }
  if (keys.length !== 1) return undefined;
  switch (key) {
    case '$oid':
    case '$numberInt':
    case '$numberLong':
    case '$numberDouble':
    case '$numberDecimal':
    case '$symbol':
    case '$uuid':
    case '$code':
      return typeof v === 'string' ? v : undefined;
    case '$date':
      return date(v);
    case '$binary':
      if (isObject(v) && typeof v['base64'] === 'string') return binary(v['base64'], String(v['subType'] ?? '00'));
      return undefined;
    case '$timestamp':
      // An oplog timestamp: seconds since the epoch, then an ordinal. The seconds may be
      // text when the record is read again for an integer past 2^53 (`quoteNumbers`).
      if (!isObject(v)) return undefined;
      if (typeof v['t'] === 'number') return fromMillis(v['t'] * 1000);
      return typeof v['t'] === 'string' && /^\d+$/.test(v['t']) ? fromMillis(Number(v['t']) * 1000) : undefined;
    case '$regularExpression':
      return isObject(v) && typeof v['pattern'] === 'string' ? `/${v['pattern']}/${typeof v['options'] === 'string' ? v['options'] : ''}` : undefined;
    case '$minKey':
    case '$maxKey':
    case '$undefined':
      return null;
    default:
      return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `$date`: an ISO 8601 string (relaxed, years 1970–9999), `{"$numberLong": ms}` (canonical, or any year), or legacy milliseconds. */
function date(v: unknown): Cell | undefined {
  let ms: number;
  if (typeof v === 'number') ms = v;
  else if (isObject(v) && typeof v['$numberLong'] === 'string') ms = Number(v['$numberLong']);
  else if (typeof v === 'string') ms = /^-?\d+$/.test(v) ? Number(v) : Date.parse(v);
  else return undefined;
  // A date the writer got wrong stays as written: it will count as invalid, not vanish.
  if (!Number.isFinite(ms)) return typeof v === 'string' ? v : undefined;
  return fromMillis(ms);
}

/** `YYYY-MM-DD` at midnight UTC (how drivers store a calendar date), else the full ISO instant. */
function fromMillis(ms: number): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return String(ms);
  const iso = d.toISOString();
  return ms % DAY_MS === 0 ? iso.slice(0, 10) : iso;
}

/** Binary data as its base64 text, a UUID (subtype 4, or legacy 3) in its hyphenated form. */
function binary(base64: string, subType: string): string {
  if (!UUID_SUBTYPES.has(subType)) return base64;
  const hex = Buffer.from(base64, 'base64').toString('hex');
  if (hex.length !== 32) return base64;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The document an Elasticsearch hit wraps: elasticdump writes one hit per line and a
 * `_search` response lists them under `hits.hits`, each `{"_index", "_id", "_source": {…}}`.
 * The `_source` is the record; the hit's own fields (`_index`, `_score`) are not. Returns
 * undefined for anything else.
 */
export function hitSource(value: unknown): Record<string, unknown> | undefined {
  if (!isObject(value)) return undefined;
  const source = value['_source'];
  if (!isObject(source)) return undefined;
  return '_index' in value || '_id' in value ? source : undefined;
}
