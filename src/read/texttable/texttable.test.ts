/**
 * The text-table reader on hand-made synthetic outputs: decorations, skips with their
 * positions, headerless tables, and hostile input (a 1 MB rule, 100,000 columns, an
 * over-long line); detection that leaves CSV and Markdown prose alone.
 */
import { describe, expect, it } from 'vitest';
import { detectFormat, type ReadEvent } from '../index.js';
import { readTextTable } from './index.js';

async function read(text: string, chunk = 7, maxRecordChars?: number): Promise<ReadEvent[]> {
  async function* pieces(): AsyncGenerator<string> {
    for (let i = 0; i < text.length; i += chunk) yield text.slice(i, i + chunk);
  }
  const out: ReadEvent[] = [];
  for await (const ev of readTextTable(pieces(), { displayName: 'coller.txt', ...(maxRecordChars ? { maxRecordChars } : {}) })) out.push(ev);
  return out;
}
const rows = (evs: ReadEvent[]) => evs.flatMap((e) => (e.kind === 'rows' ? e.rows : []));
const skips = (evs: ReadEvent[]) => evs.flatMap((e) => (e.kind === 'skip' ? [[e.reason, e.position.line, e.position.record]] : []));

const MYSQL = '+----+--------+\n| id | nom    |\n+----+--------+\n|  1 | Durand |\n|  2 | NULL   |\n+----+--------+\n';

describe('readTextTable', () => {
  it('reads a mysql table in small chunks, NULL as null, a stray line a skip with its line', async () => {
    const evs = await read(`Voici un extrait :\n${MYSQL}`);
    expect(evs[0]).toEqual({ kind: 'skip', reason: 'not a table row', position: { file: 'coller.txt', line: 1 } });
    expect(rows(evs)).toEqual([
      ['1', 'Durand'],
      ['2', null],
    ]);
  });

  it('a row of the wrong shape is a field count skip with line and record; reading goes on', async () => {
    const evs = await read('+----+--------+\n| id | nom    |\n+----+--------+\n|  1 | Durand | x |\n|  2 | Petit  |\n+----+--------+\n');
    expect(skips(evs)).toEqual([['field count', 4, 1]]);
    expect(rows(evs)).toEqual([['2', 'Petit']]);
  });

  it('a table printed without column names (mysql -N -t) has generated columns', async () => {
    const evs = await read('+---+--------+\n| 1 | Durand |\n| 2 | Petit  |\n+---+--------+\n');
    expect(evs[0]).toMatchObject({ kind: 'table', columns: ['column_1', 'column_2'], meta: { header: 'none' } });
    expect(rows(evs)).toEqual([
      ['1', 'Durand'],
      ['2', 'Petit'],
    ]);
  });

  it('hostile: a 1 MB rule is a record too long skip; 100,000 columns are refused; nothing crashes', async () => {
    const long = `+${'-'.repeat(1 << 20)}+\n${MYSQL}`;
    const evs = await read(long, 65536);
    expect(skips(evs)[0]).toEqual(['record too long', 1, undefined]);
    expect(rows(evs)).toEqual([
      ['1', 'Durand'],
      ['2', null],
    ]);
    const wide = `+${'-+'.repeat(100_000)}\n|${' |'.repeat(100_000)}\n+${'-+'.repeat(100_000)}\n${MYSQL}`;
    const w = await read(wide, 65536);
    expect(skips(w)[0]).toEqual(['too many columns', 1, undefined]);
    expect(rows(w)).toEqual([
      ['1', 'Durand'],
      ['2', null],
    ]);
  });

  it('an over-long row within a table is a record too long skip, its record counted', async () => {
    const evs = await read(`+----+--------+\n| id | nom    |\n+----+--------+\n| 1 | ${'x'.repeat(200)} |\n|  2 | Petit  |\n+----+--------+\n`, 7, 100);
    expect(skips(evs)).toEqual([['record too long', 4, 1]]);
    expect(rows(evs)).toEqual([['2', 'Petit']]);
  });

  it('no table at all: VIGIE_EMPTY_FILE', async () => {
    await expect(read('rien ici\n')).rejects.toMatchObject({ code: 'VIGIE_EMPTY_FILE' });
  });
});

describe('detection', () => {
  const d = (s: string, name = 'f.txt') => detectFormat(Buffer.from(s), name);
  it('finds each client output, after a prompt transcript too', () => {
    expect(d(MYSQL)).toBe('texttable');
    expect(d(`mysql> select id, nom from clients;\n${MYSQL}2 rows in set (0.00 sec)\n`)).toBe('texttable');
    expect(d(' id |  nom\n----+--------\n  1 | Durand\n(1 row)\n')).toBe('texttable');
    expect(d('┌────┬────────┐\n│ id │  nom   │\n├────┼────────┤\n│ 1  │ Durand │\n└────┴────────┘\n')).toBe('texttable');
    expect(d('| id | nom    |\n|----|--------|\n| 1  | Durand |\n')).toBe('texttable');
  });
  it('leaves CSV, pipe-delimited text and Markdown prose alone', () => {
    expect(d('nom;prenom\nDurand;Anne\n')).toBe('delimited');
    expect(d('id|nom|email\n1|Durand|a.durand@exemple.fr\n')).toBe('delimited');
    expect(d('Titre\n-----\n\nDu texte, avec | une barre.\n\n* une liste\n')).toBe('delimited');
  });
});

describe('readTextTable: records one field per line, hostile', () => {
  const STARS = '*'.repeat(27);
  const head = (n: number): string => `${STARS} ${n}. row ${STARS}\n`;

  it('a value longer than maxRecordChars is a record too long skip; the next record is read', async () => {
    const text = `${head(1)} id: 1\nnom: Durand\n${head(2)} id: 2\nnom: ${'x'.repeat(5000)}\n${head(3)} id: 3\nnom: Petit\n`;
    const evs = await read(text, 64, 1000);
    expect(skips(evs)).toEqual([['record too long', 4, 2]]);
    expect(rows(evs)).toEqual([
      ['1', 'Durand'],
      ['3', 'Petit'],
    ]);
  });

  it('a value on 100,000 lines stays one bounded record, read in linear time, and is skipped past the limit', async () => {
    const text = `${head(1)} id: 1\nnom: ${'suite\n'.repeat(100_000)}${head(2)} id: 2\nnom: Petit\n`;
    const evs = await read(text, 4096, 64 * 1024);
    expect(skips(evs)).toEqual([['record too long', 1, undefined]]);
    expect(rows(evs)).toEqual([['2', 'Petit']]);
  });

  it('more fields than MAX_COLUMNS: the first record is refused, not a table of 5,000 columns', async () => {
    const fields = Array.from({ length: 5000 }, (_, i) => `c${String(i).padStart(4, '0')}: v`).join('\n');
    const evs = await read(`${head(1)}${fields}\n${head(2)} id: 2\nnom: Petit\n`, 4096);
    expect(skips(evs)).toEqual([['too many columns', 1, undefined]]);
    expect(evs.filter((e) => e.kind === 'table').map((e) => (e.kind === 'table' ? e.columns : []))).toEqual([['id', 'nom']]);
    expect(rows(evs)).toEqual([['2', 'Petit']]);
  });

  it('lines before the first record header are skips with their lines; sqlite3 records split on blank lines', async () => {
    const evs = await read('Voici :\n   id = 1\n  nom = Durand\n\n   id = 2\n  nom = Petit\n', 5);
    expect(skips(evs)).toEqual([['not a table row', 1, undefined]]);
    expect(rows(evs)).toEqual([
      ['1', 'Durand'],
      ['2', 'Petit'],
    ]);
  });
});
