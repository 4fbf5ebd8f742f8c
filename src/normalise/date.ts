/**
 * Dates of birth → ISO 8601 `YYYY-MM-DD`.
 *
 * Accepted writings: `JJ/MM/AAAA` (also `J/M/AAAA`, `-` or `.` instead of `/`), `AAAA-MM-JJ`
 * (also `/` or `.`), `AAAAMMJJ` and `JJMMAAAA`, a date followed by a time (`1985-03-12T00:00:00Z`,
 * `1985-03-12 00:00:00`, `12/03/1985 00:00`), and the French long form `12 mars 1985`,
 * `1er mars 1985`, `12 févr. 1985`.
 *
 * Decisions:
 * - Day first is the French convention: `03/04/1985` is 3 April. `MM/DD/AAAA` is read only when
 *   day first is impossible (`12/31/1985`).
 * - Eight digits are never ambiguous: `AAAAMMJJ` needs a year 19xx/20xx, so its third and fourth
 *   digits, read as the month of `JJMMAAAA`, would be a year's first two (19 or 20 > 12).
 * - The time part is ignored, time zone included: `1985-03-11T23:00:00Z` gives 1985-03-11 even if
 *   it was midnight in Paris, because guessing a shift would corrupt the dates written correctly.
 * - Two-digit years are rejected: `12/03/15` could be 1915 or 2015, and a wrong guess would
 *   match the wrong person.
 * - Plausible dates of birth only: from 1900-01-01 to today (UTC) inclusive.
 */

const MIN_KEY = 19000101;
const MAX_INPUT = 48;

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function validDay(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= (m === 2 && isLeap(y) ? 29 : DAYS_IN_MONTH[m]!);
}

let cachedToday = 0;
let cachedUntil = 0;

/** A date as the integer YYYYMMDD (UTC), comparable with `<`. */
function dayKey(d: Date): number {
  return d.getUTCFullYear() * 10_000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
}

/** Today as YYYYMMDD (UTC), recomputed once a day rather than per value. */
function todayKey(): number {
  const now = Date.now();
  if (now >= cachedUntil) {
    const d = new Date(now);
    cachedToday = dayKey(d);
    cachedUntil = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
  }
  return cachedToday;
}

/** French month names and their usual abbreviations, accents folded, lower case. */
const MONTHS = new Map<string, number>([
  ['janvier', 1],
  ['janv', 1],
  ['jan', 1],
  ['fevrier', 2],
  ['fevr', 2],
  ['fev', 2],
  ['mars', 3],
  ['mar', 3],
  ['avril', 4],
  ['avr', 4],
  ['mai', 5],
  ['juin', 6],
  ['juillet', 7],
  ['juil', 7],
  ['aout', 8],
  ['septembre', 9],
  ['sept', 9],
  ['sep', 9],
  ['octobre', 10],
  ['oct', 10],
  ['novembre', 11],
  ['nov', 11],
  ['decembre', 12],
  ['dec', 12],
]);

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0xa0 || c === 0x202f;
}

// Parse results, set by the readers below; the module is synchronous.
let year = 0;
let month = 0;
let day = 0;

/** Digits at `s[i…]`: value in `numberValue`, count returned (at most 9). */
let numberValue = 0;
function readNumber(s: string, i: number, end: number): number {
  let v = 0;
  let n = 0;
  while (i + n < end && n < 9 && isDigit(s.charCodeAt(i + n))) v = v * 10 + (s.charCodeAt(i + n++) - 0x30);
  numberValue = v;
  return n;
}

/** After a date: nothing, or a `T` or space then time characters only (`00:00:00.000+01:00`). */
function timeTail(s: string, i: number, end: number): boolean {
  if (i === end) return true;
  const c = s.charCodeAt(i);
  if (c !== 0x54 && c !== 0x20) return false;
  if (i + 1 === end || !isDigit(s.charCodeAt(i + 1))) return false;
  for (let j = i + 1; j < end; j++) {
    const t = s.charCodeAt(j);
    if (!(isDigit(t) || t === 0x3a || t === 0x2e || t === 0x2b || t === 0x2d || t === 0x5a || t === 0x20)) return false;
  }
  return true;
}

/** `AAAA-MM-JJ` with `-`, `/` or `.`, from `i` just after the year. */
function yearFirst(s: string, i: number, end: number): boolean {
  const sep = s.charCodeAt(i);
  if (sep !== 0x2d && sep !== 0x2f && sep !== 0x2e) return false;
  const ml = readNumber(s, i + 1, end);
  month = numberValue;
  i += 1 + ml;
  if (ml < 1 || ml > 2 || s.charCodeAt(i) !== sep) return false;
  const dl = readNumber(s, i + 1, end);
  day = numberValue;
  return dl >= 1 && dl <= 2 && timeTail(s, i + 1 + dl, end);
}

/** `JJ/MM/AAAA` with `/`, `-` or `.`, or `MM/JJ/AAAA` when day first is impossible. */
function dayFirst(s: string, i: number, end: number, first: number): boolean {
  const sep = s.charCodeAt(i);
  const bl = readNumber(s, i + 1, end);
  const second = numberValue;
  i += 1 + bl;
  if (bl < 1 || bl > 2 || s.charCodeAt(i) !== sep) return false;
  const yl = readNumber(s, i + 1, end);
  year = numberValue;
  if (yl !== 4 || !timeTail(s, i + 1 + yl, end)) return false;
  if (second > 12 && first <= 12) {
    month = first;
    day = second;
  } else {
    day = first;
    month = second;
  }
  return true;
}

/** `12 mars 1985`, `1er mars 1985`, `12 févr. 1985`, from `i` just after the day's digits. */
function longForm(s: string, i: number, end: number, first: number): boolean {
  if (first === 1 && (s.charCodeAt(i) | 0x20) === 0x65 && (s.charCodeAt(i + 1) | 0x20) === 0x72) i += 2; // 1er
  if (!isSpace(s.charCodeAt(i))) return false;
  while (i < end && isSpace(s.charCodeAt(i))) i++;
  const wordStart = i;
  while (i < end && !isSpace(s.charCodeAt(i)) && s.charCodeAt(i) !== 0x2e && i - wordStart < 10) i++;
  const word = s.slice(wordStart, i).toLowerCase().replace('é', 'e').replace('û', 'u');
  const m = MONTHS.get(word);
  if (m === undefined) return false;
  if (s.charCodeAt(i) === 0x2e) i++; // abbreviation dot
  if (!isSpace(s.charCodeAt(i))) return false;
  while (i < end && isSpace(s.charCodeAt(i))) i++;
  const yl = readNumber(s, i, end);
  if (yl !== 4 || i + yl !== end) return false;
  year = numberValue;
  month = m;
  day = first;
  return true;
}

/** Parses `s[start, end)` into {@link year}, {@link month}, {@link day}; false if no writing fits. */
function parse(s: string, start: number, end: number): boolean {
  const n = readNumber(s, start, end);
  const first = numberValue;
  const i = start + n;
  if (n === 4) {
    year = first;
    return yearFirst(s, i, end);
  }
  if (n === 8 && i === end) {
    year = Math.floor(first / 10_000);
    month = Math.floor(first / 100) % 100;
    day = first % 100;
    if (year >= 1900 && month >= 1 && month <= 12) return true;
    day = Math.floor(first / 1_000_000);
    month = Math.floor(first / 10_000) % 100;
    year = first % 10_000;
    return true;
  }
  if (n < 1 || n > 2 || i === end) return false;
  const c = s.charCodeAt(i);
  if (c === 0x2f || c === 0x2d || c === 0x2e) return dayFirst(s, i, end, first);
  return longForm(s, i, end, first);
}

function pad2(v: number): string {
  return v < 10 ? '0' + v : String(v);
}

interface BirthDateOptions {
  /**
   * Read a bare integer (no leading zero, six digits or more, not an eight-digit date such as
   * `19850314`) as a time since the Unix epoch: milliseconds beyond ±2.3 × 10⁹, seconds
   * within unless that is a future date (pandas' `to_json` and JavaScript write milliseconds;
   * `date +%s` and PHP, seconds). Birth dates from 1900 to now are ±2.3 × 10⁹ seconds from
   * 1970, so the two units overlap only for milliseconds within 20 days of 1970-01-01. Only for a column already known to
   * hold birth dates: alone, `479606400` is as likely an amount or an identifier.
   */
  epoch?: boolean;
}

/** Beyond this magnitude an epoch integer is milliseconds (see `BirthDateOptions.epoch`). */
const SECONDS_BOUND = 2.3e9;

/** An epoch integer's date as `YYYY-MM-DD` (UTC), taken as seconds then as milliseconds, or undefined when `raw` is not one. */
function epochDates(raw: string): string[] | undefined {
  const t = raw.trim();
  if (!/^-?[1-9]\d{5,13}$/.test(t)) return undefined;
  const n = Number(t);
  const out: string[] = [];
  for (const ms of Math.abs(n) > SECONDS_BOUND ? [n] : [n * 1000, n]) {
    const d = new Date(ms);
    if (!Number.isNaN(d.getTime())) out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

/**
 * The date of birth as `YYYY-MM-DD`, or `null` if it is not a real calendar date between
 * 1900-01-01 and today.
 * @param now the current date (tests pass a fixed one); defaults to the clock
 * @example
 * normaliseBirthDate('12/03/1985') // '1985-03-12'
 * normaliseBirthDate('1er mars 1985') // '1985-03-01'
 * normaliseBirthDate('12/31/1985') // '1985-12-31': day first impossible, read as month first
 * normaliseBirthDate('29/02/1985') // null: not a leap year
 */
export function normaliseBirthDate(raw: string, now?: Date, opts?: BirthDateOptions): string | null {
  if (raw.length > MAX_INPUT) return null;
  if (opts?.epoch === true && !(raw.trim().length === 8 && normaliseBirthDate(raw, now) !== null)) {
    const dates = epochDates(raw);
    // Seconds first; milliseconds when seconds would be a future date (`2246400000`: January 1970 in ms).
    if (dates !== undefined) return dates.map((d) => normaliseBirthDate(d, now)).find((d) => d !== null) ?? null;
  }
  let start = 0;
  let end = raw.length;
  while (start < end && isSpace(raw.charCodeAt(start))) start++;
  while (end > start && isSpace(raw.charCodeAt(end - 1))) end--;
  if (end - start < 8 || !parse(raw, start, end)) return null;
  if (!validDay(year, month, day)) return null;
  const key = year * 10_000 + month * 100 + day;
  if (key < MIN_KEY || key > (now === undefined ? todayKey() : dayKey(now))) return null;
  // Already canonical (`1985-03-12`)? Return the input itself, no new string.
  const canonical = start === 0 && raw.length === 10 && raw.charCodeAt(4) === 0x2d && raw.charCodeAt(7) === 0x2d;
  if (canonical) return raw;
  return year + '-' + pad2(month) + '-' + pad2(day);
}
