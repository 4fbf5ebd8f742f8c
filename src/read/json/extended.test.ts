/**
 * Extended JSON wrappers decoded during flattening, from documents written by the official
 * `bson` library's `EJSON.stringify` in both modes, and Elasticsearch hits unwrapped.
 */
import { Binary, Decimal128, Double, EJSON, Int32, Long, ObjectId, UUID } from 'bson';
import { describe, expect, it } from 'vitest';
import { readJson } from './index.js';
import { allRows, collect, oneChunk } from './test-helpers/collect.js';

const read = (text: string) => collect(readJson(oneChunk(text), { displayName: 'export.json' }));

const doc = {
  _id: new ObjectId('5f1d7a3e9c1b2a3d4e5f6a7b'),
  naissance: new Date(Date.UTC(1985, 2, 14)),
  ancienne: new Date(Date.UTC(1950, 0, 2)),
  vu_le: new Date(Date.UTC(2024, 4, 1, 13, 5, 7, 123)),
  enfants: new Int32(2),
  points: Long.fromString('9007199254740993'),
  solde: new Double(12.5),
  montant: Decimal128.fromString('1250.40'),
  empreinte: new Binary(Buffer.from('hello')),
  cle: new UUID('123e4567-e89b-12d3-a456-426614174000'),
  contact: { email: 'eloise.lefevre@exemple.fr' },
};

describe('MongoDB Extended JSON', () => {
  it('canonical: every wrapper is its value, one column each', async () => {
    const c = await read(`${EJSON.stringify(doc, { relaxed: false })}\n${EJSON.stringify(doc, { relaxed: false })}\n`);
    expect(c.error).toBeUndefined();
    expect(c.columns[0]).toEqual(['_id', 'naissance', 'ancienne', 'vu_le', 'enfants', 'points', 'solde', 'montant', 'empreinte', 'cle', 'contact.email']);
    expect(allRows(c.events)[0]).toEqual([
      '5f1d7a3e9c1b2a3d4e5f6a7b',
      '1985-03-14',
      '1950-01-02',
      '2024-05-01T13:05:07.123Z',
      '2',
      '9007199254740993',
      '12.5',
      '1250.40',
      'aGVsbG8=',
      '123e4567-e89b-12d3-a456-426614174000',
      'eloise.lefevre@exemple.fr',
    ]);
  });

  it('relaxed: dates from 1970 as ISO strings, earlier ones as $numberLong, numbers plain', async () => {
    const text = EJSON.stringify([doc], { relaxed: true });
    expect(text).toContain('{"$date":"1985-03-14T00:00:00Z"}');
    expect(text).toContain('{"$date":{"$numberLong":"-631065600000"}}');
    const row = allRows((await read(text)).events)[0]!;
    expect(row.slice(0, 7)).toEqual(['5f1d7a3e9c1b2a3d4e5f6a7b', '1985-03-14', '1950-01-02', '2024-05-01T13:05:07.123Z', '2', '9007199254740992', '12.5']);
  });

  it('legacy shapes: $date as milliseconds, $binary with $type', async () => {
    const c = await read('[{"d": {"$date": 479606400000}, "b": {"$binary": "aGVsbG8=", "$type": "00"}, "k": {"$maxKey": 1}}]');
    expect(allRows(c.events)).toEqual([['1985-03-14', 'aGVsbG8=', null]]);
  });

  it('an object that only looks like a wrapper is flattened as usual', async () => {
    const c = await read('[{"q": {"$oid": 12}, "r": {"$date": "x", "extra": 1}, "s": {"$gt": 3}}]');
    expect(c.columns[0]).toEqual(['q.$oid', 'r.$date', 'r.extra', 's.$gt']);
  });

  it('a $timestamp beside an integer past 2^53 (the record read again with its digits) is still one value', async () => {
    const c = await read('{"n": 9007199254740993, "maj": {"$timestamp": {"t": 1700000000, "i": 1}}}\n{"n": 1}\n');
    expect(c.columns[0]).toEqual(['n', 'maj']);
    expect(allRows(c.events)).toEqual([['9007199254740993', '2023-11-14T22:13:20.000Z'], ['1']]);
  });

  it('a $date that is no date stays as written, to count as invalid', async () => {
    const c = await read('[{"naissance": {"$date": "31/02/1985"}}]');
    expect(allRows(c.events)).toEqual([['31/02/1985']]);
  });
});

describe('Elasticsearch hits', () => {
  it('a hit is its _source; other records are untouched', async () => {
    const c = await read(
      '{"_index":"c","_id":"1","_score":1,"_source":{"nom":"Lefèvre","n":12345678901234567890}}\n{"_index":"c","_id":"2","_source":{"nom":"Diaye"}}\n',
    );
    expect(c.columns[0]).toEqual(['nom', 'n']);
    expect(allRows(c.events)).toEqual([['Lefèvre', '12345678901234567890'], ['Diaye']]);
    expect(c.events[0]).toEqual(expect.objectContaining({ meta: { shape: 'lines', documents: '_source' } }));
  });

  it('a _search response: the hits are the only table', async () => {
    const c = await read(
      '{"took":3,"timed_out":false,"hits":{"total":{"value":1,"relation":"eq"},"hits":[{"_index":"c","_id":"1","_source":{"nom":"Lefèvre"}}]}}',
    );
    expect(c.events.filter((e) => e.kind === 'table').map((e) => e.kind === 'table' && e.name)).toEqual(['export.json:hits.hits']);
    expect(allRows(c.events)).toEqual([['Lefèvre']]);
  });

  it('a record with _source but no _index nor _id is a record', async () => {
    const c = await read('[{"_source": {"nom": "x"}, "origine": "crm"}]');
    expect(c.columns[0]).toEqual(['_source.nom', 'origine']);
  });
});
