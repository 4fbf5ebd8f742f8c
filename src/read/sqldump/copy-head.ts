/**
 * The statement `COPY name [(columns)] FROM stdin [options];` read token by token: which
 * table, which columns, and whether its data (the lines that follow) is in the text format.
 */
import { DEFAULT_COPY_FORMAT } from './copy.js';
import type { CopyFormat } from './copy.js';
import { TOKEN_PUNCT, TOKEN_STRING, TOKEN_WORD } from './lexer.js';
import type { TokenType } from './lexer.js';
import { MAX_COLUMNS } from '../limits.js';
import { NameReader } from './names.js';

/**
 * Reads what follows `FROM stdin` up to the `;`: the options of COPY, old and new syntax
 * (`WITH DELIMITER AS '|' NULL AS ''`, `WITH (FORMAT csv, HEADER)`, `CSV HEADER`). Only the
 * text format is read; CSV and binary are reported as unsupported.
 */
export class CopyOptions {
  format: CopyFormat = DEFAULT_COPY_FORMAT;
  supported = true;
  private pending = '';

  word(text: string): void {
    const up = text.toUpperCase();
    if (this.pending === 'FORMAT') {
      if (up !== 'TEXT') this.supported = false;
      this.pending = '';
    } else if (up === 'CSV' || up === 'BINARY') this.supported = false;
    else if (up === 'FORMAT' || up === 'DELIMITER' || up === 'NULL') this.pending = up;
    else if (up !== 'AS' && up !== 'WITH') this.pending = '';
  }

  string(text: string): void {
    if (this.pending === 'DELIMITER') {
      if (text.length === 1 && text !== '\\' && text !== '\n' && text !== '\r') this.format = { ...this.format, delimiter: text };
      else this.supported = false;
    } else if (this.pending === 'NULL') this.format = { ...this.format, nullText: text };
    this.pending = '';
  }
}

const NAME = 0;
const AFTER_NAME = 1;
const COLUMNS = 2;
const FROM = 3;
const OPTIONS = 4;
const BAD = 5;

/** Reads a COPY statement up to its `;`: table, columns, and whether data follows. */
export class CopyHead {
  readonly name = new NameReader();
  columns: string[] | null = null;
  /** `FROM stdin` was read: data lines follow the statement, up to `\.`. */
  stdin = false;
  readonly options = new CopyOptions();
  private state = NAME;

  /** Feeds a token of the statement, before its `;`. */
  token(type: TokenType, text: string): void {
    const up = type === TOKEN_WORD && text.length <= 16 ? text.toUpperCase() : '';
    switch (this.state) {
      case NAME:
      case AFTER_NAME:
        if (this.name.accept(type, text)) {
          this.state = AFTER_NAME;
          return;
        }
        if (this.state === AFTER_NAME && type === TOKEN_PUNCT && text === '(' && this.columns === null) {
          this.columns = [];
          this.state = COLUMNS;
          return;
        }
        if (this.state === AFTER_NAME && up === 'FROM') {
          this.state = FROM;
          return;
        }
        break;
      case COLUMNS:
        if (type === TOKEN_PUNCT && text === ',') return;
        if (type === TOKEN_PUNCT && text === ')') {
          this.state = AFTER_NAME;
          return;
        }
        if (type !== TOKEN_PUNCT && type !== TOKEN_STRING && this.columns!.length < MAX_COLUMNS) {
          this.columns!.push(text);
          return;
        }
        break;
      case FROM:
        if (up === 'STDIN') {
          this.stdin = true;
          this.state = OPTIONS;
          return;
        }
        break;
      case OPTIONS:
        if (type === TOKEN_WORD) this.options.word(text);
        else if (type === TOKEN_STRING) this.options.string(text);
        return;
      default:
        break;
    }
    // Not understood (COPY FROM a file, TO stdout, a query): if its data follows anyway, it
    // must be skipped, not read as SQL.
    this.state = BAD;
    this.options.supported = false;
    if (up === 'STDIN') this.stdin = true;
  }
}
