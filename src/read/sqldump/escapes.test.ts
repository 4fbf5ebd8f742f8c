import { describe, expect, it } from 'vitest';
import { DEFAULT_COPY_FORMAT, decodeCopyLine } from './copy.js';
import { decodeMysqlEscapes, decodePgEscapes } from './dialect.js';

describe('decodeMysqlEscapes', () => {
  it('maps each MySQL escape, keeps the backslash of \\% and \\_, drops it elsewhere', () => {
    expect(decodeMysqlEscapes('\\0\\\'\\"\\b\\n\\r\\t\\Z\\\\\\%\\_\\é')).toBe('\0\'"\b\n\r\t\x1a\\\\%\\_é');
    expect(decodeMysqlEscapes('sans échappement')).toBe('sans échappement');
    expect(decodeMysqlEscapes('fin\\')).toBe('fin\\');
  });
});

describe('decodePgEscapes', () => {
  it("decodes E'' escapes: control letters, octal and hex bytes as UTF-8, \\u and \\U code points", () => {
    expect(decodePgEscapes("\\b\\f\\n\\r\\t\\v\\'\\\\")).toBe("\b\f\n\r\tv'\\");
    expect(decodePgEscapes('\\101\\x41\\x4\\303\\251\\xc3\\xa9')).toBe('AA\x04éé');
    expect(decodePgEscapes('\\u00e9\\U0001F600\\u12')).toBe('é😀u12');
    expect(decodePgEscapes('\\xff')).toBe('\ufffd');
  });

  it('in COPY mode, reads \\v and leaves \\u alone', () => {
    expect(decodePgEscapes('\\v\\u00e9', true)).toBe('\vu00e9');
  });
});

describe('decodeCopyLine', () => {
  it('splits on tabs, reads \\N as null and an empty field as empty text', () => {
    expect(decodeCopyLine("1\tO'Brien\t\\N\t\tC:\\\\temp", DEFAULT_COPY_FORMAT)).toEqual(['1', "O'Brien", null, '', 'C:\\temp']);
  });

  it('compares NULL before de-escaping: \\\\N is the text \\N', () => {
    expect(decodeCopyLine('\\\\N\t\\N', DEFAULT_COPY_FORMAT)).toEqual(['\\N', null]);
  });

  it('does not split on an escaped delimiter', () => {
    expect(decodeCopyLine('a\\|b|c\\\\|d', { delimiter: '|', nullText: '' })).toEqual(['a|b', 'c\\', 'd']);
    expect(decodeCopyLine('a\\\tb\tc', DEFAULT_COPY_FORMAT)).toEqual(['a\tb', 'c']);
  });
});
