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

  /** Whether the name has a qualifier (`db.t`, `schema.t`). */
  get qualified(): boolean {
    return this.parts.length > 1;
  }

  /** The qualifier as written (`db` of `db.t`), '' when there is none. */
  get qualifier(): string {
    return this.parts.slice(0, -1).join('.');
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
  /** Indexes in `columns` of generated columns (`c TEXT [GENERATED ALWAYS] AS (expr)`). */
  readonly generated = new Set<number>();
  private depth = 1;
  private elementStart = true;
  /** The element being read is a column, and its last token at depth 1 was the word `AS`. */
  private inColumn = false;
  private afterAs = false;
  private readonly notColumns: Set<string>;

  constructor(pg: boolean) {
    this.notColumns = pg ? PG_NOT_COLUMNS : MYSQL_NOT_COLUMNS;
  }

  /** Feeds a token; true once the closing parenthesis is read. */
  token(type: TokenType, text: string): boolean {
    const afterAs = this.afterAs;
    this.afterAs = false;
    if (type === TOKEN_PUNCT) {
      if (text === '(') {
        // `AS (` at the column's own level: its value is computed, not stored (`AS IDENTITY` is).
        if (afterAs && this.depth === 1 && this.inColumn) this.generated.add(this.columns.length - 1);
        this.depth++;
      } else if (text === ')') {
        if (--this.depth === 0) return true;
      } else if (text === ',' && this.depth === 1) {
        this.elementStart = true;
        this.inColumn = false;
        return false;
      }
      this.elementStart = false;
      return false;
    }
    if (this.elementStart && this.depth === 1) {
      this.elementStart = false;
      const column = type === TOKEN_IDENT || type === TOKEN_NUMBER || (type === TOKEN_WORD && !this.notColumns.has(text.toUpperCase()));
      if (column && this.columns.length < MAX_COLUMNS) {
        this.columns.push(text);
        this.inColumn = true;
      }
    } else if (this.depth === 1 && type === TOKEN_WORD && text.length === 2 && text.toUpperCase() === 'AS') this.afterAs = true;
    return false;
  }

  /** The columns an INSERT without a column list gives values for, when generated ones are left out (SQLite's `.dump`). */
  get storedColumns(): string[] {
    return this.generated.size === 0 ? this.columns : this.columns.filter((_, i) => !this.generated.has(i));
  }
}
