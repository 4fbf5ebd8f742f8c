import { describe, expect, it } from 'vitest';
import { readJson } from './index.js';
import { allRows, collect, oneChunk, randomChunks } from './test-helpers/collect.js';
import { MAX_COLUMNS } from '../limits.js';
import { quoteNumbers } from './table.js';
import type { ReadOptions } from '../types.js';

const opts: ReadOptions = { displayName: 'fuite.json' };
const read = (text: string, o: Partial<ReadOptions> = {}) => collect(readJson(oneChunk(text), { ...opts, ...o }));

const record = (i: number) => `{"email":"client${i}@exemple.fr","tel":"06 00 00 00 ${String(i).padStart(2, '0')}"}`;

describe('readJson: fatal errors in a document', () => {
  it('fails on a syntax error after emitting the rows before it, without quoting the input', async () => {
    const text = `[\n${record(1)},\n${record(2)},\n{"email":"secret.victime@exemple.fr", tel: 0612}\n,${record(4)}]`;
    for (const c of [await read(text), await collect(readJson(randomChunks(text, 3), opts))]) {
      expect(allRows(c.events)).toEqual([
        ['client1@exemple.fr', '06 00 00 00 01'],
        ['client2@exemple.fr', '06 00 00 00 02'],
      ]);
      expect(c.error?.code).toBe('VIGIE_SYNTAX');
      expect(c.error?.position).toEqual({ file: 'fuite.json', line: 4, record: 3, table: undefined });
      expect(c.error?.message).toBe('fuite.json, line 4, record 3: invalid JSON in a record');
      expect(c.error?.cause).toBeUndefined();
    }
  });

  it('fails on a separator error with the line', async () => {
    const c = await read(`[${record(1)}\n${record(2)}]`);
    expect(c.error?.code).toBe('VIGIE_SYNTAX');
    expect(c.error?.message).toMatch(/line 2.*expected ',' or '\]'/);
    expect(allRows(c.events)).toHaveLength(1);
  });

  it('stops a 100k-deep nesting bomb at the depth limit, without stack overflow', async () => {
    const bomb = '['.repeat(100_000);
    const t = performance.now();
    const c = await read(bomb);
    expect(performance.now() - t).toBeLessThan(1000);
    expect(c.error?.code).toBe('VIGIE_TOO_LARGE');
    expect(c.error?.message).toBe('fuite.json, line 1, record 1: JSON nesting deeper than 64 levels');
    const objects = await read(`{"a":`.repeat(100_000));
    expect(objects.error?.code).toBe('VIGIE_TOO_LARGE');
  });

  it('honours maxDepth exactly', async () => {
    // Depth 3: the outer array, the record, one nested object.
    expect((await read('[{"a":{"b":1}}]', { maxDepth: 3 })).error).toBeUndefined();
    expect((await read('[{"a":{"b":[1]}}]', { maxDepth: 3 })).error?.code).toBe('VIGIE_TOO_LARGE');
  });

  it('reports truncation and trailing data', async () => {
    const cut = await read(`[${record(1)},{"email":"x`);
    expect(cut.error?.code).toBe('VIGIE_TRUNCATED');
    expect(allRows(cut.events)).toHaveLength(1);
    const open = await read(`{"users":[${record(1)}`);
    expect(open.error?.code).toBe('VIGIE_TRUNCATED');
    const trailing = await read(`[${record(1)}]\n]`);
    expect(trailing.error?.code).toBe('VIGIE_SYNTAX');
    expect(trailing.error?.message).toMatch(/line 2: unexpected data after the end/);
  });

  it('refuses empty input and non-JSON', async () => {
    expect((await read('  \n ')).error?.code).toBe('VIGIE_EMPTY_FILE');
    expect((await read('nom;email')).error?.code).toBe('VIGIE_SYNTAX');
    expect((await read('{nom: "x"}')).error?.code).toBe('VIGIE_SYNTAX');
  });
});

describe('readJson: malformed records are skipped', () => {
  it('skips an over-long record of an array and reads on', async () => {
    const text = `[${record(1)},{"bio":"${'x'.repeat(50_000)}","n":[${'1,'.repeat(1000)}1]},${record(3)}]`;
    for (const chunks of [randomChunks(text, 5, 100, 3000), oneChunk(text)]) {
      const c = await collect(readJson(chunks, { ...opts, maxRecordChars: 2000 }));
      expect(c.error).toBeUndefined();
      expect(c.events.filter((e) => e.kind === 'skip')).toEqual([
        { kind: 'skip', reason: 'record too long', position: { file: 'fuite.json', line: 1, record: 2, table: undefined } },
      ]);
      expect(allRows(c.events).map((r) => r[0])).toEqual(['client1@exemple.fr', 'client3@exemple.fr']);
    }
  });

  it('bounds the number of columns a hostile file can create', async () => {
    const lines = Array.from({ length: MAX_COLUMNS + 10 }, (_, i) => `{"k${i}":"v"}`).join('\n');
    const c = await read(lines);
    expect(c.error).toBeUndefined();
    expect(c.columns[0]).toHaveLength(MAX_COLUMNS);
    const skipped = c.events.filter((e) => e.kind === 'skip');
    expect(skipped).toHaveLength(10);
    expect(skipped[0]).toMatchObject({ reason: 'too many columns', position: { line: MAX_COLUMNS + 1 } });
  });

  it('keeps a __proto__ key as an ordinary field', async () => {
    const c = await read('[{"__proto__":{"nom":"Durand"},"constructor":"x"}]');
    expect(c.columns[0]).toEqual(['__proto__.nom', 'constructor']);
    expect(allRows(c.events)).toEqual([['Durand', 'x']]);
  });
});

describe('readJson: choosing lines or document', () => {
  it('treats a one-line document as a document, and a pretty first record as a document', async () => {
    const one = await read(`{"users":[${record(1)},${record(2)}]}`);
    expect(one.events[0]).toMatchObject({ name: 'fuite.json:users', format: 'json' });
    const arrayLines = await read(`[${record(1)},\n${record(2)}]\n`);
    expect(arrayLines.events[0]).toMatchObject({ format: 'json' });
    expect(allRows(arrayLines.events)).toHaveLength(2);
  });

  it('reads lines of arrays as JSON Lines', async () => {
    const c = await read('["Dupont","Jean"]\n["Martin","Zoé"]\n');
    // The first array of strings is held back as a possible header, as in delimited text.
    expect(c.events[0]).toMatchObject({ format: 'ndjson', columns: ['[0]', '[1]'], headerRow: ['Dupont', 'Jean'] });
    expect(allRows(c.events)).toEqual([['Martin', 'Zoé']]);
  });

  it('follows the ndjson hint when the first line is too long to tell', async () => {
    const text = `{"bio":"${'x'.repeat(3000)}"}\n${record(2)}\n`;
    const c = await read(text, { maxRecordChars: 1000, formatHint: 'ndjson' });
    expect(c.events[0]).toMatchObject({ format: 'ndjson' });
    expect(c.events.filter((e) => e.kind === 'skip')).toHaveLength(1);
    expect(allRows(c.events)).toEqual([['client2@exemple.fr', '06 00 00 00 02']]);
  });
});

describe('readJson: releasing the source', () => {
  it('closes the text source when the consumer stops early', async () => {
    let closed = false;
    async function* source(): AsyncGenerator<string> {
      try {
        yield '[';
        for (let i = 1; ; i++) yield `${record(i)},`;
      } finally {
        closed = true;
      }
    }
    for await (const ev of readJson(source(), { ...opts, batchSize: 10 })) {
      if (ev.kind === 'rows') break;
    }
    expect(closed).toBe(true);
  });
});

describe('quoteNumbers', () => {
  it('quotes numbers outside strings only', () => {
    expect(quoteNumbers('{"a":-12.5e3,"b":"x1 2","c":[1,true,null],"d":"\\"3"}')).toBe('{"a":"-12.5e3","b":"x1 2","c":["1",true,null],"d":"\\"3"}');
  });
});
