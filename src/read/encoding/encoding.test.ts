import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { isVigieError } from '../../errors.js';
import { createDecoder } from './decoders.js';
import { decodeStream, detectEncoding, looksBinary } from './index.js';

// Synthetic people (never real ones), in the writings French leaks use.
const CSV = [
  'nom;prénom;email;téléphone;adresse;ville',
  'Lefèvre;Hélène;helene.lefevre@orange.fr;06 12 34 56 78;"12, rue de la Forêt";Besançon',
  'Dubœuf;François;f.duboeuf@free.fr;+33 6 98 76 54 32;3 bis allée des Cèdres;Nîmes',
  'Müller;Zoé;zoe.muller@laposte.net;0612345678;Château d’Eau, bât. B;Orléans',
  'Nguyen;Noël;noel.nguyen@gmail.com;07.81.22.33.44;« Les Tilleuls » 8 place du Marché;Évry',
  'Da Silva;Maëlle;maelle.dasilva@sfr.fr;+33781223344;impasse Émile-Zola;Saint-Étienne',
  'Cotisation;12,50 €;;;;',
].join('\r\n');
/** The same people without the characters ISO-8859-1 lacks (€ œ ’ « »). */
const CSV_LATIN1 = CSV.replace(/œ/g, 'oe').replace(/’/g, "'").replace(/[«»]/g, '"').replace(/€/g, 'EUR');
/** ISO-8859-15 has € and œ but no typographic apostrophe. */
const CSV_LATIN9 = CSV.replace(/’/g, "'");

async function* chunks(buf: Uint8Array, sizes: number[] | number): AsyncGenerator<Buffer> {
  let i = 0;
  let k = 0;
  while (i < buf.length) {
    const n = typeof sizes === 'number' ? sizes : sizes[k++ % sizes.length]!;
    yield Buffer.from(buf.subarray(i, i + n));
    i += n;
  }
}

async function decodeAll(buf: Uint8Array, sizes: number[] | number, sampleBytes?: number) {
  const decoded = await decodeStream(chunks(buf, sizes), { file: 'fuite.csv', ...(sampleBytes ? { sampleBytes } : {}) });
  let text = '';
  for await (const t of decoded.text) text += t;
  return { text, decoded };
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s >>> 16;
  };
}

describe('detectEncoding', () => {
  it('trusts a byte-order mark first', () => {
    expect(detectEncoding(Buffer.from('\ufeffnom;prénom', 'utf8'), true)).toEqual({ encoding: 'utf8', bomLength: 3, by: 'bom' });
    expect(detectEncoding(iconv.encode('nom;prénom', 'utf16le', { addBOM: true }), true)).toMatchObject({ encoding: 'utf16le', bomLength: 2 });
    expect(detectEncoding(iconv.encode('nom;prénom', 'utf16be', { addBOM: true }), true)).toMatchObject({ encoding: 'utf16be', bomLength: 2 });
    expect(detectEncoding(iconv.encode('nom;prénom', 'utf32le', { addBOM: true }), true)).toMatchObject({ encoding: 'utf32le', bomLength: 4 });
  });

  it('recognises UTF-16 without BOM by its NUL bytes', () => {
    expect(detectEncoding(iconv.encode(CSV, 'utf16le'), false)).toEqual({ encoding: 'utf16le', bomLength: 0, by: 'nul-pattern' });
    expect(detectEncoding(iconv.encode(CSV, 'utf16be'), false)).toEqual({ encoding: 'utf16be', bomLength: 0, by: 'nul-pattern' });
  });

  it('does not hold a UTF-8 sequence cut by the sample end against UTF-8, unless it is the end', () => {
    const b = Buffer.from(CSV, 'utf8');
    const cut = b.indexOf(Buffer.from('é', 'utf8')) + 1; // inside the two bytes of é
    expect(detectEncoding(b.subarray(0, cut), false)).toMatchObject({ encoding: 'utf8', by: 'utf8-valid' });
    const euro = Buffer.from('Prix : 12 €', 'utf8');
    expect(detectEncoding(euro.subarray(0, euro.length - 1), false).encoding).toBe('utf8');
    expect(detectEncoding(euro.subarray(0, euro.length - 1), true).encoding).not.toBe('utf8');
  });

  it('keeps UTF-8 when raw binary values break its validity, and Windows-1252 when the words are 1252', () => {
    const next = lcg(7);
    // Each line with 32 random bytes, as a dump without --hex-blob writes a hash column.
    const withBinary = (encode: (s: string) => Buffer, size = 32) =>
      Buffer.concat(
        Array.from({ length: 40 }, (_, i) => {
          const line = CSV.split('\r\n')[1 + (i % 5)]!;
          return Buffer.concat([encode(`${line};`), Buffer.from(Array.from({ length: size }, () => next() & 0xff)), Buffer.from('\n')]);
        }),
      );
    // 1 KiB of binary per line (a thumbnail), about ten times the text: the same answers.
    expect(
      detectEncoding(
        withBinary((s) => Buffer.from(s, 'utf8'), 1024),
        true,
      ),
    ).toMatchObject({ encoding: 'utf8', by: 'utf8-words' });
    expect(
      detectEncoding(
        withBinary((s) => iconv.encode(s, 'windows-1252'), 1024),
        true,
      ).encoding,
    ).toBe('windows-1252');
    const utf8 = withBinary((s) => Buffer.from(s, 'utf8'));
    expect(detectEncoding(utf8, true)).toEqual({ encoding: 'utf8', bomLength: 0, by: 'utf8-words' });
    expect(
      detectEncoding(
        withBinary((s) => iconv.encode(s, 'windows-1252')),
        true,
      ).encoding,
    ).toBe('windows-1252');
    expect(detectEncoding(iconv.encode(CSV, 'windows-1252'), true).encoding).toBe('windows-1252');
    // Random bytes alone hold a few UTF-8 sequences by chance: not enough.
    const random = Buffer.from(Array.from({ length: 65536 }, () => next() & 0xff));
    expect(detectEncoding(random, true).by).not.toBe('utf8-words');
  });

  it('calls pure ASCII UTF-8, as weak evidence', () => {
    expect(detectEncoding(Buffer.from('email\njean.martin@free.fr\n'), true)).toEqual({ encoding: 'utf8', bomLength: 0, by: 'ascii' });
  });

  it('reads chardet’s ISO-8859-1 as Windows-1252, and tells ISO-8859-15 and CP850 apart', () => {
    expect(detectEncoding(iconv.encode(CSV, 'windows-1252'), true).encoding).toBe('windows-1252');
    expect(detectEncoding(iconv.encode(CSV_LATIN1, 'iso-8859-1'), true).encoding).toBe('windows-1252');
    expect(detectEncoding(iconv.encode(CSV_LATIN9, 'iso-8859-15'), true).encoding).toBe('iso-8859-15');
    expect(detectEncoding(iconv.encode(CSV_LATIN1, 'cp850'), true).encoding).toBe('cp850');
  });
});

describe('decodeStream', () => {
  it.each([
    ['windows-1252', CSV],
    ['iso-8859-1', CSV_LATIN1],
    ['iso-8859-15', CSV_LATIN9],
    ['cp850', CSV_LATIN1],
  ])('decodes %s French text exactly', async (enc, text) => {
    const { text: out, decoded } = await decodeAll(iconv.encode(text, enc), [5, 64, 3]);
    expect(out).toBe(text);
    expect(decoded.replacements).toBe(0);
  });

  it('decodes é € œ ’ from Windows-1252 bytes, not as C1 controls', async () => {
    const { text } = await decodeAll(iconv.encode('é € œ ’ “Œ”', 'windows-1252'), 1);
    expect(text).toBe('é € œ ’ “Œ”');
  });

  it.each(['utf16le', 'utf16be'])('strips the BOM of %s and joins characters split across chunks', async (enc) => {
    const bytes = iconv.encode(CSV, enc, { addBOM: true });
    const { text, decoded } = await decodeAll(bytes, [1, 3, 2, 7]);
    expect(text).toBe(CSV);
    expect(decoded).toMatchObject({ encoding: enc, bomLength: 2, by: 'bom' });
  });

  it('decodes UTF-32LE with BOM through iconv-lite', async () => {
    const { text, decoded } = await decodeAll(iconv.encode(CSV, 'utf32le', { addBOM: true }), [3, 5]);
    expect(text).toBe(CSV);
    expect(decoded).toMatchObject({ encoding: 'utf32le', bomLength: 4 });
  });

  it('strips a UTF-8 BOM and joins multi-byte characters split across one-byte chunks', async () => {
    const { text, decoded } = await decodeAll(Buffer.from('\ufeff' + CSV, 'utf8'), 1, 16);
    expect(text).toBe(CSV);
    expect(decoded).toMatchObject({ encoding: 'utf8', bomLength: 3 });
  });

  it('replaces bytes invalid in UTF-8 after the sample, counts them, and goes on', async () => {
    const good = Buffer.from(CSV + '\r\n', 'utf8');
    const bad = Buffer.concat([good, Buffer.from([0x4c, 0xe9, 0x61, 0xff, 0x0a]), good]);
    const { text, decoded } = await decodeAll(bad, 100, good.length);
    expect(decoded.encoding).toBe('utf8');
    expect(text).toBe(`${CSV}\r\nL\ufffda\ufffd\n${CSV}\r\n`);
    expect(decoded.replacements).toBe(2);
  });

  it('decides again when an ASCII-only sample is followed by Windows-1252', async () => {
    const ascii = 'nom;email\r\n' + 'Martin;jean.martin@free.fr\r\n'.repeat(40);
    const bytes = Buffer.concat([Buffer.from(ascii), iconv.encode('Lefèvre;hélène@orange.fr\r\nDubœuf;coût 12 €\r\n', 'windows-1252')]);
    const { text, decoded } = await decodeAll(bytes, 7, 64);
    expect(text).toBe(ascii + 'Lefèvre;hélène@orange.fr\r\nDubœuf;coût 12 €\r\n');
    expect(decoded).toMatchObject({ encoding: 'windows-1252', replacements: 0 });
  });

  it('keeps UTF-8 when an ASCII-only sample is followed by UTF-8', async () => {
    const ascii = 'nom;email\n' + 'Martin;jean.martin@free.fr\n'.repeat(40);
    const { text, decoded } = await decodeAll(Buffer.from(ascii + CSV, 'utf8'), 5, 64);
    expect(text).toBe(ascii + CSV);
    expect(decoded).toMatchObject({ encoding: 'utf8', by: 'utf8-valid' });
  });

  it('reports raw bytes consumed and handles empty input', async () => {
    const seen: number[] = [];
    const bytes = Buffer.from(CSV, 'utf8');
    const decoded = await decodeStream(chunks(bytes, 50), { file: 'f.csv', sampleBytes: 100, onBytes: (n) => seen.push(n) });
    for await (const _ of decoded.text) void _;
    expect(seen.at(-1)).toBe(bytes.length);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    const empty = await decodeAll(Buffer.alloc(0), 1);
    expect(empty.text).toBe('');
    expect(empty.decoded.encoding).toBe('utf8');
  });

  it('honours a forced encoding, skips its BOM, and rejects an unknown one by name only', async () => {
    const bytes = iconv.encode(CSV, 'utf16le', { addBOM: true });
    const decoded = await decodeStream(chunks(bytes, 9), { file: 'f.csv', encoding: 'UTF-16LE' });
    let text = '';
    for await (const t of decoded.text) text += t;
    expect(text).toBe(CSV);
    expect(decoded).toMatchObject({ by: 'forced', bomLength: 2 });
    const err = await decodeStream(chunks(Buffer.from(CSV), 9), { file: 'f.csv', encoding: 'klingon-8' }).catch((e: unknown) => e);
    expect(isVigieError(err) && err.code).toBe('VIGIE_BAD_ENCODING');
    expect(String((err as Error).message)).toContain('f.csv');
    expect(String((err as Error).message)).not.toContain('Lefèvre');
  });

  it('closes the byte source when the reader stops early', async () => {
    let closed = false;
    let pulled = 0;
    async function* source(): AsyncGenerator<Buffer> {
      try {
        for (;;) {
          pulled++;
          yield Buffer.from('Martin;jean.martin@free.fr\n');
        }
      } finally {
        closed = true;
      }
    }
    const decoded = await decodeStream(source(), { file: 'f.csv', sampleBytes: 100 });
    for await (const _ of decoded.text) break;
    expect(closed).toBe(true);
    expect(pulled).toBeLessThan(10);
  });
});

describe('createDecoder', () => {
  it.each(['windows-1252', 'iso-8859-15', 'iso-8859-1', 'cp850', 'koi8-r', 'windows-1250'])('decodes every byte of %s as iconv-lite does', (enc) => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const d = createDecoder(enc);
    expect(d.write(all.subarray(0, 100)) + d.write(all.subarray(100)) + d.end()).toBe(iconv.decode(all, enc));
  });

  it('rejects an unknown encoding', () => {
    expect(() => createDecoder('klingon-8')).toThrow(RangeError);
  });
});

describe('looksBinary', () => {
  it('flags random bytes and image data', () => {
    const next = lcg(42);
    const random = Buffer.from(Array.from({ length: 4096 }, () => next() & 0xff));
    expect(looksBinary(random)).toBe(true);
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64), random.subarray(0, 200)]);
    expect(looksBinary(png)).toBe(true);
  });

  it('passes text in every encoding, including UTF-16 with its NULs and a rare stray control', () => {
    expect(looksBinary(Buffer.from(CSV, 'utf8'))).toBe(false);
    expect(looksBinary(iconv.encode(CSV, 'windows-1252'))).toBe(false);
    expect(looksBinary(iconv.encode(CSV, 'utf16le'))).toBe(false);
    expect(looksBinary(iconv.encode(CSV, 'utf16be', { addBOM: true }))).toBe(false);
    expect(looksBinary(Buffer.from(`${CSV}\u0000${CSV}`, 'utf8'))).toBe(false);
    expect(looksBinary(Buffer.alloc(0))).toBe(false);
  });

  it('passes text whose values hold raw control bytes but no NUL, as tools write binary columns', () => {
    const next = lcg(9);
    const rows = Array.from({ length: 50 }, () =>
      Buffer.concat([Buffer.from("(1,'Lefèvre','"), Buffer.from(Array.from({ length: 32 }, () => next() & 0xff || 0x30)), Buffer.from("'),\n")]),
    );
    const dump = Buffer.concat(rows);
    expect(looksBinary(dump)).toBe(false);
    dump[10] = 0; // one NUL: then 1 % of controls is binary again
    expect(looksBinary(dump)).toBe(true);
  });
});
