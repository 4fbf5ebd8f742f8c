/**
 * The statement level of a dump: which statements carry data (INSERT, REPLACE, COPY), which
 * give column names (CREATE TABLE), and which are skipped (SET, LOCK, ALTER, comments ...).
 * Driven by the lexer's tokens; keeps no statement in memory.
 */
import { VigieError } from '../../errors.js';
import type { SourceFormat } from '../types.js';
import { CopyHead } from './copy-head.js';
import { decodeCopyLine } from './copy.js';
import type { CopyFormat } from './copy.js';
import type { Dialect } from './dialect.js';
import { SqlLexer, TOKEN_IDENT, TOKEN_PUNCT, TOKEN_STRING, TOKEN_WORD } from './lexer.js';
import type { LexSink, TokenType } from './lexer.js';
import { MAX_COLUMNS } from '../limits.js';
import { CreateTableBody, NameReader } from './names.js';
import { TableEmitter } from './tables.js';
import { TUPLE_ABORT, TUPLE_DONE, TupleReader } from './tuples.js';

const START = 0;
const SKIP = 1;
const CREATE = 2; // CREATE [TEMPORARY ...] before TABLE
const CREATE_TABLE = 3; // after TABLE: [IF NOT EXISTS] name
const CREATE_BODY = 4;
const INSERT = 5; // INSERT [IGNORE] [INTO] before the name
const INSERT_AFTER_NAME = 6;
const INSERT_COLUMNS = 7;
const INSERT_ALIAS = 8;
const INSERT_OVERRIDING = 9;
const ROWS_EXPECT = 10; // `(` of a tuple is due
const TUPLE = 11;
const ROWS_AFTER = 12; // after a tuple: `,` or `;`
const COPY = 13; // COPY before its `;`
const COPY_DATA = 14; // line mode
const COPY_UNSUPPORTED = 15; // line mode: CSV or binary COPY data
const DELIMITER = 16; // line mode: the rest of a DELIMITER line
const DELIMITER_BLOCK = 17; // line mode: routine bodies until `DELIMITER ;`
const USE = 18; // MySQL's USE, before the database's name

/** First words of the statements dumps are made of: one of these makes the text a dump. */
const STATEMENTS = new Set(
  (
    'SET SELECT CREATE ALTER DROP INSERT REPLACE COPY LOCK UNLOCK USE DELIMITER BEGIN START COMMIT ' +
    'ROLLBACK TRUNCATE DELETE UPDATE GRANT REVOKE COMMENT SAVEPOINT RELEASE ANALYZE VACUUM ' +
    'REFRESH SECURITY RESET DO WITH FLUSH RENAME CALL SHOW REINDEX CLUSTER DECLARE PRAGMA'
  ).split(' '),
);
const INSERT_MODIFIERS = new Set(['INTO', 'IGNORE', 'LOW_PRIORITY', 'DELAYED', 'HIGH_PRIORITY']);
const CREATE_MODIFIERS = new Set(['TEMPORARY', 'TEMP', 'UNLOGGED', 'GLOBAL', 'LOCAL', 'OR', 'REPLACE']);
const END_DELIMITER_BLOCK = /^\s*DELIMITER\s+;\s*$/i;
/**
 * A string still open at the end of input across this many lines swallowed the rest of the dump
 * (a wrong reading of its escapes, or a cut file): records were lost, so it is an error.
 */
const SWALLOW_LINES = 20;
/**
 * MySQL's and MariaDB's own databases (`mysqldump --all-databases` writes `mysql`; the others
 * when asked): accounts, privileges, time zones and the help text, not people.
 */
const MYSQL_SYSTEM = new Set(['mysql', 'sys', 'performance_schema', 'information_schema']);
/** psql's `\connect [-reuse-previous=on] db` (or `\c`): the database, quoted or bare. */
const CONNECT = /^\\c(?:onnect)?\s+(?:-reuse-previous=\S+\s+)?(?:"((?:[^"]|"")*)"|(\S+))/;
/** Tables SQLite keeps for itself (schema name `main.` allowed). */
const SQLITE_INTERNAL = /^(?:main\.)?sqlite_(?:sequence|stat\d|schema|master)$/;

export interface ParserOptions {
  dialect: Dialect;
  file: string;
  format: SourceFormat;
  batchSize: number;
  maxRecordChars: number;
  /** Added to every table event's meta (how the dialect was decided). */
  meta?: Record<string, string>;
}

function upper(type: TokenType, text: string): string {
  return type === TOKEN_WORD && text.length <= 16 ? text.toUpperCase() : '';
}

/**
 * Receives the lexer's tokens and lines and turns them into table events. Build it, feed
 * `parser.lexer`, drain `parser.tables` after each chunk, call `parser.lexer.end()` at the end.
 */
export class DumpParser implements LexSink {
  readonly lexer: SqlLexer;
  readonly tables: TableEmitter;
  private readonly pg: boolean;
  private readonly mysql: boolean;
  /** SQL Server scripts: statements end at a `GO` line as well as at `;`. */
  private readonly go: boolean;
  private readonly sqlite: boolean;
  private readonly file: string;
  private state = START;
  private recognised = false;
  /** Column names from CREATE TABLE, by table key. */
  private readonly created = new Map<string, string[]>();
  private readonly name = new NameReader();
  private columns: string[] | null = null;
  private create: CreateTableBody | null = null;
  private overriding = 0;
  private readonly tuple: TupleReader;
  private copy = new CopyHead();
  private copyFormat: CopyFormat = this.copy.options.format;
  private copyReported = false;
  /** The database of the last MySQL `USE` or psql `\connect`, which the tables after it belong to ('' before any). */
  private database = '';

  constructor(opts: ParserOptions) {
    this.pg = opts.dialect.family === 'pg';
    this.mysql = opts.dialect.family === 'mysql';
    this.go = opts.dialect.name === 'sqlserver';
    this.sqlite = opts.dialect.name === 'sqlite';
    this.file = opts.file;
    this.lexer = new SqlLexer(opts.dialect, this, opts.maxRecordChars);
    this.tables = new TableEmitter(opts.file, opts.format, opts.batchSize, opts.meta);
    this.tuple = new TupleReader(this.lexer, opts.maxRecordChars, this.pg);
  }

  /** The columns of each CREATE TABLE read so far, by table key (`NameReader.key`). */
  get createdColumns(): ReadonlyMap<string, string[]> {
    return this.created;
  }

  /** Whether a dump statement has been read (`end` refuses an input without one). */
  get statementSeen(): boolean {
    return this.recognised;
  }

  token(type: TokenType, text: string): void {
    const semicolon = type === TOKEN_PUNCT && text === ';';
    switch (this.state) {
      case START:
        return this.start(type, text);
      case SKIP:
        if (semicolon || (this.go && upper(type, text) === 'GO')) this.state = START;
        return;
      case USE:
        if (type === TOKEN_IDENT || type === TOKEN_WORD) this.database = text;
        this.state = semicolon ? START : SKIP;
        return;
      case CREATE: {
        const up = upper(type, text);
        if (CREATE_MODIFIERS.has(up)) return;
        this.state = up === 'TABLE' ? CREATE_TABLE : semicolon ? START : SKIP;
        // The text of a quoted name is only kept on demand (see below).
        if (this.sqlite && this.state === CREATE_TABLE) this.lexer.keep = true;
        this.name.reset();
        return;
      }
      case CREATE_TABLE: {
        const up = upper(type, text);
        if (this.name.empty && (up === 'IF' || up === 'NOT' || up === 'EXISTS')) return;
        // SQLite takes a quoted string for a name there: `.dump` writes `CREATE TABLE IF NOT EXISTS 'f_data'(...)`.
        if (this.name.accept(this.sqlite && type === TOKEN_STRING && this.name.empty ? TOKEN_IDENT : type, text)) return;
        this.lexer.keep = false;
        if (!this.name.empty && type === TOKEN_PUNCT && text === '(') {
          this.create = new CreateTableBody(!this.mysql);
          this.state = CREATE_BODY;
        } else this.state = semicolon ? START : SKIP; // CREATE TABLE ... AS SELECT, LIKE, PARTITION OF
        return;
      }
      case CREATE_BODY:
        if (this.create!.token(type, text)) {
          // SQLite's `.dump` leaves generated columns out of its INSERTs; MariaDB's and pg_dump's
          // --inserts give them a value (or DEFAULT), and COPY names its columns.
          const columns = this.sqlite ? this.create!.storedColumns : this.create!.columns;
          if (columns.length > 0) this.created.set(this.tableKey(), columns);
          this.create = null;
          this.state = SKIP;
        }
        return;
      case INSERT:
        if (INSERT_MODIFIERS.has(upper(type, text))) return;
        this.name.reset();
        this.columns = null;
        this.state = this.name.accept(type, text) ? INSERT_AFTER_NAME : semicolon ? START : SKIP;
        return;
      case INSERT_AFTER_NAME:
        return this.insertAfterName(type, text);
      case INSERT_COLUMNS:
        if (!this.readColumn(type, text)) this.state = type === TOKEN_PUNCT && text === ')' ? INSERT_AFTER_NAME : SKIP;
        return;
      case INSERT_ALIAS:
        this.state = semicolon ? START : INSERT_AFTER_NAME;
        return;
      case INSERT_OVERRIDING: // OVERRIDING {SYSTEM | USER} VALUE
        if (semicolon) this.state = START;
        else if (++this.overriding === 2) this.state = INSERT_AFTER_NAME;
        return;
      case ROWS_EXPECT:
      case ROWS_AFTER:
        return this.rows(type, text);
      case TUPLE:
        return this.inTuple(type, text);
      case COPY:
        if (!semicolon) this.copy.token(type, text);
        else if (this.copy.stdin) this.startCopyData();
        else {
          this.lexer.keep = false;
          this.state = START;
        }
        return;
      default:
        return;
    }
  }

  line(text: string, complete: boolean): void {
    const lx = this.lexer;
    switch (this.state) {
      case COPY_DATA:
      case COPY_UNSUPPORTED:
        if (text === '\\.' && complete) {
          lx.tokenMode();
          this.tables.flush();
          this.state = START;
        } else if (!complete) {
          this.copyReported = true;
          this.tables.skip('truncated', lx.tokenLine);
        } else if (lx.overflow) this.tables.skip('record too long', lx.tokenLine);
        else if (this.state === COPY_UNSUPPORTED) this.tables.skip('unsupported COPY format', lx.tokenLine);
        else this.tables.row(decodeCopyLine(text, this.copyFormat), lx.tokenLine);
        return;
      case DELIMITER:
        if (text.trim() === ';') {
          lx.tokenMode();
          this.state = START;
        } else {
          // Routine bodies hold no records: the rows before them go out now, so that the
          // report sees where records stopped (ingest warns when a file's tail gave none).
          this.tables.flush();
          this.state = DELIMITER_BLOCK;
        }
        return;
      case DELIMITER_BLOCK:
        if (END_DELIMITER_BLOCK.test(text)) {
          lx.tokenMode();
          this.state = START;
        }
        return;
      default:
        return;
    }
  }

  end(open: 'quote' | 'comment' | null): void {
    const lx = this.lexer;
    const t = this.tables;
    const span = lx.line - lx.tokenLine;
    if (open === 'quote' && span >= SWALLOW_LINES && this.recognised) {
      t.flush();
      throw new VigieError(
        'VIGIE_TRUNCATED',
        `a quoted string opened on line ${lx.tokenLine} never closes: the ${span} lines after it would be one value, and their records lost`,
        { position: { file: this.file, line: lx.tokenLine } },
      );
    }
    if (this.state === TUPLE) {
      const reason = open === 'quote' ? 'unclosed quote' : this.tuple.tooLong ? 'record too long' : 'truncated';
      t.skip(reason, this.tuple.line);
    } else if (this.state === ROWS_EXPECT || this.state === ROWS_AFTER) {
      t.skip('truncated', lx.line);
    } else if (this.state === COPY_DATA || this.state === COPY_UNSUPPORTED) {
      // No `\.`: the block was cut; rows after the last complete line are lost.
      if (!this.copyReported) t.skip('truncated', lx.line);
    } else if (open !== null && this.recognised) {
      const reason = open === 'quote' ? 'unclosed quote' : 'unclosed comment';
      if (!t.started) {
        throw new VigieError('VIGIE_TRUNCATED', `${reason} before any table data`, {
          position: { file: this.file, line: lx.tokenLine },
        });
      }
      t.orphanSkip(reason, lx.tokenLine);
    }
    t.flush();
    if (!this.recognised) {
      throw new VigieError('VIGIE_BAD_FORMAT', 'no SQL dump statement found', { position: { file: this.file, line: lx.line } });
    }
  }

  private start(type: TokenType, text: string): void {
    const up = upper(type, text);
    if (this.go && up === 'GO') return;
    if (up === '' || !STATEMENTS.has(up)) {
      if (!(type === TOKEN_PUNCT && text === ';')) this.state = SKIP;
      return;
    }
    this.recognised = true;
    if (up === 'USE' && this.mysql) this.state = USE;
    else if (up === 'INSERT' || up === 'REPLACE') this.state = INSERT;
    else if (up === 'CREATE') this.state = CREATE;
    else if (up === 'COPY' && this.pg) {
      this.copy = new CopyHead();
      this.lexer.keep = true; // for the strings of its options
      this.state = COPY;
    } else if (up === 'DELIMITER' && this.mysql) {
      this.state = DELIMITER;
      this.lexer.lineMode(false);
    } else this.state = SKIP;
  }

  private insertAfterName(type: TokenType, text: string): void {
    if (this.name.accept(type, text)) return;
    const up = upper(type, text);
    if (type === TOKEN_PUNCT && text === '(' && this.columns === null) {
      this.columns = [];
      this.state = INSERT_COLUMNS;
    } else if (this.sqlite && SQLITE_INTERNAL.test(this.name.key)) {
      // SQLite's own bookkeeping (`sqlite_sequence`, `sqlite_stat1`): counters, not records.
      this.state = SKIP;
    } else if (this.mysql && this.systemTable()) {
      // Not read, and named in the report: its rows would count help topics as people.
      this.tables.passOver(this.tableDisplay(), `${this.databaseOf()} is MySQL's own system database`);
      this.state = SKIP;
    } else if (up === 'VALUES' || (up === 'VALUE' && this.mysql)) {
      const created = this.created.get(this.tableKey());
      const from = this.columns !== null ? 'INSERT' : 'CREATE TABLE';
      this.tables.setTarget(this.tableDisplay(), this.columns ?? created ?? null, from, 'INSERT');
      this.state = ROWS_EXPECT;
    } else if (up === 'AS') this.state = INSERT_ALIAS;
    else if (up === 'OVERRIDING') {
      this.overriding = 0;
      this.state = INSERT_OVERRIDING;
    } else this.state = type === TOKEN_PUNCT && text === ';' ? START : SKIP; // INSERT ... SELECT / SET / DEFAULT VALUES
  }

  /**
   * A table's name as reports show it: with its database when a MySQL `USE` or a psql
   * `\connect` set one (`--all-databases`, `--databases` and `pg_dumpall` dumps hold several,
   * and their tables may share names). A MySQL name qualified by its database stays as written.
   */
  private tableDisplay(name: NameReader = this.name): string {
    return this.database !== '' && !(this.mysql && name.qualified) ? `${this.database}.${name.display}` : name.display;
  }

  /** A table's name as a key of `created`: two databases' tables of one name kept apart. */
  private tableKey(name: NameReader = this.name): string {
    return this.database !== '' && !(this.mysql && name.qualified) ? `${this.database}.${name.key}` : name.key;
  }

  /** `\connect db` (pg_dumpall writes one per database): the database of the tables after it. */
  command(text: string): void {
    if (!this.pg) return;
    const m = CONNECT.exec(text);
    if (m === null) return;
    const arg = m[1] !== undefined ? m[1].replaceAll('""', '"') : (m[2] ?? '');
    // `-reuse-previous=on "dbname='a b'"`: a connection string, for a name psql could not take bare.
    const conn = /(?:^|\s)dbname='((?:[^'\\]|\\.)*)'/.exec(arg);
    this.database = conn ? (conn[1] ?? '').replace(/\\(.)/g, '$1') : arg;
  }

  /** The database the name just read belongs to: its own qualifier, else the last `USE`'s. */
  private databaseOf(): string {
    return this.name.qualified ? this.name.qualifier : this.database;
  }

  private systemTable(): boolean {
    return MYSQL_SYSTEM.has(this.databaseOf().toLowerCase());
  }

  /** A column of an INSERT or COPY list; false at anything else. */
  private readColumn(type: TokenType, text: string): boolean {
    if (type === TOKEN_PUNCT) return text === ',';
    if (type === TOKEN_STRING || this.columns!.length >= MAX_COLUMNS) return false;
    this.columns!.push(text);
    return true;
  }

  private rows(type: TokenType, text: string): void {
    if (type === TOKEN_PUNCT) {
      if (text === '(') {
        // `(1,2) (3,4)`: a missing comma is forgiven, the tuple is what matters.
        this.tuple.begin();
        this.lexer.keep = true;
        this.state = TUPLE;
        return;
      }
      if (text === ',' && this.state === ROWS_AFTER) {
        this.state = ROWS_EXPECT;
        return;
      }
      if (text === ';') {
        this.state = START;
        return;
      }
    }
    if (this.state === ROWS_AFTER && type === TOKEN_WORD && (STATEMENTS.has(upper(type, text)) || (this.go && upper(type, text) === 'GO'))) {
      // A statement without its `;` (SQL Server scripts end statements with a line break).
      this.state = START;
      this.start(type, text);
      return;
    }
    this.state = SKIP; // ON DUPLICATE KEY UPDATE, ON CONFLICT, RETURNING; or VALUES ROW(...)
  }

  private inTuple(type: TokenType, text: string): void {
    const r = this.tuple.token(type, text);
    if (r !== TUPLE_DONE && r !== TUPLE_ABORT) return;
    this.lexer.keep = false;
    const tu = this.tuple;
    if (tu.tooLong) this.tables.skip('record too long', tu.line);
    else if (tu.reason !== null) this.tables.skip(tu.reason, tu.line);
    else this.tables.row(tu.values, tu.line);
    this.state = r === TUPLE_DONE ? ROWS_AFTER : START;
  }

  private startCopyData(): void {
    const lx = this.lexer;
    const head = this.copy;
    lx.keep = false;
    lx.lineMode(true);
    this.copyReported = false;
    this.copyFormat = head.options.format;
    const display = head.name.empty ? '(COPY)' : this.tableDisplay(head.name);
    if (head.options.supported) {
      const created = this.created.get(this.tableKey(head.name));
      const from = head.columns !== null ? 'COPY' : 'CREATE TABLE';
      this.tables.setTarget(display, head.columns ?? created ?? null, from, 'COPY');
      this.state = COPY_DATA;
    } else {
      this.tables.setTarget(display, null, 'COPY', 'COPY');
      this.state = COPY_UNSUPPORTED;
    }
  }
}
