/**
 * French postcodes (La Poste), canonical form five digits.
 *
 * The first two digits are the department for metropolitan France, 01–95 (Corsica keeps `20`,
 * e.g. 20000 Ajaccio, 20200 Bastia); overseas codes start with the three-digit department or
 * collectivity, 971–976 (Guadeloupe with Saint-Barthélemy 97133 and Saint-Martin 97150,
 * Martinique, Guyane, La Réunion, Saint-Pierre-et-Miquelon, Mayotte); `98` covers Monaco (980xx)
 * and the Pacific collectivities and TAAF (984xx–988xx). `00`, `96`, `977`–`979` are not used.
 */

/** Options of {@link normalisePostcode}. */
export interface PostcodeOptions {
  /**
   * Accept four digits as a code whose leading `0` a spreadsheet dropped (`6000` → `06000`).
   * Use only for a column already known to hold postcodes.
   */
  allowMissingZero?: boolean;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0xa0 || c === 0x202f;
}

/**
 * The five-digit postcode, or `null` if it is not a French postcode in use.
 * @example
 * normalisePostcode('75001') // '75001'
 * normalisePostcode('6000', { allowMissingZero: true }) // '06000'
 * normalisePostcode('96100') // null
 */
export function normalisePostcode(raw: string, options?: PostcodeOptions): string | null {
  let start = 0;
  let end = raw.length;
  while (start < end && isSpace(raw.charCodeAt(start))) start++;
  while (end > start && isSpace(raw.charCodeAt(end - 1))) end--;
  const length = end - start;
  if (length !== 5 && !(length === 4 && options?.allowMissingZero === true)) return null;
  let code = 0;
  for (let i = start; i < end; i++) {
    const d = raw.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return null;
    code = code * 10 + d;
  }
  const valid = (code >= 1000 && code <= 95999) || (code >= 97100 && code <= 97699) || (code >= 98000 && code <= 98999);
  if (!valid) return null;
  if (length === 4) return '0' + code;
  return start === 0 && end === raw.length ? raw : raw.slice(start, end);
}
