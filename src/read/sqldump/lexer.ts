/**
 * A push tokenizer for SQL dump text, fed decoded chunks of any size (a token may straddle
 * chunks). It never holds more than one token, bounded by `limit`, so a multi-megabyte INSERT
 * line costs no more memory than its largest value. It also has a line mode for data that is
 * not SQL: the rows of `COPY ... FROM stdin` and MySQL `DELIMITER` blocks.
 */
import {
  BLOCK_COMMENT,
  DOLLAR,
  IDENT,
  LINE,
  LINE_COMMENT,
  REST_OF_LINE,
  Scanner,
  STRING,
  TOKEN_IDENT,
  TOKEN_NUMBER,
  TOKEN_PUNCT,
  TOKEN_STRING,
  TOKEN_WORD,
  TOP,
  WORD,
  isWordChar,
  isWordStart,
} from './scanner.js';

export { TOKEN_IDENT, TOKEN_NUMBER, TOKEN_PUNCT, TOKEN_STRING, TOKEN_WORD } from './scanner.js';
export type { LexSink, TokenType } from './scanner.js';

/** The longest `$tag$` accepted; past it a `$` is an ordinary character. */
const MAX_DOLLAR_TAG = 64;

/** The SQL dump tokenizer: `feed` chunks, then `end`; tokens and lines go to the sink. */
export class SqlLexer extends Scanner {
  private quote = 0;
  private escapes = false;
  private escNext = false;
  private sawBackslash = false;
  private wordIsNumber = false;
  /** In a number: 0 mantissa digits and dots, 1 right after its exponent letter, 2 past that. */
  private numState = 0;

  feed(input: string): void {
    const chunk = this.carry === '' ? input : this.carry + input;
    this.carry = '';
    const n = chunk.length;
    let i = 0;
    while (i < n && this.carry === '') {
      switch (this.state) {
        case TOP:
          i = this.top(chunk, i, n);
          break;
        case WORD:
          i = this.word(chunk, i, n);
          break;
        case STRING:
          i = this.string(chunk, i, n);
          break;
        case IDENT:
          i = this.ident(chunk, i, n);
          break;
        case LINE_COMMENT:
        case REST_OF_LINE:
          i = this.restOfLine(chunk, i, n);
          break;
        case BLOCK_COMMENT:
          i = this.blockComment(chunk, i, n);
          break;
        case DOLLAR:
          i = this.dollarBody(chunk, i, n);
          break;
        default:
          i = this.lineData(chunk, i, n);
          break;
      }
    }
    this.base += n - this.carry.length;
  }

  /** Ends the input: flushes a pending token and tells the sink what was left open. */
  end(): void {
    this.final = true;
    if (this.carry !== '') this.feed('');
    let open: 'quote' | 'comment' | null = null;
    if (this.state === WORD) this.emitWord(this.acc);
    else if (this.state === STRING || this.state === IDENT || this.state === DOLLAR) open = 'quote';
    else if (this.state === BLOCK_COMMENT) open = 'comment';
    else if (this.state === LINE && (this.acc !== '' || this.overflow)) {
      this.at = this.base;
      this.sink.line(this.acc, false);
    }
    this.sink.end(open);
  }

  private top(chunk: string, i: number, n: number): number {
    const d = this.dialect;
    for (; i < n; i++) {
      const c = chunk.charCodeAt(i);
      if (c === 10) {
        this.line++;
        continue;
      }
      if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11 || c === 0xa0 || c === 0xfeff) continue;
      this.tokenLine = this.line;
      if (isWordStart(c) || (c >= 48 && c <= 57)) {
        this.state = WORD;
        this.acc = '';
        this.overflow = false;
        this.wordIsNumber = c <= 57;
        this.numState = 0;
        return i;
      }
      if (c === 39 || (c === 34 && d.doubleQuoteStrings)) return this.openString(c, '', i + 1);
      if (c === d.identQuote || (c === 91 && d.bracketIdents)) {
        this.state = IDENT;
        this.quote = c === 91 ? 93 : c;
        this.acc = '';
        this.overflow = false;
        return i + 1;
      }
      const next = i + 1 < n ? chunk.charCodeAt(i + 1) : -1;
      // Two-character tokens: wait for the second character rather than guess.
      if (next === -1 && (c === 45 || c === 47 || c === 58 || c === 36) && this.hold(chunk, i, n) === n) return n;
      if (c === 45 && next === 45) {
        this.state = LINE_COMMENT;
        return i + 2;
      }
      if (c === 35 && d.hashComments) {
        this.state = LINE_COMMENT;
        return i + 1;
      }
      if (c === 47 && next === 42) {
        this.state = BLOCK_COMMENT;
        this.commentDepth = 1;
        return i + 2;
      }
      if (c === 58 && next === 58) {
        this.at = this.base + i + 2;
        this.sink.token(TOKEN_PUNCT, '::');
        return i + 2;
      }
      if (c === 92 && d.backslashCommands) {
        // A psql meta-command (\connect, \restrict ...): it runs to the end of the line.
        this.state = REST_OF_LINE;
        this.afterRestOfLine = TOP;
        this.command = '\\';
        return i + 1;
      }
      if (c === 36 && d.dollarQuotes) {
        const j = this.dollarOpen(chunk, i, n);
        if (j !== i) return j;
      }
      this.at = this.base + i + 1;
      this.sink.token(TOKEN_PUNCT, chunk[i]!);
      return i + 1;
    }
    return n;
  }

  /** `$tag$` opens a dollar-quoted string (PostgreSQL function bodies). Returns i if it does not. */
  private dollarOpen(chunk: string, i: number, n: number): number {
    let j = i + 1;
    while (j < n && j - i <= MAX_DOLLAR_TAG) {
      const c = chunk.charCodeAt(j);
      if (c === 36) {
        this.dollarTag = chunk.slice(i, j + 1);
        this.state = DOLLAR;
        this.acc = '';
        this.overflow = false;
        return j + 1;
      }
      // A tag is an identifier without a leading digit; `$1` is a parameter.
      if (!isWordChar(c) || c === 36 || (j === i + 1 && c >= 48 && c <= 57)) return i;
      j++;
    }
    if (j >= n && j - i <= MAX_DOLLAR_TAG) {
      const held = this.hold(chunk, i, n);
      if (held === n) return n;
    }
    return i;
  }

  private openString(quote: number, prefix: string, i: number): number {
    const d = this.dialect;
    this.state = STRING;
    this.quote = quote;
    this.prefix = prefix;
    this.escapes = d.backslashStrings || prefix === 'E' || prefix === 'e';
    this.escNext = false;
    this.sawBackslash = false;
    this.acc = '';
    this.overflow = false;
    return i;
  }

  private word(chunk: string, i: number, n: number): number {
    const start = i;
    const num = this.wordIsNumber;
    for (; i < n; i++) {
      const c = chunk.charCodeAt(i);
      if (isWordChar(c)) {
        // Track `1.5e-3`: a sign may follow the exponent letter of a decimal mantissa only.
        if (num) this.numState = this.numState === 0 ? ((c | 0x20) === 101 ? 1 : c >= 48 && c <= 57 ? 0 : 2) : 2;
        continue;
      }
      if (num && c === 46) {
        if (this.numState === 1) this.numState = 2;
        continue;
      }
      if (num && (c === 43 || c === 45) && this.numState === 1) {
        this.numState = 2;
        continue;
      }
      break;
    }
    let text = this.acc;
    if (i > start) {
      if (text.length + (i - start) > this.limit) this.overflow = true;
      else text += chunk.slice(start, i);
    }
    if (i === n && !this.final) {
      this.acc = text;
      return n;
    }
    if (i < n && chunk.charCodeAt(i) === 39 && this.dialect.isStringPrefix(text)) {
      this.state = TOP;
      return this.openString(39, text, i + 1);
    }
    this.state = TOP;
    this.at = this.base + i;
    this.emitWord(text);
    return i;
  }

  private emitWord(text: string): void {
    this.state = TOP;
    this.sink.token(this.wordIsNumber ? TOKEN_NUMBER : TOKEN_WORD, text);
  }

  private string(chunk: string, i: number, n: number): number {
    const q = this.quote;
    const escapes = this.escapes;
    let run = i;
    for (; i < n; i++) {
      const c = chunk.charCodeAt(i);
      if (this.escNext) {
        this.escNext = false;
        if (c === 10) this.line++;
        continue;
      }
      if (c === q) {
        if (i + 1 >= n && !this.final) {
          // Is it closing, or the first of a doubled quote? The next chunk will tell.
          this.append(chunk.slice(run, i));
          return this.hold(chunk, i, n);
        }
        if (i + 1 < n && chunk.charCodeAt(i + 1) === q) {
          this.append(chunk.slice(run, i + 1));
          i++;
          run = i + 1;
          continue;
        }
        this.append(chunk.slice(run, i));
        this.state = TOP;
        this.at = this.base + i + 1;
        const text = this.sawBackslash && this.keep ? this.dialect.decodeEscapes(this.acc) : this.acc;
        this.sink.token(TOKEN_STRING, text);
        return i + 1;
      }
      if (c === 92 && escapes) {
        this.sawBackslash = true;
        this.escNext = true;
      } else if (c === 10) this.line++;
    }
    this.append(chunk.slice(run, n));
    return n;
  }

  private ident(chunk: string, i: number, n: number): number {
    const q = this.quote;
    let run = i;
    const keep = this.keep;
    this.keep = true;
    try {
      for (; i < n; i++) {
        const c = chunk.charCodeAt(i);
        if (c === 10) this.line++;
        if (c !== q) continue;
        if (i + 1 >= n && !this.final) {
          this.append(chunk.slice(run, i));
          return this.hold(chunk, i, n);
        }
        if (i + 1 < n && chunk.charCodeAt(i + 1) === q) {
          this.append(chunk.slice(run, i + 1));
          i++;
          run = i + 1;
          continue;
        }
        this.append(chunk.slice(run, i));
        this.state = TOP;
        this.at = this.base + i + 1;
        this.sink.token(TOKEN_IDENT, this.acc);
        return i + 1;
      }
      this.append(chunk.slice(run, n));
      return n;
    } finally {
      this.keep = keep;
    }
  }
}
