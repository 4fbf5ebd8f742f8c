/**
 * OpenDocument cell values (ODF 1.3 part 3 §19.385–§19.389) as the xlsx reader gives the same
 * cells (ADR 0005): numbers to 15 significant digits, dates as ISO 8601 with the time only
 * when there is one, times as `HH:MM:SS`, booleans `TRUE`/`FALSE`.
 */

/** `office:date-value` (`1985-03-12`, `1990-07-01T14:30:00.5`) as `YYYY-MM-DD[THH:MM:SS]`, rounded to the second. */
export function dateText(v: string): string {
  // What LibreOffice writes, whole seconds, taken as it is (a date per row: this is the hot path).
  if (v.length === 10 && /^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
  if (v.length === 19 && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(v)) return v.endsWith('T00:00:00') ? v.slice(0, 10) : v;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(\.\d+)?)?/.exec(v);
  if (m === null) return v;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac] = m;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (frac !== undefined) ms += Math.round(Number(frac) * 1000);
  ms = Math.round(ms / 1000) * 1000;
  if (!Number.isFinite(ms)) return v;
  const iso = new Date(ms).toISOString();
  // Years past 9999 (or before 0) are kept as written: ISO strings of them carry a sign.
  if (iso.length !== 24) return v;
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19);
}

/** `office:time-value`, an ISO 8601 duration (`PT08H15M00S`, `P1DT2H`), as `HH:MM:SS`; hours past 24 are kept (a duration). */
export function timeText(v: string): string {
  const m = /^(-?)P(?:(\d+)D)?T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(v);
  if (m === null) return v;
  const [, sign, d = '0', h = '0', mi = '0', s = '0'] = m;
  const secs = Math.round(Number(d) * 86400 + Number(h) * 3600 + Number(mi) * 60 + Number(s));
  if (!Number.isSafeInteger(secs)) return v;
  return `${sign}${pad(Math.floor(secs / 3600))}:${pad(Math.floor(secs / 60) % 60)}:${pad(secs % 60)}`;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * Words a formula's boolean result is shown as, in the locales a French leak is likely saved
 * in: LibreOffice stores such a result as a float 0 or 1 (its xlsx export writes `t="b"`).
 */
const BOOLEAN_WORDS: ReadonlySet<string> = new Set(['TRUE', 'FALSE', 'VRAI', 'FAUX', 'WAHR', 'FALSCH', 'VERDADERO', 'FALSO', 'VERO', 'WAAR', 'ONWAAR']);

/** Whether a float cell holding `value` and shown as `shown` is a boolean (`=A1>3`, `=TRUE()`). */
export function isShownAsBoolean(value: string, shown: string): boolean {
  return (value === '0' || value === '1') && BOOLEAN_WORDS.has(shown.trim().toUpperCase());
}
