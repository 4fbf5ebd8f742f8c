/**
 * Reads one `( value, value, ... )` tuple of an INSERT, token by token, so that the rows of a
 * multi-megabyte extended INSERT come out one at a time.
 */
import type { Cell } from '../types.js';
import { TOKEN_IDENT, TOKEN_NUMBER, TOKEN_PUNCT, TOKEN_STRING, TOKEN_WORD } from './lexer.js';
import type { SqlLexer, TokenType } from './lexer.js';
import { evaluate } from './expr.js';
import type { ExprToken } from './expr.js';

/** `token` results. */
export const TUPLE_MORE = 0;
/** The closing parenthesis was read: see `reason` and `values`. */
export const TUPLE_DONE = 1;
/** A `;` inside the tuple: the statement ended with the tuple unfinished. */
export const TUPLE_ABORT = 2;

const EXPECT = 0; // a value is due (after `(` or `,`)
const AFTER = 1; // a value was read: `,` `)` or a cast are due
const SIGN = 2; // after a unary sign
const INTRO = 3; // after a charset introducer (`_utf8mb4 'x'`)
const WORD = 4; // after a bare word: a keyword value, or a function name if `(` follows
const NESTED = 5; // inside a parenthesised expression, kept as its source text
const CAST = 6; // after `::`: the type name, skipped
const SKIP = 7; // malformed: skipping to the tuple's closing parenthesis
const PIPE = 8; // after the first `|` of a `||`

/** Reads the values of one tuple; `begin` at its `(`, then `token` until DONE or ABORT. */
export class TupleReader {
  values: Cell[] = [];
  /** Why the tuple is malformed (`syntax`), or null. `record too long` is reported via tooLong. */
  reason: string | null = null;
  tooLong = false;
  /** Line of the opening parenthesis. */
  line = 0;
  private start = 0;
  private state = EXPECT;
  private depth = 0;
  private pending = '';
  private afterComma = false;
  private lastWasString = false;
  /** Tokens of the parenthesised expression being read, for `evaluate`. */
  private expr: ExprToken[] = [];
  /** The value due is concatenated (`||`) to the previous one. */
  private concat = false;

  constructor(
    private readonly lexer: SqlLexer,
    private readonly maxChars: number,
    private readonly pg: boolean,
  ) {}

  /** Starts a tuple at the `(` just read. */
  begin(): void {
    this.values = [];
    this.reason = null;
    this.tooLong = false;
    this.line = this.lexer.tokenLine;
    this.start = this.lexer.at - 1;
    this.state = EXPECT;
    this.afterComma = false;
    this.lastWasString = false;
    this.concat = false;
  }

  token(type: TokenType, text: string): number {
    const lx = this.lexer;
    if (!this.tooLong && (lx.at - this.start > this.maxChars || (type === TOKEN_STRING && lx.overflow))) {
      this.tooLong = true;
      this.values = [];
    }
    if (type === TOKEN_PUNCT && text === ';') {
      this.reason ??= 'syntax';
      return TUPLE_ABORT;
    }
    switch (this.state) {
      case EXPECT:
        return this.expect(type, text);
      case AFTER:
        return this.after(type, text);
      case SIGN:
        if (type === TOKEN_NUMBER || type === TOKEN_WORD) return this.push(this.pending + text);
        if (type === TOKEN_PUNCT && text === '.') {
          this.pending += '.';
          return TUPLE_MORE;
        }
        return this.syntax(type, text);
      case INTRO:
        if (type === TOKEN_STRING) return this.push(text, true);
        this.state = WORD; // `_word` was a bare word after all
        return this.token(type, text);
      case WORD:
        if (type === TOKEN_PUNCT && text === '(') {
          this.expr = [
            [TOKEN_WORD, this.pending],
            [TOKEN_PUNCT, '('],
          ];
          this.pending += '(';
          this.depth = 1;
          this.state = NESTED;
          return TUPLE_MORE;
        }
        this.push(this.pending);
        return this.after(type, text);
      case NESTED:
        return this.nested(type, text);
      case CAST:
        return this.cast(type, text);
      case PIPE:
        if (type !== TOKEN_PUNCT || text !== '|') return this.syntax(type, text);
        this.concat = true;
        this.state = EXPECT;
        return TUPLE_MORE;
      default:
        if (type !== TOKEN_PUNCT) return TUPLE_MORE;
        if (text === '(') this.depth++;
        else if (text === ')' && this.depth-- === 0) return TUPLE_DONE;
        return TUPLE_MORE;
    }
  }

  private expect(type: TokenType, text: string): number {
    if (type === TOKEN_STRING) return this.push(this.literal(text), true);
    if (type === TOKEN_NUMBER || type === TOKEN_IDENT) return this.push(text);
    if (type === TOKEN_WORD) {
      // DEFAULT is no value from the source: pg_dump --inserts writes it for generated columns.
      if ((text.length === 4 || text.length === 7) && /^(?:NULL|DEFAULT)$/i.test(text)) return this.push(null);
      this.pending = text;
      this.state = text.charCodeAt(0) === 95 ? INTRO : WORD;
      return TUPLE_MORE;
    }
    if (text === '-' || text === '+' || text === '.') {
      this.pending = text === '+' ? '' : text;
      this.state = SIGN;
      return TUPLE_MORE;
    }
    if (text === '(') {
      this.expr = [[TOKEN_PUNCT, '(']];
      this.pending = '(';
      this.depth = 1;
      this.state = NESTED;
      return TUPLE_MORE;
    }
    // `()`: an empty tuple (a field count problem for the caller), but `(1,)` is malformed.
    if (text === ')' && this.values.length === 0 && !this.afterComma) return TUPLE_DONE;
    return this.syntax(type, text);
  }

  private after(type: TokenType, text: string): number {
    if (type === TOKEN_PUNCT) {
      if (text === ',') {
        this.state = EXPECT;
        this.afterComma = true;
        return TUPLE_MORE;
      }
      if (text === ')') return TUPLE_DONE;
      if (text === '|') {
        this.state = PIPE;
        return TUPLE_MORE;
      }
      if (text === '::' && this.pg) {
        this.state = CAST;
        this.depth = 0;
        return TUPLE_MORE;
      }
    }
    // Adjacent literals concatenate ('a' 'b' is 'ab' in MySQL; PostgreSQL needs a newline between).
    if (type === TOKEN_STRING && this.lastWasString && !this.tooLong) {
      const i = this.values.length - 1;
      this.values[i] = (this.values[i] ?? '') + this.literal(text);
      return TUPLE_MORE;
    }
    return this.syntax(type, text);
  }

  private nested(type: TokenType, text: string): number {
    if (type === TOKEN_PUNCT && text === '(') this.depth++;
    if (type === TOKEN_PUNCT && text === ')' && --this.depth === 0) {
      if (this.tooLong) return this.push(null);
      this.expr.push([TOKEN_PUNCT, ')']);
      const value = evaluate(this.expr);
      this.expr = [];
      return value === undefined ? this.push(this.pending + ')') : this.push(value, value !== null);
    }
    if (this.tooLong) return TUPLE_MORE;
    this.expr.push([type, type === TOKEN_STRING ? this.literal(text) : text]);
    const last = this.pending.charCodeAt(this.pending.length - 1);
    const spaced = type !== TOKEN_PUNCT && last !== 40 && last !== 46 && last !== 32;
    const piece = type === TOKEN_STRING ? `'${text.replaceAll("'", "''")}'` : type === TOKEN_PUNCT && text === ',' ? ', ' : text;
    this.pending += spaced ? ` ${piece}` : piece;
    return TUPLE_MORE;
  }

  private cast(type: TokenType, text: string): number {
    if (type !== TOKEN_PUNCT) return TUPLE_MORE;
    if (text === '(' || text === '[') this.depth++;
    else if (text === ']') this.depth--;
    else if (text === ')') {
      if (this.depth === 0) return TUPLE_DONE;
      this.depth--;
    } else if (text === ',' && this.depth === 0) {
      this.state = EXPECT;
      this.afterComma = true;
    }
    return TUPLE_MORE;
  }

  /**
   * A string token's value. Hex literals `x'4A'` read as `0x4A`, like the `0x4A` form; bit
   * literals `b'0101'` as their digits, which is how PostgreSQL's COPY writes bit columns.
   */
  private literal(text: string): string {
    const p = this.lexer.prefix;
    if (p.length === 1 && (p.charCodeAt(0) | 0x20) === 120) return `0x${text}`;
    return text;
  }

  private push(v: Cell, isString = false): number {
    if (this.concat) {
      // `a || b`: SQL's NULL absorbs the concatenation.
      this.concat = false;
      const i = this.values.length - 1;
      const a = this.values[i];
      if (!this.tooLong && a !== undefined) this.values[i] = a === null || v === null ? null : a + v;
      this.lastWasString = isString;
      this.state = AFTER;
      return TUPLE_MORE;
    }
    if (!this.tooLong) this.values.push(v);
    this.lastWasString = isString;
    this.state = AFTER;
    return TUPLE_MORE;
  }

  private syntax(type: TokenType, text: string): number {
    this.reason ??= 'syntax';
    if (type === TOKEN_PUNCT && text === ')') return TUPLE_DONE;
    this.depth = type === TOKEN_PUNCT && text === '(' ? 1 : 0;
    this.state = SKIP;
    return TUPLE_MORE;
  }
}
