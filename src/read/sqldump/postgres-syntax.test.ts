import { describe, expect, it } from 'vitest';
import { readPgDump } from './postgres.js';
import { chunked, collect, readAll } from './test-helpers/collect.js';

/** Reads whole and in 1..3-character chunks, checks both agree, returns the whole reading. */
async function read(sql: string, opts = {}) {
  const whole = await readAll(readPgDump, sql, opts);
  const split = await collect(readPgDump, chunked(sql, 1, 3, 11), opts);
  expect(split.events).toEqual(whole.events);
  return whole;
}

const CREATE = 'CREATE TABLE public."Personnes" (\n    "Nom" text,\n    prenom text,\n    naissance date,\n    CONSTRAINT c CHECK (true)\n);\n';

describe('readPgDump: INSERT forms', () => {
  it('keeps the case of quoted identifiers and the spelling of unquoted ones', async () => {
    const r = await read(CREATE + "INSERT INTO public.\"Personnes\" VALUES ('Hébert', 'Zoé', '1990-02-03');\n");
    expect(r.tables[0]!.name).toBe('dump.sql:public.Personnes');
    expect(r.tables[0]!.columns).toEqual(['Nom', 'prenom', 'naissance']);
    expect(r.tables[0]!.rows).toEqual([['Hébert', 'Zoé', '1990-02-03']]);
  });

  it('reads casts, booleans, negative numbers, E-strings, raw newlines and doubled quotes', async () => {
    const sql =
      'CREATE TABLE public.v (a text, b date, c text, d integer[], e boolean, f numeric, g text, h text, i bytea, j text, k text);\n' +
      "INSERT INTO public.v VALUES ('L''Haÿ', '2001-09-11'::date, 'x'::character varying(20), '{1,2}'::integer[], false, -12.5, " +
      "E'a\\tb\\\\c\\'d\\x41\\101\\u00e9\\303\\251\\n', 'ligne 1\nligne 2', '\\x4a6f'::bytea, NULL::text, 'C:\\temp');\n";
    const r = await read(sql);
    expect(r.tables[0]!.rows).toEqual([
      ["L'Haÿ", '2001-09-11', 'x', '{1,2}', 'false', '-12.5', "a\tb\\c'dAAéé\n", 'ligne 1\nligne 2', '\\x4a6f', null, 'C:\\temp'],
    ]);
  });

  it('reads multi-row INSERTs with OVERRIDING SYSTEM VALUE and ON CONFLICT DO NOTHING', async () => {
    const r = await read(
      'CREATE TABLE public.c (id integer NOT NULL, ref text);\n' +
        "INSERT INTO public.c OVERRIDING SYSTEM VALUE VALUES (1, 'A'), (2, 'B') ON CONFLICT DO NOTHING;\n" +
        "INSERT INTO public.c (id, ref) OVERRIDING SYSTEM VALUE VALUES\n\t(3, 'C'),\n\t(4, 'D');\n",
    );
    // The explicit list equals CREATE TABLE's: still one table event.
    expect(r.tables.map((t) => [t.columns, t.rows])).toEqual([
      [
        ['id', 'ref'],
        [
          ['1', 'A'],
          ['2', 'B'],
          ['3', 'C'],
          ['4', 'D'],
        ],
      ],
    ]);
  });

  it('ignores dollar-quoted bodies, nested comments and psql meta-commands', async () => {
    const r = await read(
      '\\connect vigie\n/* outer /* inner */ still comment; INSERT INTO public.c VALUES (9); */\n' +
        'CREATE TABLE public.c (id integer);\n' +
        'CREATE FUNCTION public.f() RETURNS void LANGUAGE plpgsql AS $fn$ BEGIN INSERT INTO public.c VALUES (8); END; $fn$;\n' +
        "DO $$ BEGIN INSERT INTO public.c VALUES ('$x$'); END $$;\n" +
        'INSERT INTO public.c VALUES (1);\n',
    );
    expect(r.tables[0]!.rows).toEqual([['1']]);
  });
});

describe('readPgDump: COPY', () => {
  it('decodes \\N and every backslash escape of the text format', async () => {
    const sql =
      CREATE +
      'COPY public."Personnes" ("Nom", prenom, naissance) FROM stdin;\n' +
      "O'Brien\t\\N\t1980-01-01\n" +
      'a\\\\b\\tc\\nd\\re\\bf\\fg\\vh\\101\\x41\\303\\251\\N\t\t\\\\N\n' +
      '\\.\n';
    const r = await read(sql);
    expect(r.tables[0]!.meta['columnsFrom']).toBe('COPY');
    expect(r.tables[0]!.rows).toEqual([
      ["O'Brien", null, '1980-01-01'],
      ['a\\b\tc\nd\re\bf\fg\vhAAéN', '', '\\N'],
    ]);
  });

  it('takes columns from CREATE TABLE when COPY lists none, and honours DELIMITER and NULL options', async () => {
    const sql = CREATE + "COPY public.\"Personnes\" FROM stdin WITH DELIMITER AS '|' NULL AS 'nul';\n" + 'a\\|b|nul|\n\\.\n';
    const r = await read(sql);
    expect(r.tables[0]!.columns).toEqual(['Nom', 'prenom', 'naissance']);
    expect(r.tables[0]!.meta['columnsFrom']).toBe('CREATE TABLE');
    expect(r.tables[0]!.rows).toEqual([['a|b', null, '']]);
  });

  it('reports CSV COPY data line by line as unsupported, and never reads it as SQL', async () => {
    const sql = 'COPY public.x (a, b) FROM stdin WITH (FORMAT csv);\n"a;b",1\nINSERT INTO public.x VALUES (1, 2);\n\\.\nSELECT 1;\n';
    const r = await read(sql);
    expect(r.tables).toHaveLength(1);
    expect(r.tables[0]!.skips.map((s) => [s.reason, s.line])).toEqual([
      ['unsupported COPY format', 2],
      ['unsupported COPY format', 3],
    ]);
  });

  it('handles CRLF line ends', async () => {
    const r = await read('COPY public.x (a, b) FROM stdin;\r\n1\tx\r\n2\ty\r\n\\.\r\n');
    expect(r.tables[0]!.rows).toEqual([
      ['1', 'x'],
      ['2', 'y'],
    ]);
  });

  it('delivers the complete rows of a truncated COPY block, then one skip', async () => {
    const head = 'COPY public.x (a, b) FROM stdin;\n1\tx\n2\ty\n';
    const noEnd = await read(head);
    expect(noEnd.tables[0]!.rows).toEqual([
      ['1', 'x'],
      ['2', 'y'],
    ]);
    expect(noEnd.tables[0]!.skips).toEqual([{ reason: 'truncated', line: 4, record: 3 }]);
    const cutLine = await read(head + '3\tz@exa');
    expect(cutLine.tables[0]!.rows).toHaveLength(2);
    expect(cutLine.tables[0]!.skips).toEqual([{ reason: 'truncated', line: 4, record: 3 }]);
  });

  it('skips a COPY line longer than maxRecordChars and reads the next one', async () => {
    const r = await read(`COPY public.x (a, b) FROM stdin;\n1\t${'x'.repeat(5000)}\n2\ty\n\\.\n`, { maxRecordChars: 100 });
    expect(r.tables[0]!.rows).toEqual([['2', 'y']]);
    expect(r.tables[0]!.skips).toEqual([{ reason: 'record too long', line: 2, record: 1 }]);
  });

  it('generates column names for a COPY without list nor CREATE TABLE', async () => {
    const r = await read('COPY x FROM stdin;\n1\t2\t3\n\\.\n');
    expect(r.tables[0]!.columns).toEqual(['column_1', 'column_2', 'column_3']);
  });
});
