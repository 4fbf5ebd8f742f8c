import { describe, expect, it } from 'vitest';
import { MYSQL, POSTGRES } from './dialect.js';
import type { Dialect } from './dialect.js';
import { SqlLexer } from './lexer.js';
import type { LexSink, TokenType } from './lexer.js';

const NAMES = ['word', 'number', 'ident', 'string', 'punct'];

/** Lexes `chunks` and lists tokens as `kind:text@line`, with prefixes and the end state. */
function lex(dialect: Dialect, chunks: string[], limit = 1000): string[] {
  const out: string[] = [];
  const sink: LexSink = {
    token(type: TokenType, text: string) {
      const prefix = type === 3 && lexer.prefix !== '' ? `${lexer.prefix}` : '';
      out.push(`${NAMES[type]}:${prefix}${text}@${lexer.tokenLine}`);
    },
    line(text: string, complete: boolean) {
      out.push(`line:${text}${complete ? '' : '(cut)'}`);
    },
    end(open) {
      out.push(`end:${open ?? 'clean'}`);
    },
  };
  const lexer = new SqlLexer(dialect, sink, limit);
  lexer.keep = true;
  for (const c of chunks) lexer.feed(c);
  lexer.end();
  return out;
}

/** Every way to cut `text` in two, plus one character at a time: all must lex alike. */
function expectChunkInvariant(dialect: Dialect, text: string): string[] {
  const whole = lex(dialect, [text]);
  for (let i = 1; i < text.length; i++) expect(lex(dialect, [text.slice(0, i), text.slice(i)])).toEqual(whole);
  expect(lex(dialect, [...text])).toEqual(whole);
  return whole;
}

describe('SqlLexer (MySQL rules)', () => {
  it('tokenizes words, numbers, quoted names, strings and punctuation, whatever the chunking', () => {
    const sql = "INSERT INTO `ta``b` VALUES (-1.5e-3,0x1F,'O\\'B''r\\\\',\"d\"\"q\",b'01',_binary'x',N'n');-- c\n# h\n/*!4 x */x";
    expect(expectChunkInvariant(MYSQL, sql)).toEqual([
      'word:INSERT@1',
      'word:INTO@1',
      'ident:ta`b@1',
      'word:VALUES@1',
      'punct:(@1',
      'punct:-@1',
      'number:1.5e-3@1',
      'punct:,@1',
      'number:0x1F@1',
      'punct:,@1',
      "string:O'B'r\\@1",
      'punct:,@1',
      'string:d"q@1',
      'punct:,@1',
      'string:b01@1',
      'punct:,@1',
      'string:_binaryx@1',
      'punct:,@1',
      'string:Nn@1',
      'punct:)@1',
      'punct:;@1',
      'word:x@3',
      'end:clean',
    ]);
  });

  it('ends a hex number before a sign, and counts lines inside strings', () => {
    expect(lex(MYSQL, ["0x1e-1 'a\nb' c"])).toEqual(['number:0x1e@1', 'punct:-@1', 'number:1@1', 'string:a\nb@1', 'word:c@2', 'end:clean']);
  });

  it('reports what is left open at the end', () => {
    expect(lex(MYSQL, ["x 'abc"]).at(-1)).toBe('end:quote');
    expect(lex(MYSQL, ['x `abc']).at(-1)).toBe('end:quote');
    expect(lex(MYSQL, ['x /* abc']).at(-1)).toBe('end:comment');
  });

  it('cuts a string past the limit and flags it, without holding it', () => {
    const seen: boolean[] = [];
    const sink: LexSink = { token: () => seen.push(lexer.overflow), line: () => {}, end: () => {} };
    const lexer = new SqlLexer(MYSQL, sink, 1 << 16);
    lexer.keep = true;
    lexer.feed("'");
    let maxHeld = 0;
    for (let i = 0; i < 256; i++) {
      lexer.feed(Buffer.from('é'.repeat(65536)).toString('utf8'));
      maxHeld = Math.max(maxHeld, lexer.buffered);
    }
    lexer.feed("' 'ok'");
    lexer.end();
    expect(maxHeld).toBeLessThanOrEqual(1 << 16);
    expect(seen).toEqual([true, false]);
  });
});

describe('SqlLexer (PostgreSQL rules)', () => {
  it('reads E-strings, casts, dollar quotes, nested comments and meta-commands, whatever the chunking', () => {
    const sql = "\\connect db\nSELECT E'a\\'b\\n', 'c''d'::text, $f$ x $ y $$ $f$, $$$$ /* a /* b */ c */ \"Nom\"\"X\" $1;";
    expect(expectChunkInvariant(POSTGRES, sql)).toEqual([
      'word:SELECT@2',
      "string:Ea'b\n@2",
      'punct:,@2',
      "string:c'd@2",
      'punct:::@2',
      'word:text@2',
      'punct:,@2',
      'string:$ x $ y $$ @2',
      'punct:,@2',
      'string:$@2',
      'ident:Nom"X@2',
      'punct:$@2',
      'number:1@2',
      'punct:;@2',
      'end:clean',
    ]);
  });

  it('keeps backslashes in standard strings', () => {
    expect(lex(POSTGRES, ["'C:\\temp\\'"])).toEqual(['string:C:\\temp\\@1', 'end:clean']);
  });

  it('gives COPY lines in line mode, then tokens again', () => {
    const out: string[] = [];
    const sink: LexSink = {
      token: (_t, text) => {
        out.push(`t:${text}`);
        if (text === ';' && out.length === 2) lexer.lineMode(true);
      },
      line: (text, complete) => {
        out.push(`l:${text}:${complete}:${lexer.tokenLine}`);
        if (text === '\\.') lexer.tokenMode();
      },
      end: () => {},
    };
    const lexer = new SqlLexer(POSTGRES, sink, 100);
    for (const c of [...'COPY; ignored\r\na\tb\r\n\\.\nnext;\nx']) lexer.feed(c);
    lexer.end();
    expect(out).toEqual(['t:COPY', 't:;', 'l:a\tb:true:2', 'l:\\.:true:3', 't:next', 't:;', 't:x']);
  });
});
