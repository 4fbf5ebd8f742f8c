/** Output encodings of generated files, as leaked files come: UTF-8 with or without BOM, UTF-16LE, Windows-1252. */
import iconv from 'iconv-lite';

export type GenEncoding = 'utf8' | 'utf8-bom' | 'utf16le' | 'windows-1252';

/** The byte-order mark written first: UTF-8's when asked, UTF-16LE's always (as Excel's "Unicode text" does). */
export function bom(encoding: GenEncoding): Buffer {
  if (encoding === 'utf8-bom') return Buffer.from([0xef, 0xbb, 0xbf]);
  if (encoding === 'utf16le') return Buffer.from([0xff, 0xfe]);
  return Buffer.alloc(0);
}

/** Encodes a chunk of text. Windows-1252 maps every character the generator's lists use (names.test.ts). */
export function encode(text: string, encoding: GenEncoding): Buffer {
  switch (encoding) {
    case 'utf8':
    case 'utf8-bom':
      return Buffer.from(text, 'utf8');
    case 'utf16le':
      return Buffer.from(text, 'utf16le');
    case 'windows-1252':
      return iconv.encode(text, 'windows-1252');
  }
}
