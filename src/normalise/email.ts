/**
 * Email addresses: the canonical form is the address trimmed and lower-cased, nothing else.
 * No provider-specific rewriting (Gmail's dots and `+tags` stay): Vigie cannot know which
 * providers ignore them, and a wrong merge would tell someone they were in a leak they were not in.
 *
 * Accepted syntax, a strict subset of RFC 5321/5322 that real mailboxes use:
 * - local part: `dot-atom` of RFC 5322 §3.2.3 (letters, digits, ``!#$%&'*+-/=?^_`{|}~``, dots
 *   not first, last or doubled), at most 64 octets (RFC 5321 §4.5.3.1.1);
 * - domain: at least two labels of letters, digits and inner hyphens, each at most 63 octets
 *   (RFC 1035 §2.3.4); the top-level label is letters only (two or more) or an IDN `xn--` label;
 * - whole address at most 254 octets (RFC 5321 path limit of 256 minus the angle brackets).
 * Rejected on purpose: quoted local parts, IP-literal domains, non-ASCII addresses (RFC 6531),
 * which French providers do not issue and leaks hold only as typing errors.
 */

const MAX_LOCAL = 64;
const MAX_LABEL = 63;
const MAX_ADDRESS = 254;
const MIN_ADDRESS = 6; // a@b.fr

/** 1 for the `atext` characters of RFC 5322 §3.2.3, by ASCII code. */
const ATEXT = new Uint8Array(128);
for (const c of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~") {
  ATEXT[c.charCodeAt(0)] = 1;
}

function isLetter(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Returned by {@link checkAddress}: the address is valid and already lower-case. */
const LOWER = 0;
/** Returned by {@link checkAddress}: valid, with upper-case letters to fold. */
const MIXED = 1;
const INVALID = -1;

/**
 * Checks `s[start, end)` as an address without allocating.
 * @returns {@link LOWER}, {@link MIXED} or {@link INVALID}
 */
function checkAddress(s: string, start: number, end: number): number {
  const length = end - start;
  if (length < MIN_ADDRESS || length > MAX_ADDRESS) return INVALID;
  let upper = false;
  // Local part.
  let i = start;
  let previous = 0x2e; // as if preceded by a dot: forbids a leading dot
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x40) break;
    if (c === 0x2e) {
      if (previous === 0x2e) return INVALID;
    } else if (c >= 128 || ATEXT[c] === 0) {
      return INVALID;
    } else if (c >= 0x41 && c <= 0x5a) {
      upper = true;
    }
    previous = c;
  }
  if (i === end || i === start || i - start > MAX_LOCAL || previous === 0x2e) return INVALID;
  // Domain: labels separated by single dots.
  let labels = 0;
  let labelStart = i + 1;
  let tldLetters = true;
  for (let j = i + 1; j <= end; j++) {
    const c = j < end ? s.charCodeAt(j) : 0x2e;
    if (c === 0x2e) {
      const len = j - labelStart;
      if (len === 0 || len > MAX_LABEL) return INVALID;
      if (s.charCodeAt(labelStart) === 0x2d || s.charCodeAt(j - 1) === 0x2d) return INVALID;
      labels++;
      if (j < end) {
        labelStart = j + 1;
        tldLetters = true;
      }
    } else if (isLetter(c)) {
      if (c <= 0x5a) upper = true;
    } else if (isDigit(c) || c === 0x2d) {
      tldLetters = false;
    } else {
      return INVALID;
    }
  }
  if (labels < 2) return INVALID;
  // Top-level label: letters only, two or more, or an internationalised `xn--` label.
  if (end - labelStart < 2) return INVALID;
  if (!tldLetters && !isIdnLabel(s, labelStart)) return INVALID;
  return upper ? MIXED : LOWER;
}

function isIdnLabel(s: string, at: number): boolean {
  return (s.charCodeAt(at) | 0x20) === 0x78 && (s.charCodeAt(at + 1) | 0x20) === 0x6e && s.charCodeAt(at + 2) === 0x2d && s.charCodeAt(at + 3) === 0x2d;
}

function isSpace(c: number): boolean {
  return c <= 0x20 || c === 0xa0 || c === 0xfeff || c === 0x202f || c === 0x2009;
}

/**
 * The canonical form of an email address (trimmed, lower-cased), or `null` if it is not one.
 * @example
 * normaliseEmail('  Jean.Dupont@Orange.FR ') // 'jean.dupont@orange.fr'
 * normaliseEmail('jean.dupont@orange') // null: no top-level domain
 */
export function normaliseEmail(raw: string): string | null {
  let start = 0;
  let end = raw.length;
  while (start < end && isSpace(raw.charCodeAt(start))) start++;
  while (end > start && isSpace(raw.charCodeAt(end - 1))) end--;
  const verdict = checkAddress(raw, start, end);
  if (verdict === INVALID) return null;
  const trimmed = start === 0 && end === raw.length ? raw : raw.slice(start, end);
  return verdict === MIXED ? trimmed.toLowerCase() : trimmed;
}

/** Characters a domain can hold, for the scan of free text. */
function isDomainChar(c: number): boolean {
  return isLetter(c) || isDigit(c) || c === 0x2d || c === 0x2e;
}

/**
 * Distinct email addresses found in free text, canonical, in order of first appearance.
 *
 * No regular expression: from each `@`, the scan walks left over at most 64 local-part
 * characters and right over at most 254 domain characters, so the cost is linear in the text
 * whatever it holds (a backtracking email regex can take exponential time on crafted input).
 * A local part longer than 64 characters yields nothing rather than a truncated address.
 * @example findEmails('Contact : <Jean.Dupont@orange.fr>, copie à marie@free.fr.') // ['jean.dupont@orange.fr', 'marie@free.fr']
 */
export function findEmails(text: string): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  let at = text.indexOf('@');
  while (at !== -1) {
    let start = at;
    while (start > 0 && at - start <= MAX_LOCAL) {
      const c = text.charCodeAt(start - 1);
      if (c >= 128 || (ATEXT[c] === 0 && c !== 0x2e)) break;
      start--;
    }
    while (start < at && text.charCodeAt(start) === 0x2e) start++;
    let end = at + 1;
    while (end < text.length && end - start <= MAX_ADDRESS && isDomainChar(text.charCodeAt(end))) end++;
    // A sentence may end right after the address: drop trailing dots and hyphens.
    while (end > at + 1 && (text.charCodeAt(end - 1) === 0x2e || text.charCodeAt(end - 1) === 0x2d)) end--;
    const localTooLong = at - start > MAX_LOCAL;
    const verdict = localTooLong ? INVALID : checkAddress(text, start, end);
    if (verdict !== INVALID) {
      const slice = text.slice(start, end);
      const address = verdict === MIXED ? slice.toLowerCase() : slice;
      if (!seen.has(address)) {
        seen.add(address);
        found.push(address);
      }
    }
    at = text.indexOf('@', at + 1);
  }
  return found;
}
