import { describe, expect, it } from 'vitest';
import type { Cell } from '../types.js';
import { DelimitedParser, type QuoteEscape } from './parser.js';

type Out = Array<[number, Cell[]] | ['skip', string, number]>;

/** Feeds `pieces` one at a time, as a streaming caller would, and collects what the parser finds. */
function parsePieces(pieces: string[], delimiter: string, max = 1e9, accept = (_: Cell[]) => true, backslash = false, quoteEscape: QuoteEscape = 'none'): Out {
  const out: Out = [];
  const p = new DelimitedParser(
    delimiter,
    max,
    {
      record: (fields, line) => {
        out.push(accept(fields) ? [line, fields] : ['skip', `rejected ${fields.length}`, line]);
        return accept(fields);
      },
      skip: (reason, line) => out.push(['skip', reason, line]),
    },
    backslash,
    quoteEscape,
  );
  let leftover = '';
  for (const piece of pieces) {
    const s = leftover + piece;
    const pos = p.parse(s, 0, false, Infinity);
    leftover = p.needMore ? s.slice(pos) : '';
    expect(p.needMore || pos === s.length).toBe(true);
  }
  p.parse(leftover, 0, true, Infinity);
  expect(p.needMore).toBe(false);
  return out;
}

/**
 * A character-at-a-time reading of the same rules, slow and obvious, to check the fast one:
 * RFC 4180 quoting, literal text after a closing quote, CRLF/LF/CR, empty lines ignored, an
 * unclosed quote skipped with a restart at the next line.
 */
function reference(s: string, d: string): Out {
  const out: Out = [];
  const n = s.length;
  const isNl = (j: number) => s[j] === '\n' || s[j] === '\r';
  const nlLen = (j: number) => (s[j] === '\r' && s[j + 1] === '\n' ? 2 : 1);
  let i = 0;
  let line = 1;
  while (i < n) {
    if (isNl(i)) {
      i += nlLen(i);
      line++;
      continue;
    }
    const start = i;
    const startLine = line;
    const row: string[] = [];
    let closed = true;
    for (;;) {
      let v = '';
      if (s[i] === '"') {
        i++;
        closed = false;
        while (i < n) {
          if (s[i] === '"') {
            if (s[i + 1] === '"') {
              v += '"';
              i += 2;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          if (isNl(i)) line++;
          v += s.slice(i, i + (isNl(i) ? nlLen(i) : 1));
          i += isNl(i) ? nlLen(i) : 1;
        }
        if (!closed) break;
      }
      while (i < n && s[i] !== d && !isNl(i)) v += s[i++];
      row.push(v);
      if (i < n && s[i] === d) {
        i++;
        continue;
      }
      break;
    }
    if (!closed) {
      out.push(['skip', 'unclosed quote', startLine]);
      line = startLine;
      for (i = start; i < n && !isNl(i); ) i++;
      if (i < n) {
        i += nlLen(i);
        line++;
      }
      continue;
    }
    if (i < n) i += nlLen(i);
    line++;
    out.push([startLine, row]);
  }
  return out;
}

function lcg(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % n;
  };
}

function cut(s: string, rnd: (n: number) => number, maxPiece: number): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < s.length; ) {
    const k = 1 + rnd(maxPiece);
    pieces.push(s.slice(i, i + k));
    i += k;
  }
  return pieces;
}

const ALPHABET = ['a', 'é', 'Zoé', ' ', ';', ',', '"', '""', '\n', '\r\n', '\r', '5" écran', '@'];

describe('DelimitedParser', () => {
  it('agrees with a character-at-a-time reference on random text, whatever the chunking', () => {
    const rnd = lcg(20240611);
    for (let round = 0; round < 400; round++) {
      let s = '';
      const len = rnd(60);
      for (let i = 0; i < len; i++) s += ALPHABET[rnd(ALPHABET.length)];
      const expected = reference(s, ';');
      expect(parsePieces([s], ';'), JSON.stringify(s)).toEqual(expected);
      expect(parsePieces(cut(s, rnd, 7), ';'), JSON.stringify(s)).toEqual(expected);
      expect(parsePieces(s.split(''), ';'), JSON.stringify(s)).toEqual(expected);
    }
  });

  it('decides overlong records the same way whatever the chunking', () => {
    const rnd = lcg(7);
    for (let round = 0; round < 300; round++) {
      let s = '';
      const len = rnd(80);
      for (let i = 0; i < len; i++) s += ALPHABET[rnd(ALPHABET.length)];
      const max = 1 + rnd(12);
      const whole = parsePieces([s], ';', max);
      expect(parsePieces(cut(s, rnd, 5), ';', max), `${JSON.stringify(s)} max ${max}`).toEqual(whole);
      expect(parsePieces(s.split(''), ';', max), `${JSON.stringify(s)} max ${max}`).toEqual(whole);
      for (const r of whole) {
        if (r[0] !== 'skip') expect(r[1].join(';').length).toBeLessThanOrEqual(max);
      }
    }
  });

  it('reads a rejected multi-line record again from its second line, whatever the chunking', () => {
    const rnd = lcg(11);
    const twoFields = (f: Cell[]) => f.length === 2;
    for (let round = 0; round < 300; round++) {
      let s = '';
      const len = rnd(80);
      for (let i = 0; i < len; i++) s += ALPHABET[rnd(ALPHABET.length)];
      const whole = parsePieces([s], ';', 40, twoFields);
      expect(parsePieces(cut(s, rnd, 5), ';', 40, twoFields), JSON.stringify(s)).toEqual(whole);
    }
    // The stray quote before Jean is closed by the one before Anaïs: three lines become one
    // record of three fields; rejected, its second and third lines are read again.
    const s = 'Martin;"Jean\nGirard;Léa\r\nBonnet;"Anaïs";x\nRoux;Loïc\n';
    expect(parsePieces([s], ';', 1000, twoFields)).toEqual([
      ['skip', 'rejected 3', 1],
      [2, ['Girard', 'Léa']],
      ['skip', 'rejected 3', 3],
      [4, ['Roux', 'Loïc']],
    ]);
  });

  it('reads RFC 4180 quoting: delimiters, doubled quotes and line breaks inside quotes', () => {
    const s = 'Lefèvre,"12, rue de la Forêt","dit ""Lulu""","ligne 1\r\nligne 2\nligne 3"\r\nDubois,"",x,\r\n';
    expect(parsePieces([s], ',')).toEqual([
      [1, ['Lefèvre', '12, rue de la Forêt', 'dit "Lulu"', 'ligne 1\r\nligne 2\nligne 3']],
      [4, ['Dubois', '', 'x', '']],
    ]);
  });

  it('keeps stray quotes in unquoted fields and text after a closing quote', () => {
    expect(parsePieces(['écran 24";"HP" ProDesk;ok\n'], ';')).toEqual([[1, ['écran 24"', 'HP ProDesk', 'ok']]]);
  });

  it('with escape, reads MySQL\'s ENCLOSED BY output: \\" \\\\ \\0 and an escaped line break inside quotes, \\N unquoted, whatever the chunking', () => {
    // As MariaDB writes `SELECT … INTO OUTFILE … FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '"'`.
    const s = '1,"Lefèvre, Hélène","dit \\"Lulu\\"","C:\\\\dossier\\\\"\n2,"ligne 1\\\nligne 2",\\N,"nul\\0"\n3,"","\\N","fin \\\\"\n';
    const want: Out = [
      [1, ['1', 'Lefèvre, Hélène', 'dit "Lulu"', 'C:\\dossier\\']],
      [2, ['2', 'ligne 1\nligne 2', null, 'nul\0']],
      [4, ['3', '', 'N', 'fin \\']],
    ];
    const whole = parsePieces([s], ',', 1e9, () => true, true);
    expect(whole).toEqual(want);
    const rnd = lcg(11);
    for (let round = 0; round < 50; round++) expect(parsePieces(cut(s, rnd, 6), ',', 1e9, () => true, true)).toEqual(want);
    // Without escape the same text is RFC 4180's: the backslashes are data.
    expect(parsePieces(['1,"C:\\dossier\\",\\N\n'], ',')).toEqual([[1, ['1', 'C:\\dossier\\', '\\N']]]);
  });

  it.each([
    // As MariaDB writes `INTO OUTFILE … FIELDS TERMINATED BY ',' ENCLOSED BY '"' ESCAPED BY '"'`: every field quoted.
    [
      'enclosed' as const,
      '"1","dit ""Lulu""","N\n"2","ligne 1"\nligne 2","nul"0"\n"3","N,"fin """\n"4","""tôt","ab"\r\ncd"\n',
      [
        [1, ['1', 'dit "Lulu"', null]],
        [2, ['2', 'ligne 1\nligne 2', 'nul\0']],
        [4, ['3', null, 'fin "']],
        [5, ['4', '"tôt', 'ab\r\ncd']],
      ],
    ],
    // `OPTIONALLY ENCLOSED BY '"' ESCAPED BY '"'`, CRLF: numbers bare, the quote escapes the CR.
    [
      'optionally' as const,
      '1,"a"\r\nb",2.5\r\n2,"N,"N\r\n3,"x"""\r\n, y",7\r\n',
      [
        [1, ['1', 'a\r\nb', '2.5']],
        [3, ['2', null, null]],
        [4, ['3', 'x"\r\n, y', '7']],
      ],
    ],
  ] satisfies [QuoteEscape, string, Out][])(
    'with the quote as MySQL\'s escape (%s): "" "0 "N and escaped line breaks, whatever the chunking',
    (mode, s, want) => {
      expect(parsePieces([s], ',', 1e9, () => true, false, mode)).toEqual(want);
      const rnd = lcg(13);
      for (let round = 0; round < 50; round++) expect(parsePieces(cut(s, rnd, 5), ',', 1e9, () => true, false, mode)).toEqual(want);
    },
  );

  it('without the quote as escape, `"N` opens a quoted field, as RFC 4180 says', () => {
    expect(parsePieces(['1,"N,2"\n'], ',')).toEqual([[1, ['1', 'N,2']]]);
  });

  it('skips an overlong unquoted line and an unclosed quote, and reads on from the next line', () => {
    const s = 'a;b\n' + 'x'.repeat(50) + ';y\n' + 'c;"d\ne;f\ng;h\n';
    expect(parsePieces(cut(s, lcg(3), 4), ';', 20)).toEqual([
      [1, ['a', 'b']],
      ['skip', 'record too long', 2],
      ['skip', 'unclosed quote', 3],
      [4, ['e', 'f']],
      [5, ['g', 'h']],
    ]);
  });

  it('stops after maxRecords and resumes where it stopped', () => {
    const seen: string[] = [];
    const p = new DelimitedParser(',', 100, { record: (f) => seen.push(f[0]!) > 0, skip: () => undefined });
    const s = 'Martin,1\nBernard,2\nDubois,3\n';
    const pos = p.parse(s, 0, true, 2);
    expect(seen).toEqual(['Martin', 'Bernard']);
    expect(p.parse(s, pos, true, 2)).toBe(s.length);
    expect(seen).toEqual(['Martin', 'Bernard', 'Dubois']);
  });

  it('rejects a delimiter that cannot be one', () => {
    const sink = { record: () => true, skip: () => undefined };
    expect(() => new DelimitedParser('"', 10, sink)).toThrow(RangeError);
    expect(() => new DelimitedParser(';;', 10, sink)).toThrow(RangeError);
  });
});
