/**
 * The state of the SQL dump lexer that is not about tokens: where it is in the input (lines,
 * offsets, characters held back between chunks), the bounded buffer of the current token or
 * line, and the scanning of what carries no token: comments, psql meta-commands, dollar-quoted
 * bodies and the lines of line mode (COPY data, DELIMITER blocks).
 */
import type { Dialect } from './dialect.js';

export const TOKEN_WORD = 0;
export const TOKEN_NUMBER = 1;
/** A quoted identifier: `name` in MySQL, "name" in PostgreSQL. Text is unquoted. */
export const TOKEN_IDENT = 2;
/** A string literal. Text is the decoded value; `lexer.prefix` holds an introducer. */
export const TOKEN_STRING = 3;
export const TOKEN_PUNCT = 4;
export type TokenType = 0 | 1 | 2 | 3 | 4;

/** Receives what the lexer finds, synchronously. It may switch the lexer's mode from inside. */
export interface LexSink {
  token(type: TokenType, text: string): void;
  /** A line in line mode, without its end of line; `complete` is false for a last line cut by EOF. */
  line(text: string, complete: boolean): void;
  /** End of input; `open` names a construct left unterminated. */
  end(open: 'quote' | 'comment' | null): void;
  /** A psql meta-command line (`\connect db`), backslash included; its first 256 characters. */
  command?(text: string): void;
}

/** Characters of a psql meta-command kept for `LexSink.command`. */
const COMMAND_CHARS = 256;

// Lexer states.
export const TOP = 0;
export const WORD = 1;
export const STRING = 2;
export const IDENT = 3;
export const LINE_COMMENT = 4;
export const BLOCK_COMMENT = 5;
export const DOLLAR = 6;
export const LINE = 7;
export const REST_OF_LINE = 8;

export function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36 || c >= 128;
}
export function isWordStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (c >= 128 && c !== 0xa0 && c !== 0xfeff);
}

/** Position, held-back characters and the token buffer, shared by the lexer's states. */
export abstract class Scanner {
  /** Current line (1-based). */
  line = 1;
  /** Line where the last token (or line-mode line) started. */
  tokenLine = 1;
  /** Absolute character offset just past the last token delivered. */
  at = 0;
  /** The last string token lost characters past `limit`. */
  overflow = false;
  /** Introducer glued to the last string token (`b`, `x`, `E`, `_binary`, `$`), or ''. */
  prefix = '';
  /** Strings are accumulated only while true: outside row data their text is never needed. */
  keep = false;

  protected state = TOP;
  protected carry = '';
  protected final = false;
  protected base = 0;
  protected acc = '';
  protected commentDepth = 0;
  protected dollarTag = '';
  /** The state to return to after REST_OF_LINE. */
  protected afterRestOfLine = TOP;

  constructor(
    protected readonly dialect: Dialect,
    protected readonly sink: LexSink,
    /** Longest token or line kept, in characters; longer ones are cut and flagged. */
    protected readonly limit: number,
  ) {}

  /** Characters held for the current token or line: never much more than `limit`. */
  get buffered(): number {
    return this.acc.length + this.carry.length;
  }

  /**
   * Switches to line mode. With `skipRest`, the rest of the current line is dropped first
   * (after `COPY ... FROM stdin;`); otherwise it is delivered as the first line (`DELIMITER`).
   */
  lineMode(skipRest: boolean): void {
    this.acc = '';
    this.overflow = false;
    this.tokenLine = this.line;
    if (skipRest) {
      this.state = REST_OF_LINE;
      this.afterRestOfLine = LINE;
    } else this.state = LINE;
  }

  /** Back to SQL tokens, from the next line. */
  tokenMode(): void {
    this.state = TOP;
  }

  /** Keeps chunk[i..] for the next feed: not enough characters to decide. */
  protected hold(chunk: string, i: number, n: number): number {
    if (this.final) return -1;
    this.carry = chunk.slice(i);
    return n;
  }

  protected append(s: string): void {
    if (this.overflow || !this.keep || s === '') return;
    if (this.acc.length + s.length > this.limit) this.overflow = true;
    else this.acc += s;
  }

  /** The meta-command being read (REST_OF_LINE after a backslash), or null. */
  protected command: string | null = null;

  protected restOfLine(chunk: string, i: number, n: number): number {
    const nl = chunk.indexOf('\n', i);
    if (this.command !== null && this.command.length < COMMAND_CHARS) this.command += chunk.slice(i, Math.min(nl === -1 ? n : nl, i + COMMAND_CHARS));
    if (nl === -1) return n;
    if (this.command !== null) {
      const text = this.command.slice(0, COMMAND_CHARS);
      this.command = null;
      this.sink.command?.(text);
    }
    this.line++;
    this.state = this.state === LINE_COMMENT ? TOP : this.afterRestOfLine;
    this.tokenLine = this.line;
    return nl + 1;
  }

  protected blockComment(chunk: string, i: number, n: number): number {
    const nested = this.dialect.nestedComments;
    for (; i < n; i++) {
      const c = chunk.charCodeAt(i);
      if (c === 10) {
        this.line++;
        continue;
      }
      if (c !== 42 && !(c === 47 && nested)) continue;
      if (i + 1 >= n) return this.final ? n : this.hold(chunk, i, n);
      const next = chunk.charCodeAt(i + 1);
      if (c === 42 && next === 47) {
        i++;
        if (--this.commentDepth === 0) {
          this.state = TOP;
          return i + 1;
        }
      } else if (c === 47 && next === 42) {
        i++;
        this.commentDepth++;
      }
    }
    return n;
  }

  protected dollarBody(chunk: string, i: number, n: number): number {
    const tag = this.dollarTag;
    const end = chunk.indexOf(tag, i);
    const stop = end === -1 ? Math.max(i, n - tag.length + 1) : end;
    for (let k = chunk.indexOf('\n', i); k !== -1 && k < stop; k = chunk.indexOf('\n', k + 1)) this.line++;
    this.append(chunk.slice(i, stop));
    if (end === -1) return stop < n && !this.final ? this.hold(chunk, stop, n) : n;
    this.state = TOP;
    this.prefix = '$';
    this.at = this.base + end + tag.length;
    this.sink.token(TOKEN_STRING, this.acc);
    return end + tag.length;
  }

  protected lineData(chunk: string, i: number, n: number): number {
    const nl = chunk.indexOf('\n', i);
    const stop = nl === -1 ? n : nl;
    if (this.acc.length + (stop - i) > this.limit) this.overflow = true;
    else if (stop > i) this.acc += chunk.slice(i, stop);
    if (nl === -1) return n;
    let text = this.acc;
    // CRLF files: the CR is part of the line end (a CR in COPY data is always escaped as \r).
    if (text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
    this.acc = '';
    this.at = this.base + nl + 1;
    this.sink.line(text, true);
    this.overflow = false;
    this.line++;
    this.tokenLine = this.line;
    return nl + 1;
  }
}
