import { describe, expect, it } from 'vitest';
import { isVigieError } from '../../errors.js';
import type { TextReader } from '../types.js';
import { readMysqlDump } from './mysql.js';
import { readPgDump } from './postgres.js';
import { chunked, collect, fixture, prng, readAll } from './test-helpers/collect.js';

const READERS: [string, TextReader][] = [
  ['mysql', readMysqlDump],
  ['pg', readPgDump],
];
const HEAD = "CREATE TABLE t (a text, b text);\nINSERT INTO t VALUES ('1', 'Dupont'), ('2', 'Hébert');\nINSERT INTO t VALUES ('3', '";

/**
 * `head`, then about `total` characters of `fill` in 64 KiB chunks made on the fly (each a new
 * string, as a decoder would give), then `tail`.
 */
async function* stream(head: string, fill: string, total: number, tail = ''): AsyncGenerator<string> {
  yield head;
  const bytes = Buffer.from(fill.repeat(Math.ceil(65536 / fill.length)), 'utf8');
  const chars = bytes.toString('utf8').length;
  for (let sent = 0; sent < total; sent += chars) yield bytes.toString('utf8');
  if (tail !== '') yield tail;
}

describe.each(READERS)('%s reader on hostile input', (_, reader) => {
  it('a quote that never closes on a 5 MB line: the rows before, one skip, no hang', async () => {
    const started = Date.now();
    const r = await collect(reader, stream(HEAD, 'x', 5_000_000));
    expect(r.tables[0]!.rows).toEqual([
      ['1', 'Dupont'],
      ['2', 'Hébert'],
    ]);
    expect(r.tables[0]!.skips).toEqual([{ reason: 'unclosed quote', line: 3, record: 3 }]);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('keeps memory bounded on a 64 MB unterminated string', async () => {
    const before = process.memoryUsage().heapUsed;
    let peak = 0;
    const reasons: string[] = [];
    for await (const ev of reader(stream(HEAD, 'é', 64 << 20), { displayName: 'big.sql', maxRecordChars: 1 << 20 })) {
      peak = Math.max(peak, process.memoryUsage().heapUsed - before);
      if (ev.kind === 'skip') reasons.push(ev.reason);
    }
    expect(reasons).toEqual(['unclosed quote']);
    peak = Math.max(peak, process.memoryUsage().heapUsed - before);
    // 64 Mi characters kept would be 128 MB of UTF-16; a bounded reader keeps at most ~2 MB.
    expect(peak).toBeLessThan(48 << 20);
  });

  it('an absurdly long line of values without a closing parenthesis is one "record too long"', async () => {
    const r = await collect(reader, stream("CREATE TABLE t (a text);\nINSERT INTO t VALUES ('ok'), (", "'v', 12, ", 8_000_000), { maxRecordChars: 1 << 20 });
    expect(r.tables[0]!.rows).toEqual([['ok']]);
    expect(r.tables[0]!.skips).toEqual([{ reason: 'record too long', line: 2, record: 2 }]);
  });

  it('an absurdly long line of garbage after the data leaves the rows intact', async () => {
    const r = await collect(reader, stream("CREATE TABLE t (a text);\nINSERT INTO t VALUES ('ok');\n", 'garbage ', 10_000_000, '\n'));
    expect(r.tables.map((t) => [t.rows, t.skips])).toEqual([[[['ok']], []]]);
  });

  it('random garbage: a VigieError or well-formed events, the same for any chunking', async () => {
    const alphabet = 'abcINSERTVALUESCOPYstdin()\',;"`\\-/*#$.:\n\t 0123456789éN';
    for (let seed = 1; seed <= 40; seed++) {
      const rnd = prng(seed);
      let text = '';
      const length = 1 + Math.floor(rnd() * 3000);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(rnd() * alphabet.length)];
      if (seed % 4 === 0) text = "INSERT INTO t VALUES ('x');\n" + text;
      const outcome = async (chunks: AsyncIterable<string>) => {
        try {
          return (await collect(reader, chunks)).events;
        } catch (e) {
          if (!isVigieError(e)) throw e;
          return e.code;
        }
      };
      const whole = await outcome(chunked(text, 0, Infinity));
      expect(await outcome(chunked(text, 1, 5, seed))).toEqual(whole);
    }
  });

  it('garbage appended to a real dump does not lose its rows', async () => {
    const text = fixture(reader === readMysqlDump ? 'mysql-extended.sql' : 'pg-copy.sql') + "\n\u0000\u0001 ('(\\ ;; $$ garbage";
    const r = await readAll(reader, text);
    expect(r.tables.slice(0, 2).map((t) => t.rows.length)).toEqual([150, 60]);
  });

  it('binary noise (random code units) never throws anything but a VigieError', async () => {
    const rnd = prng(42);
    const units = Array.from({ length: 200_000 }, () => Math.floor(rnd() * 0x10000));
    const text = String.fromCharCode(...units.slice(0, 60_000)) + String.fromCharCode(...units.slice(60_000, 120_000));
    const err = await readAll(reader, text).then(
      () => null,
      (e: unknown) => e,
    );
    if (err !== null) expect(isVigieError(err)).toBe(true);
  });
});
