import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { isVigieError } from '../../errors.js';
import { createDelimitedReader, readDelimited } from './index.js';
import { decodeStream } from '../encoding/index.js';
import type { ReadEvent, ReadOptions } from '../types.js';

// Synthetic people (never real ones): accents, apostrophes, phones in mixed writings,
// addresses holding the delimiter, a quoted nickname, a two-line address.
const PEOPLE: string[][] = [
  ['nom', 'prénom', 'email', 'téléphone', 'naissance', 'adresse', 'code_postal', 'ville'],
  ['Lefèvre', 'Hélène', 'helene.lefevre@orange.fr', '06 12 34 56 78', '14/02/1987', '12, rue de la Forêt; bât. A', '25000', 'Besançon'],
  ['Dubœuf', 'François', 'f.duboeuf@free.fr', '+33 6 98 76 54 32', '1975-11-03', '3 bis allée des Cèdres', '30000', 'Nîmes'],
  ['Müller', 'Zoé', 'zoe.muller@laposte.net', '0612345678', '01/01/2001', 'Résidence « Les Tilleuls »\nescalier B', '45000', 'Orléans'],
  ["N'Diaye", 'Noël', 'noel.ndiaye@gmail.com', '07.81.22.33.44', '29/02/1996', 'dit "le Grand", 8 place du Marché', '91000', 'Évry'],
  ['Da Silva', 'Maëlle', 'maelle.dasilva@sfr.fr', '+590 690 12 34 56', '30/06/1968', "Lotissement l'Anse|Bertrand", '97110', 'Pointe-à-Pitre'],
];

/** Writes rows as a spreadsheet would: quotes only where needed, `""` for a quote. */
function toCsv(rows: string[][], d: string, eol = '\r\n'): string {
  const quote = (v: string) => (/["\r\n]/.test(v) || v.includes(d) ? `"${v.replace(/"/g, '""')}"` : v);
  return rows.map((r) => r.map(quote).join(d)).join(eol) + eol;
}

async function* pieces(text: string, sizes: number[]): AsyncGenerator<string> {
  for (let i = 0, k = 0; i < text.length; k++) {
    const n = sizes[k % sizes.length]!;
    yield text.slice(i, i + n);
    i += n;
  }
}

async function collect(text: string | AsyncIterable<string>, opts: Partial<ReadOptions> = {}, blockChars?: number) {
  const reader = blockChars === undefined ? readDelimited : createDelimitedReader({ blockChars });
  const source = typeof text === 'string' ? pieces(text, [text.length || 1]) : text;
  const events: ReadEvent[] = [];
  for await (const ev of reader(source, { displayName: 'fuite.csv', ...opts })) events.push(ev);
  const table = events[0];
  if (table?.kind !== 'table') throw new Error('first event is not a table');
  const rows: string[][] = [];
  const records: number[] = [];
  const skips: Array<{ reason: string; line?: number; record?: number }> = [];
  for (const ev of events.slice(1)) {
    expect(ev.kind).not.toBe('table');
    if (ev.kind === 'rows') {
      ev.rows.forEach((r, i) => {
        rows.push(r as string[]);
        records.push(ev.firstRecord + i);
      });
    } else if (ev.kind === 'skip') {
      skips.push({ reason: ev.reason, line: ev.position.line, record: ev.position.record });
    }
  }
  return { table, rows, records, skips, events };
}

describe('readDelimited', () => {
  it("takes Excel's sep= first line as the delimiter, no record, and numbers lines from it", async () => {
    // Values full of commas: without the hint, ',' would be a plausible delimiter too.
    const body = 'nom;adresse;email\r\nLefèvre;12, rue de la Paix, 75002 Paris;h.lefevre@exemple.fr\r\nDupont;"3, place; du Marché";\r\nx;y\r\n';
    for (const first of ['sep=;\r\n', '"sep=;"\r\n']) {
      const r = await collect(first + body);
      expect(r.table).toMatchObject({ headerRow: ['nom', 'adresse', 'email'], meta: { delimiter: ';' } });
      expect(r.rows).toEqual([
        ['Lefèvre', '12, rue de la Paix, 75002 Paris', 'h.lefevre@exemple.fr'],
        ['Dupont', '3, place; du Marché', ''],
      ]);
      expect(r.skips).toEqual([{ reason: 'field count', line: 5, record: 4 }]);
    }
  });

  it.each([
    [',', 'comma'],
    [';', 'semicolon (Excel FR)'],
    ['\t', 'tab'],
    ['|', 'pipe'],
  ])('detects %j (%s) and reads quoted fields exactly', async (d) => {
    const { table, rows, records, skips } = await collect(toCsv(PEOPLE, d));
    expect(table.meta['delimiter']).toBe(d);
    expect(table.format).toBe('delimited');
    expect(table.columns).toEqual(['column_1', 'column_2', 'column_3', 'column_4', 'column_5', 'column_6', 'column_7', 'column_8']);
    expect(table.headerRow).toEqual(PEOPLE[0]);
    expect(rows).toEqual(PEOPLE.slice(1));
    expect(records).toEqual([2, 3, 4, 5, 6]);
    expect(skips).toEqual([]);
  });

  it('prefers the consistent delimiter when the other one appears unquoted in addresses', async () => {
    const text = 'nom;adresse;ville\nMartin;12, rue de la Paix;Paris\nGirard;3 avenue Foch;Lyon\nBonnet;5, 7 et 9 quai Voltaire;Nantes\n';
    const { table, rows } = await collect(text);
    expect(table.meta['delimiter']).toBe(';');
    expect(rows[2]).toEqual(['Bonnet', '5, 7 et 9 quai Voltaire', 'Nantes']);
  });

  it('reads a one-column file without splitting on commas inside values', async () => {
    const { table, rows, skips } = await collect('email\njean.martin@free.fr\n"Dupont, Jean" <j.dupont@orange.fr>\nzoe@laposte.net\n');
    expect(table.columns).toEqual(['column_1']);
    expect(rows).toEqual([['jean.martin@free.fr'], ['Dupont, Jean <j.dupont@orange.fr>'], ['zoe@laposte.net']]);
    expect(skips).toEqual([]);
  });

  it('gives the same events whatever the chunk sizes, CRLF split included', async () => {
    const plain = PEOPLE.slice(1, 3).map((r) => r.map((v) => v.replace(/[";]/g, ' ')));
    const body = toCsv(PEOPLE, ';') + 'Perrin;Inès;bad\r\n' + toCsv(PEOPLE.slice(1), ';', '\n') + 'Girard;"Léa\r\n' + toCsv(plain, ';', '\r');
    const opts = { batchSize: 3, maxRecordChars: 400 };
    const whole = await collect(body, opts);
    expect(whole.skips).toEqual([
      { reason: 'field count', line: 8, record: 7 },
      { reason: 'unclosed quote', line: 15, record: 13 },
    ]);
    expect(whole.rows).toHaveLength(12);
    for (const sizes of [[1], [2], [3, 1, 7, 2], [5, 6, 4], [7]]) {
      const chunked = await collect(pieces(body, sizes), opts, 1);
      expect(chunked.events).toEqual(whole.events);
    }
    // Pieces cut exactly between CR and LF: no phantom empty line, same line numbers.
    const crlf = body.split(/(?<=\r)(?=\n)/);
    expect(
      (
        await collect(
          (async function* () {
            yield* crlf;
          })(),
          opts,
          1,
        )
      ).events,
    ).toEqual(whole.events);
  });

  it('handles LF, CRLF, lone CR, blank lines and a missing final line break', async () => {
    const text = '\r\nnom,ville\n\nMartin,Paris\r\n\r\nGirard,Lyon\rBonnet,Nantes';
    const { headerRow, meta } = (await collect(text)).table as Extract<ReadEvent, { kind: 'table' }>;
    const { rows, skips } = await collect(text + '\nPerrin\n');
    expect(headerRow).toEqual(['nom', 'ville']);
    expect(meta['lineEnding']).toBe('mixed');
    expect(rows).toEqual([
      ['Martin', 'Paris'],
      ['Girard', 'Lyon'],
      ['Bonnet', 'Nantes'],
    ]);
    expect(skips).toEqual([{ reason: 'field count', line: 8, record: 5 }]);
  });

  it('holds back the first row even when it is data (no header)', async () => {
    const text = 'Martin;Jean;jean.martin@free.fr\nGirard;Léa;lea.girard@orange.fr\n';
    const { table, rows } = await collect(text);
    expect(table.headerRow).toEqual(['Martin', 'Jean', 'jean.martin@free.fr']);
    expect(rows).toEqual([['Girard', 'Léa', 'lea.girard@orange.fr']]);
  });

  it('skips records with the wrong field count, naming line and record, and keeps batches consecutive', async () => {
    const text =
      'nom;prénom;email\nMartin;Jean;jean.martin@free.fr\nGirard;Léa\n\nBonnet;Anaïs;anais@sfr.fr;extra\nPerrin;"Inès\nMarie";ines.perrin@gmail.com\nRoux;Loïc;loic.roux@free.fr\n';
    const { rows, records, skips, events } = await collect(text);
    expect(skips).toEqual([
      { reason: 'field count', line: 3, record: 3 },
      { reason: 'field count', line: 5, record: 4 },
    ]);
    expect(rows.map((r) => r[0])).toEqual(['Martin', 'Perrin', 'Roux']);
    expect(records).toEqual([2, 5, 6]);
    expect(events.map((e) => e.kind)).toEqual(['table', 'rows', 'skip', 'skip', 'rows']);
  });

  it('tolerates a trailing delimiter on data rows or on the header only', async () => {
    const data = await collect('nom;ville\nMartin;Paris;\nGirard;Lyon;\n');
    expect(data.rows).toEqual([
      ['Martin', 'Paris'],
      ['Girard', 'Lyon'],
    ]);
    const header = await collect('nom;ville;\nMartin;Paris\nGirard;Lyon;\n');
    expect(header.rows).toEqual([
      ['Martin', 'Paris'],
      ['Girard', 'Lyon', ''],
    ]);
    expect(header.skips).toEqual([]);
    const twoExtra = await collect('nom;ville\nMartin;Paris;;\n');
    expect(twoExtra.skips).toEqual([{ reason: 'field count', line: 2, record: 2 }]);
  });

  it('skips an unclosed quote in the middle of a file and reads the rows after it', async () => {
    const header = toCsv([PEOPLE[0]!], ';', '\n');
    const stray = 'Perrin;"Inès;ines@free.fr;x;x;x;x;x\n';
    const plain = toCsv(
      PEOPLE.slice(1).map((r) => r.map((v) => v.replace(/[";\n]/g, ' '))),
      ';',
      '\n',
    );
    // No quote after it: the quote never closes; the lines after it are read as records.
    const atEnd = await collect(header + stray + plain);
    expect(atEnd.skips).toEqual([{ reason: 'unclosed quote', line: 2, record: 2 }]);
    expect(atEnd.rows).toHaveLength(5);
    expect(atEnd.rows[0]?.[0]).toBe('Lefèvre');
    // Past maxRecordChars, with more text to come: decided without buffering the rest.
    const capped = await collect(pieces(header + stray + plain.repeat(200), [3, 5]), { maxRecordChars: 300 }, 1);
    expect(capped.skips).toEqual([{ reason: 'unclosed quote', line: 2, record: 2 }]);
    expect(capped.rows).toHaveLength(1000);
    // Closed by a later quoted field: the joined record has the wrong field count, and the
    // lines it swallowed are read again, so no good row is lost.
    const good = toCsv(PEOPLE.slice(1), ';', '\n');
    const joined = await collect(header + stray + good);
    expect(joined.skips).toEqual([{ reason: 'field count', line: 2, record: 2 }]);
    expect(joined.rows).toEqual(PEOPLE.slice(1));
    expect(joined.records).toEqual([3, 4, 5, 6, 7]);
  });

  it('skips an absurdly long unquoted line and reads on', async () => {
    const text = 'nom;ville\nMartin;Paris\n' + 'A'.repeat(5000) + ';B\nGirard;Lyon\n';
    const { rows, skips } = await collect(pieces(text, [7]), { maxRecordChars: 1000 }, 1);
    expect(skips).toEqual([{ reason: 'record too long', line: 3, record: 3 }]);
    expect(rows).toEqual([
      ['Martin', 'Paris'],
      ['Girard', 'Lyon'],
    ]);
  });

  it('stays linear on a hostile file fed in tiny chunks', async () => {
    // 600 KB with a quote that never closes and no line break: a re-scanning parser would
    // take minutes; this one must take well under the test timeout.
    const text = 'nom;ville\nMartin;"' + 'Paris '.repeat(100_000) + '\nGirard;Lyon\n';
    const t0 = performance.now();
    const { rows, skips } = await collect(pieces(text, [3, 7, 5]), {}, 1);
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(skips).toEqual([{ reason: 'unclosed quote', line: 2, record: 2 }]);
    expect(rows).toEqual([['Girard', 'Lyon']]);
  });

  it('keeps a stray quote inside an unquoted field, as Excel does', async () => {
    const { rows, skips } = await collect('produit;prix\nÉcran 24" Full HD;129,90 €\nCâble 2m "HDMI";9,90 €\n');
    expect(rows).toEqual([
      ['Écran 24" Full HD', '129,90 €'],
      ['Câble 2m "HDMI"', '9,90 €'],
    ]);
    expect(skips).toEqual([]);
  });

  it('strips a BOM left in the text and batches rows by batchSize', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => [`Martin${i}`, `0${i}12345678`]);
    const { table, events } = await collect('\ufeff' + toCsv([['nom', 'tel'], ...rows], ','), { batchSize: 4 });
    expect(table.headerRow).toEqual(['nom', 'tel']);
    const batches = events.filter((e) => e.kind === 'rows');
    expect(batches.map((b) => [b.firstRecord, b.rows.length])).toEqual([
      [2, 4],
      [6, 4],
      [10, 2],
    ]);
  });

  it('throws VIGIE_EMPTY_FILE, naming the file, when there is no record', async () => {
    for (const text of ['', '\r\n\n\r\n']) {
      const err = await collect(text).catch((e: unknown) => e);
      expect(isVigieError(err) && err.code).toBe('VIGIE_EMPTY_FILE');
      expect((err as Error).message).toContain('fuite.csv');
    }
  });

  it('reports a file that is one unclosed quote as a table with a skip', async () => {
    const { table, rows, skips } = await collect('"Martin;Jean;jean.martin@free.fr');
    expect(table.headerRow).toBeUndefined();
    expect(rows).toEqual([]);
    expect(skips).toEqual([{ reason: 'unclosed quote', line: 1, record: 1 }]);
  });

  it.each(['utf16le', 'utf16be', 'windows-1252'])('reads %s bytes through decodeStream', async (enc) => {
    const bytes = iconv.encode(toCsv(PEOPLE, ';').replace('Dubœuf', 'Dubœuf’'), enc, { addBOM: enc.startsWith('utf') });
    async function* chunks() {
      for (let i = 0; i < bytes.length; i += 5) yield bytes.subarray(i, i + 5);
    }
    const decoded = await decodeStream(chunks(), { file: 'fuite.csv' });
    const { rows } = await collect(decoded.text);
    expect(decoded.encoding).toBe(enc);
    expect(rows[1]?.[0]).toBe('Dubœuf’');
    expect(rows[0]).toEqual(PEOPLE[1]);
  });
});

describe('readDelimited on a malformed record that spans lines', () => {
  it('counts it once, and keeps the good rows around it', async () => {
    const good = PEOPLE.slice(0, 3);
    // One field missing, and a quoted two-line comment: one malformed record, not two.
    const bad = ['Martin', 'Anaïs', 'a.martin@free.fr', '06 11 22 33 44', '02/03/1990', 'Appeler le soir\nsauf le mardi', '75011'];
    const text = toCsv([...good, bad, ...PEOPLE.slice(3)], ';');
    for (const sizes of [[text.length], [1, 3, 7]]) {
      const { rows, skips } = await collect(pieces(text, sizes));
      expect(skips).toEqual([{ reason: 'field count', line: 4, record: 4 }]);
      expect(rows.map((r) => r[0])).toEqual(['Lefèvre', 'Dubœuf', 'Müller', "N'Diaye", 'Da Silva']);
    }
  });
});

describe('readDelimited on a spreadsheet export with lines above the header', () => {
  it('skips a title and a date line as preamble and takes the next row as the header', async () => {
    const text = 'Export des clients\r\nÉdité le 23/11/2026;par le service RH\r\n' + toCsv(PEOPLE, ';');
    for (const sizes of [[text.length], [2, 5]]) {
      const { table, rows, skips } = await collect(pieces(text, sizes));
      expect(skips).toEqual([
        { reason: 'preamble', line: 1, record: 1 },
        { reason: 'preamble', line: 2, record: 2 },
      ]);
      expect(table.kind === 'table' && table.headerRow).toEqual(PEOPLE[0]);
      expect(rows).toEqual(PEOPLE.slice(1));
    }
  });

  it('keeps a short file whose first row is the only one of its width', async () => {
    const { table, rows, skips } = await collect('nom;prénom\r\nLefèvre;Hélène\r\n');
    expect(skips).toEqual([]);
    expect(table.kind === 'table' && table.headerRow).toEqual(['nom', 'prénom']);
    expect(rows).toEqual([['Lefèvre', 'Hélène']]);
  });
});
