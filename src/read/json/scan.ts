/**
 * Finds where one JSON value ends without parsing it, so that a huge document can be cut
 * into records that `JSON.parse` (native, fast) then parses one at a time.
 *
 * The scanner is resumable: text may arrive in pieces, and `scan()` continues where the
 * previous call stopped. It tracks only what decides the extent (string state, escapes,
 * bracket depth); grammar errors inside the value are left to `JSON.parse`.
 */

/** `scan()` result: the value continues past the scanned text. */
export const MORE = -1;
/** `scan()` result: nesting went deeper than allowed (the value is not read further). */
export const TOO_DEEP = -2;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

export class ValueScanner {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private scalar = false;
  private maxDepth = 0;

  /**
   * Starts a value whose first character has code `first`; `maxDepth` is how many nested
   * containers the value may open (the document depth already used is subtracted by the caller).
   */
  reset(first: number, maxDepth: number): void {
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.maxDepth = maxDepth;
    // Anything that is not a container or a string is a scalar (number, true, false, null,
    // or garbage that JSON.parse will reject): it ends at the next delimiter.
    this.scalar = first !== OPEN_BRACE && first !== OPEN_BRACKET && first !== QUOTE;
  }

  /**
   * Scans `s[from, to)`, the value having started at or before `from` (the first call passes
   * the index of its first character). Returns the index just past the value's end, `MORE`,
   * or `TOO_DEEP`.
   */
  scan(s: string, from: number, to: number): number {
    if (this.scalar) return scanScalar(s, from, to);
    let depth = this.depth;
    let inString = this.inString;
    let escaped = this.escaped;
    const maxDepth = this.maxDepth;
    let i = from;
    if (inString && escaped && i < to) {
      // The previous piece ended on a backslash: the character after it is escaped.
      escaped = false;
      i++;
    }
    while (i < to) {
      if (inString) {
        // Jump to the next quote with the native search, then look back over backslashes:
        // the quote is escaped when an odd number of them precede it (RFC 8259 §7).
        const q = s.indexOf('"', i);
        if (q === -1 || q >= to) {
          escaped = trailingBackslashes(s, i, to) % 2 === 1;
          i = to;
          break;
        }
        if (trailingBackslashes(s, i, q) % 2 === 1) {
          i = q + 1;
          continue;
        }
        inString = false;
        i = q + 1;
        if (depth === 0) return this.done(i);
        continue;
      }
      const c = s.charCodeAt(i++);
      if (c === QUOTE) {
        inString = true;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (++depth > maxDepth) return TOO_DEEP;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        // A mismatched closer (`{]`) still closes: JSON.parse reports the error afterwards.
        if (--depth <= 0) return this.done(i);
      }
    }
    this.depth = depth;
    this.inString = inString;
    this.escaped = escaped;
    return MORE;
  }

  /** True when the value is a scalar, which also ends at end of input. */
  get isScalar(): boolean {
    return this.scalar;
  }

  private done(end: number): number {
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    return end;
  }
}

/** Number of consecutive backslashes ending just before `end`, not looking before `from`. */
function trailingBackslashes(s: string, from: number, end: number): number {
  let n = 0;
  while (end - n > from && s.charCodeAt(end - n - 1) === BACKSLASH) n++;
  return n;
}

function scanScalar(s: string, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === COMMA || c === CLOSE_BRACKET || c === CLOSE_BRACE || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === COLON) {
      return i;
    }
  }
  return MORE;
}
