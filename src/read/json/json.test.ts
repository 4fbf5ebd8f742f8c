import { describe, expect, it } from 'vitest';
import { readJson } from './index.js';
import { allRows, collect, normalised, oneChunk, randomChunks } from './test-helpers/collect.js';
import type { ReadEvent, ReadOptions } from '../types.js';

const opts: ReadOptions = { displayName: 'fuite.json' };
const read = (text: string, o: Partial<ReadOptions> = {}) => collect(readJson(oneChunk(text), { ...opts, ...o }));
const tables = (events: ReadEvent[]) => events.filter((e) => e.kind === 'table');
const skips = (events: ReadEvent[]) => events.filter((e) => e.kind === 'skip');

const people = [
  {
    nom: 'Lefèvre',
    prénom: 'Éloïse',
    contact: { mail: 'eloise.lefevre@exemple.fr', phones: ['06 12 34 56 78', '+33 1 44 55 66 77'] },
    adresse: { rue: '12, rue de la Paix', ville: 'Saint-Étienne', cp: '42000' },
    naissance: '1985-03-14',
    actif: true,
    enfants: 2,
  },
  {
    nom: "N'Diaye",
    prénom: 'Aïssata',
    contact: { mail: 'a.ndiaye@exemple.org', phones: ['07.98.76.54.32'] },
    adresse: { rue: '3 place Bellecour', ville: 'Lyon', cp: '69002' },
    naissance: null,
    actif: false,
    enfants: 0,
  },
];
const peopleColumns = [
  'nom',
  'prénom',
  'contact.mail',
  'contact.phones[0]',
  'contact.phones[1]',
  'adresse.rue',
  'adresse.ville',
  'adresse.cp',
  'naissance',
  'actif',
  'enfants',
];
const peopleRows = [
  [
    'Lefèvre',
    'Éloïse',
    'eloise.lefevre@exemple.fr',
    '06 12 34 56 78',
    '+33 1 44 55 66 77',
    '12, rue de la Paix',
    'Saint-Étienne',
    '42000',
    '1985-03-14',
    'true',
    '2',
  ],
  ["N'Diaye", 'Aïssata', 'a.ndiaye@exemple.org', '07.98.76.54.32', null, '3 place Bellecour', 'Lyon', '69002', null, 'false', '0'],
];

describe('readJson: array of records', () => {
  it('flattens nested objects and arrays to dotted paths', async () => {
    const c = await read(JSON.stringify(people, null, 2));
    expect(c.error).toBeUndefined();
    expect(tables(c.events)).toEqual([{ kind: 'table', name: 'fuite.json', format: 'json', columns: peopleColumns, meta: { shape: 'array' } }]);
    expect(allRows(c.events)).toEqual(peopleRows);
  });

  it('gives the same events for any chunking', async () => {
    const text = JSON.stringify([...people, { nom: 'Bézier', extra: { 'clé "échappée" \\': 'x\\"y' } }], null, 1);
    const whole = normalised(await read(text));
    for (let seed = 1; seed <= 25; seed++) {
      const split = normalised(await collect(readJson(randomChunks(text, seed), opts)));
      expect(split).toEqual(whole);
    }
  });

  it('keeps numbers as their text, including integers beyond 2^53', async () => {
    const c = await read('[{"carte": 4970101234567890123, "montant": 12.5, "n": -3, "e": 1e3, "vide": "", "nul": null}]');
    expect(c.columns[0]).toEqual(['carte', 'montant', 'n', 'e', 'vide', 'nul']);
    expect(allRows(c.events)).toEqual([['4970101234567890123', '12.5', '-3', '1000', '', null]]);
    // Other numbers print as JavaScript prints them, big integer or not in the record.
    const d = await read('[{"e": 1e3, "f": 1.50}]');
    expect(allRows(d.events)).toEqual([['1000', '1.5']]);
  });

  it('reads arrays of bare values and of arrays', async () => {
    const c = await read('["jean.dupont@exemple.fr", 33612345678, true, null]');
    expect(c.columns[0]).toEqual(['value']);
    expect(allRows(c.events)).toEqual([['jean.dupont@exemple.fr'], ['33612345678'], ['true'], [null]]);
    const d = await read('[["Dupont","Jean"],["Martin","Zoé","Nantes"],["Petit",1985]]');
    expect(d.columns[0]).toEqual(['[0]', '[1]', '[2]']);
    // A table of arrays may start with its header (a spreadsheet as JSON): held back for recognition.
    expect(d.events[0]).toMatchObject({ kind: 'table', headerRow: ['Dupont', 'Jean'] });
    expect(allRows(d.events)).toEqual([
      ['Martin', 'Zoé', 'Nantes'],
      ['Petit', '1985'],
    ]);
    expect(d.events.find((e) => e.kind === 'rows')).toMatchObject({ firstRecord: 2 });
  });

  it('appends new paths to the shared columns array and numbers batches', async () => {
    const records = Array.from({ length: 5 }, (_, i) => ({ id: i + 1, ...(i === 3 ? { iban: 'FR76 3000 6000 0112 3456 7890 189' } : {}) }));
    const c = await read(JSON.stringify(records), { batchSize: 2 });
    const table = c.events[0] as Extract<ReadEvent, { kind: 'table' }>;
    expect(table.columns).toEqual(['id', 'iban']); // same array, grown after the event
    const batches = c.events.filter((e) => e.kind === 'rows');
    expect(batches.map((b) => b.firstRecord)).toEqual([1, 3, 5]);
    expect(allRows(c.events)[3]).toEqual(['4', 'FR76 3000 6000 0112 3456 7890 189']);
  });

  it('announces an empty array as a table without rows', async () => {
    const c = await read(' [ ] ');
    expect(c.error).toBeUndefined();
    expect(c.events).toEqual([{ kind: 'table', name: 'fuite.json', format: 'json', columns: [], meta: { shape: 'array' } }]);
  });
});

describe('readJson: top-level object', () => {
  it('reads each array of records as a table, and the other fields as one record', async () => {
    const doc = {
      export: { date: '2024-02-01', source: 'crm' },
      users: people,
      commandes: [{ ref: 'C-001', client: 'eloise.lefevre@exemple.fr', total: 42.9 }],
      tags: ['vip', 'newsletter'],
    };
    const text = JSON.stringify(doc, null, 2);
    const c = await read(text);
    expect(c.error).toBeUndefined();
    expect(tables(c.events).map((t) => [t.name, t.meta])).toEqual([
      ['fuite.json:users', { shape: 'object', path: 'users' }],
      ['fuite.json:commandes', { shape: 'object', path: 'commandes' }],
      ['fuite.json', { shape: 'object' }],
    ]);
    expect(c.columns).toEqual([peopleColumns, ['ref', 'client', 'total'], ['export.date', 'export.source', 'tags[0]', 'tags[1]']]);
    const rows = allRows(c.events);
    expect(rows).toEqual([...peopleRows, ['C-001', 'eloise.lefevre@exemple.fr', '42.9'], ['2024-02-01', 'crm', 'vip', 'newsletter']]);
    for (let seed = 1; seed <= 10; seed++) {
      expect(normalised(await collect(readJson(randomChunks(text, seed, 1, 5), opts)))).toEqual(normalised(c));
    }
  });

  it('finds arrays nested in wrapper objects and names them by path', async () => {
    const c = await read('{"data":{"clients":[{"email":"paul.roux@exemple.fr"}]},"total":1}');
    expect(tables(c.events).map((t) => t.name)).toEqual(['fuite.json:data.clients', 'fuite.json']);
    expect(allRows(c.events)).toEqual([['paul.roux@exemple.fr'], ['1']]);
  });

  it('reads a long list of values as a table of its own, a short one as fields', async () => {
    const emails = Array.from({ length: 500 }, (_, i) => `client${i}@exemple.fr`);
    const text = JSON.stringify({ source: 'boutique', emails, tags: ['vip'] });
    const c = await read(text);
    expect(tables(c.events).map((t) => t.name)).toEqual(['fuite.json:emails', 'fuite.json']);
    expect(c.columns).toEqual([['value'], ['source', 'tags[0]']]);
    expect(allRows(c.events)).toEqual([...emails.map((e) => [e]), ['boutique', 'vip']]);
    expect(normalised(await collect(readJson(randomChunks(text, 9, 1, 300), opts)))).toEqual(normalised(c));
  });

  it('reads a single object as one record', async () => {
    const c = await read(JSON.stringify(people[0], null, 2));
    expect(c.columns).toEqual([peopleColumns]);
    expect(allRows(c.events)).toEqual([peopleRows[0]]);
  });
});

describe('readJson: JSON Lines', () => {
  const lines = people.map((p) => JSON.stringify(p));

  it('reads one record per line, ignores blank lines, accepts CRLF', async () => {
    const text = `${lines[0]}\r\n\r\n   \n${lines[1]}\r\n`;
    const c = await read(text);
    expect(c.error).toBeUndefined();
    expect(tables(c.events)).toEqual([{ kind: 'table', name: 'fuite.json', format: 'ndjson', columns: peopleColumns, meta: { shape: 'lines' } }]);
    expect(allRows(c.events)).toEqual(peopleRows);
  });

  it('skips a bad line with its line number and reads on', async () => {
    const text = [lines[0], '{"nom": "Martin", "mail": "jm@exemple.fr",', '', lines[1], '[1, 2'].join('\n');
    const whole = await read(text);
    expect(whole.error).toBeUndefined();
    expect(skips(whole.events)).toEqual([
      { kind: 'skip', reason: 'invalid JSON', position: { file: 'fuite.json', line: 2, record: 2 } },
      { kind: 'skip', reason: 'invalid JSON', position: { file: 'fuite.json', line: 5, record: 4 } },
    ]);
    expect(allRows(whole.events)).toEqual(peopleRows);
    const batches = whole.events.filter((e) => e.kind === 'rows');
    expect(batches.map((b) => b.firstRecord)).toEqual([1, 3]);
    for (let seed = 1; seed <= 10; seed++) {
      expect(normalised(await collect(readJson(randomChunks(text, seed), opts)))).toEqual(normalised(whole));
    }
  });

  it('skips a deeply nested line (too deep) without failing', async () => {
    const bomb = '['.repeat(100_000) + ']'.repeat(100_000);
    const c = await read(`${lines[0]}\n${bomb}\n${lines[1]}\n`);
    expect(c.error).toBeUndefined();
    expect(skips(c.events)).toEqual([{ kind: 'skip', reason: 'too deep', position: { file: 'fuite.json', line: 2, record: 2 } }]);
    expect(allRows(c.events)).toEqual(peopleRows);
  });

  it('skips an over-long line without holding it', async () => {
    const long = `{"bio":"${'é'.repeat(5_000_000)}"}`;
    const text = `${lines[0]}\n${long}\n${lines[1]}\n`;
    const c = await collect(readJson(randomChunks(text, 7, 4000, 70000), { ...opts, maxRecordChars: 10_000 }));
    expect(c.error).toBeUndefined();
    expect(skips(c.events)).toEqual([{ kind: 'skip', reason: 'record too long', position: { file: 'fuite.json', line: 2, record: 2 } }]);
    expect(allRows(c.events)).toEqual(peopleRows);
  });
});

describe('readJson: generated documents', () => {
  // Random values full of characters that matter to the scanner (quotes, backslashes,
  // brackets, U+2028), cut at random: any chunking must give the same events as one chunk.
  let s = 12345;
  const rnd = (n: number) => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s % n;
  };
  const pieces = ['a', 'é', '"', '\\', '\n', '{', '}', '[', ']', ',', ':', ' ', '\u2028'];
  const str = () => Array.from({ length: rnd(8) }, () => pieces[rnd(pieces.length)]).join('');
  const val = (d: number): unknown => {
    const k = rnd(d > 3 ? 4 : 7);
    if (k < 4) return [str(), rnd(1000) - 500, rnd(2) === 0, null][k];
    if (k === 4) return Array.from({ length: rnd(4) }, () => val(d + 1));
    return Object.fromEntries(Array.from({ length: rnd(4) }, () => [str(), val(d + 1)]));
  };

  it('reads arrays, wrappers and lines the same in any chunking, whole or cut short', async () => {
    for (let iter = 0; iter < 150; iter++) {
      const shape = rnd(3);
      let text =
        shape === 0
          ? JSON.stringify(
              Array.from({ length: rnd(6) }, () => val(0)),
              null,
              rnd(2),
            )
          : shape === 1
            ? Array.from({ length: 1 + rnd(5) }, () => JSON.stringify({ k: val(0) })).join('\n')
            : JSON.stringify({ meta: val(2), rows: [{ a: val(1) }, { b: val(1) }], tags: [str()] }, null, rnd(3));
      if (rnd(5) === 0) text = text.slice(0, rnd(text.length));
      const whole = normalised(await read(text));
      for (let seed = 1; seed <= 3; seed++) {
        expect(normalised(await collect(readJson(randomChunks(text, seed + iter * 7, 1, 4), opts)))).toEqual(whole);
      }
    }
  });
});
