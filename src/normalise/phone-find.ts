/**
 * Phone numbers embedded in free text (comments, notes, addresses), in E.164.
 *
 * A candidate starts at a `+` or a digit that does not follow a letter or digit, and runs over
 * digits and single separators (`06 12 34 56 78`, `+33 (0)6…`, `06.12.34.56.78`) for at most
 * {@link MAX_SPAN} characters. It may only end where a group of digits ends; the longest valid
 * cut wins, so `06 12 34 56 78 07 98 76 54 32` gives two numbers. Every step is bounded, so the
 * cost is linear in the text whatever it holds.
 */
import { parseRange } from './phone-parse.js';

/** Longest candidate: `+33 (0)6 12 34 56 78` is 20 characters; foreign ones run a little longer. */
const MAX_SPAN = 32;
/** Cuts tried per candidate, longest first; more would only matter on adversarial text. */
const MAX_TRIES = 8;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Letters, digits, `+`, `_`, `@`: a number glued to one of these is part of another token. */
function isWordChar(c: number): boolean {
  const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c >= 0xc0;
  return letter || isDigit(c) || c === 0x2b || c === 0x5f || c === 0x40;
}

function isSeparator(c: number): boolean {
  return c === 0x20 || c === 0x2e || c === 0x2d || c === 0x2f || c === 0x28 || c === 0x29 || c === 0xa0 || c === 0x202f;
}

/**
 * Distinct phone numbers found in `text`, in E.164, in order of first appearance.
 * French national and international writings are found; other countries' numbers are found when
 * written internationally (`+44 20 7946 0958`).
 * @example findPhones('Rappeler au 06 12 34 56 78 ou au +33 1 42 68 53 00.') // ['+33612345678', '+33142685300']
 */
export function findPhones(text: string): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const ends: number[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const opens = c === 0x2b ? i + 1 < n && isDigit(text.charCodeAt(i + 1)) : isDigit(c);
    const startsHere = opens && (i === 0 || !isWordChar(text.charCodeAt(i - 1)));
    if (!startsHere) {
      i++;
      continue;
    }
    // Extend over digits and separators that lead to more digits; note where digit groups end.
    ends.length = 0;
    let j = c === 0x2b ? i + 1 : i;
    const limit = Math.min(n, i + MAX_SPAN);
    while (j < limit) {
      const cj = text.charCodeAt(j);
      if (isDigit(cj)) {
        j++;
        if (j === n || !isDigit(text.charCodeAt(j))) ends.push(j);
      } else if (isSeparator(cj) && j + 1 < limit && (isDigit(text.charCodeAt(j + 1)) || isSeparator(text.charCodeAt(j + 1)))) {
        j++;
      } else {
        break;
      }
    }
    let matchEnd = -1;
    for (let k = ends.length - 1, tries = 0; k >= 0 && tries < MAX_TRIES; k--) {
      const end = ends[k]!;
      // A cut must not split a token: what follows may not be a letter or a digit.
      if (end < n && isWordChar(text.charCodeAt(end)) && text.charCodeAt(end) !== 0x2b) continue;
      tries++;
      const e164 = parseRange(text, i, end, false);
      if (typeof e164 === 'string') {
        if (!seen.has(e164)) {
          seen.add(e164);
          found.push(e164);
        }
        matchEnd = end;
        break;
      }
    }
    // No number here: resume after this first digit group, which keeps the scan linear.
    i = matchEnd >= 0 ? matchEnd : (ends[0] ?? i + 1);
  }
  return found;
}
