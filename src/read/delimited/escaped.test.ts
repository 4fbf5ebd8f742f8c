import { describe, expect, it } from 'vitest';
import { createDelimitedReader, readDelimited } from './index.js';
import { detectTextExport } from './escaped.js';
import type { Cell, ReadEvent } from '../types.js';

// Synthetic people only. Raw text as `SELECT … INTO OUTFILE` writes it: `\` before a tab, a line
// break or a backslash of the data, `\0` for NUL, `\N` for NULL, quotes as data.
const OUTFILE = [
  'Lefèvre\tHélène\thelene.lefevre@orange.fr\t0612345678\t\\N',
  'Müller\tZoé\t\\N\t07 81 22 33 44\tRésidence « Les Tilleuls »\\\nescalier B',
  'N\'Diaye\tNoël\tnoel.ndiaye@gmail.com\t\\N\t"le Grand"\\\tdit\\\\Noé\\0',
  'Da Silva\tMaëlle\tmaelle.dasilva@sfr.fr\t+590 690 12 34 56\t\\N',
].join('\n');
const DECODED: Cell[][] = [
  ['Lefèvre', 'Hélène', 'helene.lefevre@orange.fr', '0612345678', null],
  ['Müller', 'Zoé', null, '07 81 22 33 44', 'Résidence « Les Tilleuls »\nescalier B'],
  ["N'Diaye", 'Noël', 'noel.ndiaye@gmail.com', null, '"le Grand"\tdit\\Noé\0'],
  ['Da Silva', 'Maëlle', 'maelle.dasilva@sfr.fr', '+590 690 12 34 56', null],
];

async function* pieces(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function read(text: string, size = text.length, blockChars?: number, maxRecordChars?: number): Promise<{ events: ReadEvent[]; cells: Cell[][] }> {
  const reader = blockChars === undefined ? readDelimited : createDelimitedReader({ blockChars });
  const events: ReadEvent[] = [];
  for await (const ev of reader(pieces(text, size), { displayName: 'export.txt', ...(maxRecordChars ? { maxRecordChars } : {}) })) events.push(ev);
  const cells: Cell[][] = [];
  for (const ev of events) {
    if (ev.kind === 'table' && ev.headerRow) cells.push(ev.headerRow);
    if (ev.kind === 'rows') cells.push(...ev.rows);
  }
  return { events, cells };
}

describe('database text exports', () => {
  it('decodes OUTFILE escapes and \\N, whatever the chunking', async () => {
    for (const eol of ['\n', '\r\n']) {
      const text = `${OUTFILE.replaceAll('\n', eol).replaceAll(`\\${eol}`, '\\\n')}${eol}`;
      for (const size of [1, 2, 3, 7, 64, text.length]) {
        const { events, cells } = await read(text, size, 1);
        expect(cells, `chunks of ${size}`).toEqual(DECODED);
        expect(events[0]).toMatchObject({ kind: 'table', meta: { quote: 'none', escape: '\\', null: '\\N' } });
        // Records are numbered by the line they start on: the escaped line break counts as a line.
        expect(events.filter((e) => e.kind === 'skip')).toEqual([]);
      }
    }
  });

  it('mysql -B: the word NULL is absent, letter escapes are decoded', async () => {
    const text = 'nom\tprenom\ttelephone\nDurand\tZoé\tNULL\nMartin\tLéa\\tla\\nbis\\\\\t0612345678\n';
    const { events, cells } = await read(text);
    expect(events[0]).toMatchObject({ meta: { null: 'NULL' } });
    expect(cells).toEqual([
      ['nom', 'prenom', 'telephone'],
      ['Durand', 'Zoé', null],
      ['Martin', 'Léa\tla\nbis\\', '0612345678'],
    ]);
  });

  it('PostgreSQL COPY text: \\N, \\r, \\b, \\f, \\v; a NULL word stays text when \\N is the mark', async () => {
    const text = 'a\\rb\\bc\\fd\\ve\t\\N\tNULL\n\\N\tx\ty\n';
    const { cells } = await read(text);
    expect(cells).toEqual([
      ['a\rb\bc\fd\ve', null, 'NULL'],
      [null, 'x', 'y'],
    ]);
  });

  it('an overlong record is skipped and reading resumes at the next line', async () => {
    const text = `a\t\\N\n${'x'.repeat(50)}\t\\N\nb\t\\N\n`;
    const { events, cells } = await read(text, 5, 1, 20);
    expect(cells).toEqual([
      ['a', null],
      ['b', null],
    ]);
    expect(events.filter((e) => e.kind === 'skip')).toEqual([
      { kind: 'skip', reason: 'record too long', position: { file: 'export.txt', line: 2, record: 2 } },
    ]);
  });

  it('is not taken for a plain TSV, a quoted TSV or a TSV of Windows paths', () => {
    expect(detectTextExport('nom\tville\nDurand\tParis\n')).toBeUndefined();
    expect(detectTextExport('nom\tnote\nDurand\t"dit ""le Grand"" \\N"\n')).toBeUndefined();
    expect(detectTextExport('nom\tchemin\nDurand\tC:\\Users\\durand\\Documents\n')).toBeUndefined();
    expect(detectTextExport('Durand\t\\N\n')).toEqual({ nullMark: '\\N' });
    expect(detectTextExport('nom\ttel\nDurand\tNULL\n')).toEqual({ nullMark: 'NULL' });
    expect(detectTextExport('Durand\tligne\\\nsuite\n')).toEqual({ nullMark: '\\N' });
  });

  it('takes another delimiter only on strong evidence: a whole field \\N or a backslash before the delimiter', () => {
    // A CSV of paths (`\t`, `\n` in `C:\temp\notes`) or a NULL word is plain CSV.
    expect(detectTextExport('nom,chemin\nDurand,C:\\temp\\notes\n', ',')).toBeUndefined();
    expect(detectTextExport('nom;tel\nDurand;NULL\n', ';')).toBeUndefined();
    expect(detectTextExport('Durand,\\N\n', ',')).toEqual({ nullMark: '\\N' });
    expect(detectTextExport('Durand;12\\; rue de la Paix\n', ';')).toEqual({ nullMark: '\\N' });
  });

  it('with CR LF records, a bare line feed is data (MySQL escapes only the first character of LINES TERMINATED BY)', async () => {
    const { cells, events } = await read('1;ligne 1\nligne 2\r\n2;\\N\r\n3;fin\r\n4;a\\;b\r\n');
    expect(cells).toEqual([
      ['1', 'ligne 1\nligne 2'],
      ['2', null],
      ['3', 'fin'],
      ['4', 'a;b'],
    ]);
    expect(events[0]).toMatchObject({ meta: { delimiter: ';', quote: 'none', escape: '\\' } });
  });

  it('a plain TSV reads as before: quotes and backslashes are data, NULL stays text', async () => {
    const { events, cells } = await read('nom\tnote\nDurand\t"a\tb"\n');
    expect(events[0]).toMatchObject({ meta: { quote: '"' } });
    expect(cells).toEqual([
      ['nom', 'note'],
      ['Durand', 'a\tb'],
    ]);
  });
});
