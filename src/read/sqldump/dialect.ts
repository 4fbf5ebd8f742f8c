/**
 * What differs between the MySQL/MariaDB and PostgreSQL lexical rules, as far as dumps need.
 */

export interface Dialect {
  /** `mysql-ansi`: MySQL rules with ANSI_QUOTES (`mysqldump --compatible=ansi`). */
  name: 'mysql' | 'mysql-ansi' | 'pg' | 'sqlite' | 'sqlserver';
  /** Whose statements: MySQL (DELIMITER, `VALUE`), PostgreSQL (COPY, `::` casts) or standard SQL. */
  family: 'mysql' | 'pg' | 'standard';
  /** Every quoted string takes backslash escapes (MySQL); otherwise only E'...' (PostgreSQL). */
  backslashStrings: boolean;
  /** `"` quotes a string (MySQL outside ANSI_QUOTES) rather than an identifier. */
  doubleQuoteStrings: boolean;
  /** Character code that quotes identifiers: backquote (MySQL) or double quote (PostgreSQL). */
  identQuote: number;
  /** `[name]` quotes identifiers too (SQLite, SQL Server). */
  bracketIdents: boolean;
  hashComments: boolean;
  /** PostgreSQL block comments nest. */
  nestedComments: boolean;
  dollarQuotes: boolean;
  /** psql meta-commands (`\connect`, `\restrict`) run from a backslash to the end of the line. */
  backslashCommands: boolean;
  /** A word glued to a quote that introduces a string: `b'01'`, `x'4A'`, `_binary'..'`, `E'..'`. */
  isStringPrefix(word: string): boolean;
  /** Decodes a string body that contained backslashes (only called when it did). */
  decodeEscapes(raw: string): string;
}

/**
 * MySQL string escapes (MySQL 8.0 reference manual, 11.1.1 "String Literals", table 11.1).
 * `\%` and `\_` keep their backslash outside pattern contexts; any other escaped character
 * stands for itself.
 */
export function decodeMysqlEscapes(raw: string): string {
  let out = '';
  let run = 0;
  for (let i = raw.indexOf('\\'); i !== -1 && i < raw.length - 1; i = raw.indexOf('\\', run)) {
    out += raw.slice(run, i);
    const c = raw[i + 1]!;
    switch (c) {
      case '0':
        out += '\0';
        break;
      case 'b':
        out += '\b';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'Z':
        out += '\x1a';
        break;
      case '%':
        out += '\\%';
        break;
      case '_':
        out += '\\_';
        break;
      default:
        out += c;
    }
    run = i + 2;
  }
  return out + raw.slice(run);
}

const HEX = /^[0-9a-fA-F]$/;
const OCT = /^[0-7]$/;
const utf8 = new TextDecoder('utf-8');

/**
 * PostgreSQL escape string constants E'...' (PostgreSQL 15 manual, 4.1.2.2, table 4.1):
 * `\b \f \n \r \t`, `\o \oo \ooo` octal and `\xh \xhh` hexadecimal bytes, `\uXXXX` and
 * `\UXXXXXXXX` code points; any other escaped character stands for itself. Consecutive byte
 * escapes form one UTF-8 sequence (the dump's encoding is UTF-8 once decoded).
 *
 * With `copy`, the rules of COPY's text format instead (PostgreSQL 15 manual, COPY, "Text
 * Format"): the same, plus `\v`, and without the `\u` forms.
 */
export function decodePgEscapes(raw: string, copy = false): string {
  let out = '';
  let bytes: number[] = [];
  const flush = (): void => {
    if (bytes.length > 0) out += utf8.decode(Uint8Array.from(bytes));
    bytes = [];
  };
  let i = 0;
  while (i < raw.length) {
    const c = raw[i]!;
    if (c !== '\\' || i + 1 >= raw.length) {
      flush();
      out += c;
      i++;
      continue;
    }
    const e = raw[i + 1]!;
    if (OCT.test(e)) {
      let j = i + 1;
      while (j < raw.length && j < i + 4 && OCT.test(raw[j]!)) j++;
      bytes.push(parseInt(raw.slice(i + 1, j), 8) & 0xff);
      i = j;
      continue;
    }
    if (e === 'x' && i + 2 < raw.length && HEX.test(raw[i + 2]!)) {
      const j = i + 3 < raw.length && HEX.test(raw[i + 3]!) ? i + 4 : i + 3;
      bytes.push(parseInt(raw.slice(i + 2, j), 16));
      i = j;
      continue;
    }
    flush();
    const width = copy ? 0 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    const hex = raw.slice(i + 2, i + 2 + width);
    if (width > 0 && hex.length === width && /^[0-9a-fA-F]+$/.test(hex)) {
      const cp = parseInt(hex, 16);
      out += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
      i += 2 + width;
      continue;
    }
    out += e === 'b' ? '\b' : e === 'f' ? '\f' : e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === 'v' && copy ? '\v' : e;
    i += 2;
  }
  flush();
  return out;
}

const MYSQL_PREFIX = /^(?:_[A-Za-z0-9]{1,32}|[nNbBxX])$/;
const PG_PREFIX = /^[eEbBxXnN]$/;

export const MYSQL: Dialect = {
  name: 'mysql',
  family: 'mysql',
  backslashStrings: true,
  doubleQuoteStrings: true,
  identQuote: 96,
  bracketIdents: false,
  hashComments: true,
  nestedComments: false,
  dollarQuotes: false,
  backslashCommands: false,
  isStringPrefix: (w) => w.length <= 33 && MYSQL_PREFIX.test(w),
  decodeEscapes: decodeMysqlEscapes,
};

export const POSTGRES: Dialect = {
  name: 'pg',
  family: 'pg',
  backslashStrings: false,
  doubleQuoteStrings: false,
  identQuote: 34,
  bracketIdents: false,
  hashComments: false,
  nestedComments: true,
  dollarQuotes: true,
  backslashCommands: true,
  isStringPrefix: (w) => w.length === 1 && PG_PREFIX.test(w),
  decodeEscapes: (raw) => decodePgEscapes(raw),
};

/**
 * MySQL with `ANSI_QUOTES` (`mysqldump --compatible=ansi`): `"` quotes identifiers, strings keep
 * their backslash escapes.
 */
export const MYSQL_ANSI: Dialect = { ...MYSQL, name: 'mysql-ansi', doubleQuoteStrings: false, identQuote: 34 };

const STANDARD_PREFIX = /^[xXnN]$/;

/**
 * Standard SQL quoting, as `sqlite3 .dump` writes it (and SQL Server scripts): `''` doubles a
 * quote, a backslash is an ordinary character, `"` quotes identifiers, `X'0a1b'` blobs and
 * `N'..'` national strings.
 */
export const SQLITE: Dialect = {
  name: 'sqlite',
  family: 'standard',
  backslashStrings: false,
  doubleQuoteStrings: false,
  identQuote: 34,
  bracketIdents: true,
  hashComments: false,
  nestedComments: false,
  dollarQuotes: false,
  backslashCommands: false,
  isStringPrefix: (w) => w.length === 1 && STANDARD_PREFIX.test(w),
  decodeEscapes: (raw) => raw,
};

/** SQL Server scripts (SSMS "Generate Scripts"): standard quoting, `[dbo].[t]`, `N'..'`, `GO` lines. */
export const SQLSERVER: Dialect = { ...SQLITE, name: 'sqlserver' };
