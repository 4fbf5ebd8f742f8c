/**
 * Cell values as a person sees them: numbers without float noise, date serials as ISO dates,
 * booleans, and cell references to column indexes.
 */

/** 0-based column of a cell reference (`C5` → 2), -1 when it has none, `Infinity` past Excel's 3 letters. */
export function columnOf(ref: string | undefined): number {
  if (ref === undefined) return -1;
  let col = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i) | 0x20;
    if (c < 0x61 || c > 0x7a) break;
    if (i >= 3) return Number.POSITIVE_INFINITY;
    col = col * 26 + (c - 0x60);
  }
  return i === 0 ? -1 : col - 1;
}

/**
 * A stored number as Excel shows it in the General format, to 15 significant digits:
 * `612345678` stays, `0.30000000000000004` is `0.3`. Text that is not a number is kept.
 */
export function numberText(v: string): string {
  if (v.length <= 15 && /^-?\d+$/.test(v)) return v;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) return v;
  return String(Number(n.toPrecision(15)));
}

/** What a number format shows of a serial: nothing special, a date, a date and time, a time. */
export type DateKind = 0 | 1 | 2 | 3;
export const NOT_DATE = 0;
export const DATE = 1;
export const DATE_TIME = 2;
export const TIME = 3;

/** ECMA-376 Part 1 §18.8.30: the built-in formats that are dates or times. */
export function builtinKind(id: number): DateKind {
  if ((id >= 14 && id <= 17) || (id >= 27 && id <= 36) || (id >= 50 && id <= 58)) return DATE;
  if (id === 22) return DATE_TIME;
  if ((id >= 18 && id <= 21) || (id >= 45 && id <= 47)) return TIME;
  return NOT_DATE;
}

/** Whether a custom format code (`dd/mm/yyyy`, `[$-40C]d mmmm yyyy`, `h:mm`) shows a date or time. */
export function formatKind(code: string): DateKind {
  let s = code.split(';')[0] ?? '';
  // Literal text, escapes and padding are not format letters; elapsed time ([h]) is a duration.
  s = s
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/[_*]./g, '');
  if (/\[(h+|m+|s+)\]/i.test(s)) return NOT_DATE;
  s = s.replace(/\[[^\]]*\]/g, '').replace(/AM\/PM|A\/P/gi, '');
  if (/general/i.test(s)) return NOT_DATE;
  const date = /[dy]/i.test(s);
  const time = /[hs]/i.test(s);
  if (date) return time ? DATE_TIME : DATE;
  if (time) return TIME;
  return /m/i.test(s) ? DATE : NOT_DATE;
}

/** Largest serial Excel accepts: 9999-12-31. */
const MAX_SERIAL = 2958465;

/**
 * A date serial as ISO 8601: `YYYY-MM-DD`, with `THH:MM:SS` when it has a time of day, or
 * `HH:MM:SS` alone for a time format. 1900 system: serial 1 is 1900-01-01 and Excel counts a
 * 29 February 1900 that never was (serial 60); 1904 system: serial 0 is 1904-01-01.
 */
export function serialText(v: string, kind: DateKind, date1904: boolean): string {
  const serial = Number(v);
  if (v.trim() === '' || !Number.isFinite(serial) || serial < 0 || serial > MAX_SERIAL) return numberText(v);
  let days = Math.floor(serial);
  let secs = Math.round((serial - days) * 86400);
  if (secs >= 86400) {
    days += 1;
    secs -= 86400;
  }
  const time = `${pad(Math.floor(secs / 3600))}:${pad(Math.floor(secs / 60) % 60)}:${pad(secs % 60)}`;
  if (kind === TIME) return time;
  const unixDays = date1904 ? days - 24107 : days < 61 ? days - 25568 : days - 25569;
  const date = new Date(unixDays * 86400000).toISOString().slice(0, 10);
  return secs === 0 ? date : `${date}T${time}`;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
