/**
 * Qualified names (`schema.table`, `` `db`.`t` ``) and the column lists of CREATE TABLE,
 * read token by token.
 */
import { TOKEN_IDENT, TOKEN_NUMBER, TOKEN_PUNCT, TOKEN_WORD } from './lexer.js';
import type { TokenType } from './lexer.js';
import { MAX_COLUMNS } from '../limits.js';

/** Reads a possibly qualified name; `accept` each token until it returns false. */
export class NameReader {
  private parts: string[] = [];
  private keys: string[] = [];
  private dot = false;

  reset(): void {
    this.parts = [];
    this.keys = [];
    this.dot = false;
  }

  get empty(): boolean {
    return this.parts.length === 0;
  }

  /** The name as written, quotes removed: `public.clients`, `Clients`. */
  get display(): string {
    return this.parts.join('.');
  }

  /** For matching CREATE TABLE to INSERT/COPY: unquoted parts are case-insensitive in both engines. */
  get key(): string {
    return this.keys.join('.');
  }

  /** Takes the token if it continues the name; false when the name is complete (or absent). */
  accept(type: TokenType, text: string): boolean {
    if (this.parts.length === 0 || this.dot) {
      if (type !== TOKEN_WORD && type !== TOKEN_IDENT && type !== TOKEN_NUMBER) return false;
      this.parts.push(text);
      this.keys.push(type === TOKEN_IDENT ? text : text.toLowerCase());
      this.dot = false;
      return true;
    }
    if (type === TOKEN_PUNCT && text === '.') {
      this.dot = true;
      return true;
    }
    return false;
  }
}

/**
 * Words that open a table element other than a column. MySQL dumps quote every column name,
 * so an unquoted word there is a keyword; pg_dump quotes only reserved words, and columns
 * named `key` or `index` are written bare, so only reserved words count.
 */
const MYSQL_NOT_COLUMNS = new Set(['PRIMARY', 'KEY', 'INDEX', 'UNIQUE', 'CONSTRAINT', 'FOREIGN', 'FULLTEXT', 'SPATIAL', 'CHECK', 'PERIOD', 'VECTOR']);
const PG_NOT_COLUMNS = new Set(['CONSTRAINT', 'CHECK', 'UNIQUE', 'PRIMARY', 'FOREIGN', 'EXCLUDE', 'LIKE']);

/** Reads the body of `CREATE TABLE name ( ... )` after its opening parenthesis. */
export class CreateTableBody {
  columns: string[] = [];
  private depth = 1;
  private elementStart = true;
  private readonly notColumns: Set<string>;

  constructor(pg: boolean) {
    this.notColumns = pg ? PG_NOT_COLUMNS : MYSQL_NOT_COLUMNS;
  }

  /** Feeds a token; true once the closing parenthesis is read. */
  token(type: TokenType, text: string): boolean {
    if (type === TOKEN_PUNCT) {
      if (text === '(') this.depth++;
      else if (text === ')') {
        if (--this.depth === 0) return true;
      } else if (text === ',' && this.depth === 1) {
        this.elementStart = true;
        return false;
      }
      this.elementStart = false;
      return false;
    }
    if (this.elementStart && this.depth === 1) {
      this.elementStart = false;
      const column = type === TOKEN_IDENT || type === TOKEN_NUMBER || (type === TOKEN_WORD && !this.notColumns.has(text.toUpperCase()));
      if (column && this.columns.length < MAX_COLUMNS) this.columns.push(text);
    }
    return false;
  }
}
