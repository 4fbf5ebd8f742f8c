/**
 * The lines of a text table, as database clients print query results: the rule lines that
 * give a table its column boundaries, and the splitting of a row at those boundaries.
 *
 * - `mysql -t` and sqlite3 `.mode table`: `+----+-----+` rules, `| 1  | Dupont |` rows.
 * - sqlite3 `.mode box`: `┌──┬──┐`, `├──┼──┤`, `└──┴──┘` rules, `│` between cells.
 * - psql's aligned output: ` id | nom ` header, `----+-----` rule (`────┼─────`, `│` between cells
 *   with `linestyle=unicode`), no outer border.
 * - Markdown (sqlite3 `.mode markdown`, GitHub tables): `|----|:---:|` under the header.
 * - sqlite3 `.mode column`: `--  -----` under the header, runs of `-` two spaces apart, no separators.
 *
 * Positions are UTF-16 code units. Clients pad by characters (mysql, sqlite3) or by display
 * width (psql), so a row with wide or astral characters may have its separators elsewhere
 * than the rule says: it is then split on its separators, when that gives the right count.
 */
import { MAX_COLUMNS } from '../limits.js';

type Dialect = 'ascii' | 'box' | 'psql' | 'markdown' | 'column';

/** A table's column boundaries, from its rule line. */
export interface Grid {
  dialect: Dialect;
  /** The character between cells in rows: `|`, or `│` in box drawing. */
  sep: string;
  /** Positions of the rule's separators, outer borders included when it has them. */
  seps: number[];
  /** Whether `seps[0]` is a left border, and the last one a right border. */
  left: boolean;
  right: boolean;
  /** The rule line's length. */
  width: number;
  columns: number;
  /** sqlite3 `.mode column`: each column's first and last-plus-one positions, in characters. */
  runs?: number[];
}

/** A rule line read: its grid, or a grid refused for its column count. */
export type RuleResult = Grid | 'too many columns' | undefined;

function grid(dialect: Dialect, sep: string, seps: number[], left: boolean, right: boolean, width: number): RuleResult {
  const columns = seps.length + 1 - (left ? 1 : 0) - (right ? 1 : 0);
  if (columns > MAX_COLUMNS) return 'too many columns';
  return { dialect, sep, seps, left, right, width, columns };
}

/**
 * Separator positions of a line made of `fill` runs between `joint`s, opening with `first`
 * and closing with `last` (`undefined` when the line is not such a rule). Stops counting
 * past `MAX_COLUMNS` + 2 separators: a hostile rule costs its length, never more memory.
 */
function ruleSeps(line: string, first: string, fill: string, joint: string, last: string): number[] | 'too many columns' | undefined {
  const n = line.length;
  if (n < 3 || line[0] !== first || line[n - 1] !== last) return undefined;
  const seps = [0];
  let prev = first;
  for (let i = 1; i < n - 1; i++) {
    const c = line[i];
    if (c === fill) {
      prev = c;
      continue;
    }
    if (c !== joint || prev !== fill) return undefined;
    if (seps.length > MAX_COLUMNS + 1) return 'too many columns';
    seps.push(i);
    prev = c;
  }
  if (prev !== fill) return undefined;
  seps.push(n - 1);
  return seps;
}

/** `+----+-----+` (mysql -t, sqlite3 `.mode table`). */
export function asciiRule(line: string): RuleResult {
  const seps = ruleSeps(line, '+', '-', '+', '+');
  if (seps === undefined || seps === 'too many columns') return seps;
  return grid('ascii', '|', seps, true, true, line.length);
}

/** The box-drawing rules of sqlite3 `.mode box`. */
const BOX = {
  top: ['┌', '┬', '┐'],
  middle: ['├', '┼', '┤'],
  bottom: ['└', '┴', '┘'],
} as const;

/** A box-drawing rule of the given kind (`┌─┬─┐`, `├─┼─┤`, `└─┴─┘`). */
export function boxRule(line: string, kind: keyof typeof BOX): RuleResult {
  const [first, joint, last] = BOX[kind];
  const seps = ruleSeps(line, first, '─', joint, last);
  if (seps === undefined || seps === 'too many columns') return seps;
  return grid('box', '│', seps, true, true, line.length);
}

/** psql's `----+-----` (no outer border), or `────┼─────` (`linestyle=unicode`): the `+` positions. */
export function psqlRule(line: string): RuleResult {
  const unicode = line[0] === '─';
  const seps = unicode ? ruleSeps(`┼${line}┼`, '┼', '─', '┼', '┼') : ruleSeps(`+${line}+`, '+', '-', '+', '+');
  if (seps === undefined || seps === 'too many columns') return seps;
  return grid(
    'psql',
    unicode ? '│' : '|',
    seps.slice(1, -1).map((p) => p - 1),
    false,
    false,
    line.length,
  );
}

const MD_CELL = /^ *:?-+:? *$/;

/** A Markdown delimiter row (`|----|:---:|`, outer pipes optional, at least one pipe). */
export function markdownRule(line: string): RuleResult {
  const s = trimEndSpaces(line);
  if (!s.includes('|') || !s.includes('-')) return undefined;
  const seps: number[] = [];
  let from = 0;
  for (;;) {
    const at = s.indexOf('|', from);
    const cell = s.slice(from, at === -1 ? s.length : at);
    const outer = (from === 0 && at === 0) || (at === -1 && from === s.length);
    if (!outer && !MD_CELL.test(cell)) return undefined;
    if (at === -1) break;
    if (seps.length > MAX_COLUMNS + 1) return 'too many columns';
    seps.push(at);
    from = at + 1;
  }
  return grid('markdown', '|', seps, s[0] === '|', s[s.length - 1] === '|' && s.length > 1, s.length);
}

/**
 * sqlite3 `.mode column`'s rule: runs of `-`, exactly two spaces between them, one run a column
 * (at least two). psql's `border=0` puts one space between its runs and is no such rule.
 */
export function columnRule(line: string): RuleResult {
  const s = trimEndSpaces(line);
  if (s[0] !== '-') return undefined;
  const runs: number[] = [];
  let i = 0;
  for (;;) {
    const a = i;
    while (i < s.length && s[i] === '-') i++;
    if (runs.length > 2 * MAX_COLUMNS) return 'too many columns';
    runs.push(a, i);
    if (i === s.length) break;
    if (s[i] !== ' ' || s[i + 1] !== ' ' || s[i + 2] !== '-') return undefined;
    i += 2;
  }
  if (runs.length < 4) return undefined;
  return { dialect: 'column', sep: ' ', seps: [], left: false, right: false, width: s.length, columns: runs.length / 2, runs };
}

/**
 * The cells of a `.mode column` row, by characters (sqlite3 pads by characters): undefined when
 * anything but spaces stands between the columns or after the last.
 */
function columnCells(line: string, runs: number[]): string[] | undefined {
  const s: string | string[] = ASTRAL.test(line) ? Array.from(line) : line;
  const cells: string[] = [];
  let at = 0;
  for (let k = 0; k < runs.length; k += 2) {
    const a = runs[k] ?? 0;
    const b = runs[k + 1] ?? 0;
    for (let i = at; i < a && i < s.length; i++) if (s[i] !== ' ') return undefined;
    const part = s.slice(a, b);
    cells.push(typeof part === 'string' ? part : part.join(''));
    at = b;
  }
  for (let i = at; i < s.length; i++) if (s[i] !== ' ') return undefined;
  return cells;
}

/** A row split: its raw cells (padding included), or why not. */
type Split = { cells: string[]; positional: boolean } | undefined;

/**
 * Splits a row at the grid's boundaries when its separators stand exactly there (a `|`
 * inside a value is then kept), else on its separators when that gives the column count
 * (Markdown's `\|` being a pipe within a cell), else undefined.
 */
export function splitRow(line: string, g: Grid): Split {
  if (g.runs) {
    const cells = columnCells(line, g.runs);
    return cells && { cells, positional: true };
  }
  const s = g.dialect === 'markdown' ? trimEndSpaces(line) : line;
  return atPositions(s, g) ?? onSeparators(s, g);
}

function atPositions(s: string, g: Grid): Split {
  const cells = cellsAt(s, g);
  if (cells) return { cells, positional: true };
  // mysql and sqlite3 pad by characters: an emoji takes one position there, two code units here.
  if (!ASTRAL.test(s)) return undefined;
  const chars = Array.from(s);
  const byChar = cellsAt(chars, g);
  return byChar && { cells: byChar, positional: true };
}

const ASTRAL = /[\uD800-\uDBFF]/;

/** The cells of a row (a string, or its characters) whose separators stand at the grid's positions. */
function cellsAt(s: string | string[], g: Grid): string[] | undefined {
  if (g.right ? s.length !== g.width : s.length > g.width) return undefined;
  const last = g.seps[g.seps.length - 1];
  if (!g.right && last !== undefined && s.length <= last) return undefined;
  for (const p of g.seps) if (s[p] !== g.sep) return undefined;
  const cuts = [...(g.left ? [] : [-1]), ...g.seps, ...(g.right ? [] : [s.length])];
  const cells: string[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const part = s.slice((cuts[i] ?? 0) + 1, cuts[i + 1]);
    cells.push(typeof part === 'string' ? part : part.join(''));
  }
  return cells;
}

function onSeparators(s: string, g: Grid): Split {
  const parts = g.dialect === 'markdown' ? splitMarkdown(s) : s.split(g.sep);
  if (g.left) {
    if (trimSpaces(parts[0] ?? 'x') !== '') return undefined;
    parts.shift();
  }
  if (g.right) {
    if (parts.length === 0 || trimSpaces(parts[parts.length - 1] ?? 'x') !== '') return undefined;
    parts.pop();
  }
  return parts.length === g.columns ? { cells: parts, positional: false } : undefined;
}

/** Splits on pipes not escaped as `\|`, unescaping those. */
function splitMarkdown(s: string): string[] {
  if (!s.includes('\\|')) return s.split('|');
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && s[i + 1] === '|') {
      cur += '|';
      i++;
    } else if (c === '|') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** A cell without its padding (spaces only: a tab or other blank in a value stays). */
export function trimSpaces(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) === 0x20) a++;
  while (b > a && s.charCodeAt(b - 1) === 0x20) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

function trimEndSpaces(s: string): string {
  let b = s.length;
  while (b > 0 && (s.charCodeAt(b - 1) === 0x20 || s.charCodeAt(b - 1) === 0x09)) b--;
  return b === s.length ? s : s.slice(0, b);
}

/** A cell's width between its separators, in characters (what sqlite3 wraps at, padding included; `.mode column` has none). */
export function cellWidth(g: Grid, column: number): number {
  if (g.runs) return (g.runs[2 * column + 1] ?? 0) - (g.runs[2 * column] ?? 0);
  const i = column + (g.left ? 0 : -1);
  const a = i < 0 ? -1 : (g.seps[i] ?? 0);
  const b = g.seps[i + 1] ?? g.width;
  return b - a - 1;
}

/** Characters of a string (code points). */
export function charLength(s: string): number {
  return ASTRAL.test(s) ? Array.from(s).length : s.length;
}

/** Whether two grids have the same boundaries. */
export function sameGrid(a: Grid, b: Grid): boolean {
  return a.width === b.width && a.seps.length === b.seps.length && a.seps.every((p, i) => b.seps[i] === p);
}

/**
 * Lines database clients print around their tables, passed over without a word: prompts
 * (`mysql>`, `MariaDB [db]>`, `sqlite>`, psql's `db=#`) and their continuation prompts, and
 * the status lines that follow a statement (mysql's `Query OK`, psql's command tags `SET`, `INSERT 0 4`).
 */
const DECORATION =
  /^(?:(?:mysql|MariaDB \[[^\]]{0,128}\]|sqlite|\s*->|\s*\.\.\.>|\s*'>|\s*">)[> ]|[\w.-]{1,64}[=(-][#>] |\(\d+ rows?\)$|\d+ rows? in set\b|Empty set\b|Query OK\b|Rows matched:|Records: \d|Warnings?:|Bye$|Welcome to the M|Server version:|Copyright \(c\)|Type 'help;'|Reading table information|You can turn off this feature|Database changed$|Null display is|Expanded display is|Time: \d|Run Time: |(?:SET|RESET|BEGIN|COMMIT|ROLLBACK|CREATE [A-Z]+|DROP [A-Z]+|ALTER [A-Z]+|INSERT \d+ \d+|UPDATE \d+|DELETE \d+|COPY \d+|SELECT \d+|TRUNCATE TABLE|GRANT|REVOKE)$)/;

/** A known decoration around tables (see `DECORATION`). */
export function isDecoration(line: string): boolean {
  return DECORATION.test(line);
}

/** psql's footer, `(2 rows)`, `(1 row)`. */
export function isPsqlFooter(line: string): boolean {
  return /^\(\d+ rows?\)$/.test(line);
}
