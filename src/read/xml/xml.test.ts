/**
 * The rules of the XML reader of records on the layouts database tools write (DBeaver, Navicat,
 * Oracle SQL Developer, Access: small documents in their shapes), and its error paths. The
 * ground truth through a real server is in postgres.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { VigieError } from '../../errors.js';
import { readText } from '../test-helpers/events.js';
import type { ReadEvent } from '../types.js';
import { readXml } from './index.js';

function tables(events: ReadEvent[]): [string, string[], (string | null)[][]][] {
  const out: [string, string[], (string | null)[][]][] = [];
  for (const e of events) {
    if (e.kind === 'table') out.push([e.name, e.columns, []]);
    else if (e.kind === 'rows') out[out.length - 1]?.[2].push(...e.rows);
  }
  return out;
}

async function failure(text: string, size = text.length): Promise<{ error: VigieError; events: ReadEvent[] }> {
  const events: ReadEvent[] = [];
  try {
    for await (const ev of readXml(
      (async function* () {
        for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
      })(),
      { displayName: 'export.xml', maxRecordChars: 200, maxDepth: 8 },
    ))
      events.push(ev);
  } catch (err) {
    return { error: err as VigieError, events };
  }
  throw new Error('no error');
}

describe('readXml', () => {
  it("DBeaver's export: a DOCTYPE, DATA_RECORD rows named after the table, CDATA", async () => {
    const text = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE personnes [
  <!ELEMENT personnes (DATA_RECORD*)>
  <!ELEMENT DATA_RECORD (nom?,email?)+>
]>
<personnes>
  <DATA_RECORD>
    <nom>Durand</nom>
    <email>zoe.durand@exemple.fr</email>
  </DATA_RECORD>
  <DATA_RECORD>
    <nom><![CDATA[L'Hôte & <fils>]]></nom>
    <email/>
  </DATA_RECORD>
</personnes>
`;
    for (const size of [text.length, 5]) {
      const { events } = await readText(readXml, 'export.xml', text, size);
      expect(tables(events)).toEqual([
        [
          'export.xml:personnes',
          ['nom', 'email'],
          [
            ['Durand', 'zoe.durand@exemple.fr'],
            ["L'Hôte & <fils>", ''],
          ],
        ],
      ]);
    }
  });

  it("Oracle SQL Developer's COLUMN NAME fields and Navicat's RECORDS, fields placed by name", async () => {
    const oracle = `<?xml version='1.0'  encoding='UTF8' ?>
<RESULTS>
\t<ROW>
\t\t<COLUMN NAME="NOM"><![CDATA[Durand]]></COLUMN>
\t\t<COLUMN NAME="TEL"><![CDATA[06 12 34 56 78]]></COLUMN>
\t</ROW>
\t<ROW>
\t\t<COLUMN NAME="TEL"><![CDATA[0611223344]]></COLUMN>
\t\t<COLUMN NAME="NOM"><![CDATA[Martin]]></COLUMN>
\t\t<COLUMN NAME="EMAIL"><![CDATA[lea@exemple.fr]]></COLUMN>
\t</ROW>
</RESULTS>`;
    expect(tables((await readText(readXml, 'o.xml', oracle)).events)).toEqual([
      [
        'o.xml:RESULTS',
        ['NOM', 'TEL', 'EMAIL'],
        [
          ['Durand', '06 12 34 56 78'],
          ['Martin', '0611223344', 'lea@exemple.fr'],
        ],
      ],
    ]);
    const navicat =
      '<?xml version="1.0" encoding="UTF-8" ?>\n<RECORDS>\n<RECORD>\n<nom>Durand</nom>\n<ville>Lyon</ville>\n</RECORD>\n<RECORD>\n<nom>Petit</nom>\n</RECORD>\n</RECORDS>\n';
    expect(tables((await readText(readXml, 'n.xml', navicat)).events)).toEqual([
      [
        'n.xml:RECORDS',
        ['nom', 'ville'],
        [
          ['Durand', 'Lyon'],
          ['Petit', null],
        ],
      ],
    ]);
  });

  it("Access's dataroot: one table per element name, attributes and nested fields as dotted columns", async () => {
    const text = `<?xml version="1.0" encoding="UTF-8"?>
<dataroot xmlns:od="urn:schemas-microsoft-com:officedata" generated="2026-11-30T10:00:00">
<Clients id="1"><Nom>Durand</Nom><Adresse><Ville>Lyon</Ville><CP>69001</CP></Adresse><Tel type="mobile">0611223344</Tel></Clients>
<Clients id="2"><Nom>Petit</Nom><Adresse><Ville>Brest</Ville></Adresse></Clients>
<Commandes><Numero>A-1</Numero><Client>1</Client></Commandes>
<Commandes><Numero>A-2</Numero><Client>2</Client></Commandes>
</dataroot>`;
    expect(tables((await readText(readXml, 'a.xml', text, 11)).events)).toEqual([
      [
        'a.xml:Clients',
        ['id', 'Nom', 'Adresse.Ville', 'Adresse.CP', 'Tel.type', 'Tel'],
        [
          ['1', 'Durand', 'Lyon', '69001', 'mobile', '0611223344'],
          ['2', 'Petit', 'Brest', null, null, null],
        ],
      ],
      [
        'a.xml:Commandes',
        ['Numero', 'Client'],
        [
          ['A-1', '1'],
          ['A-2', '2'],
        ],
      ],
    ]);
  });

  it('records of attributes only, and a list of values, each its own field', async () => {
    const attrs = '<clients>\n  <row nom="Durand" email="zoe@exemple.fr"/>\n  <row nom="Petit" email="lea@exemple.fr"/>\n</clients>';
    expect(tables((await readText(readXml, 'r.xml', attrs)).events)).toEqual([
      [
        'r.xml:clients',
        ['nom', 'email'],
        [
          ['Durand', 'zoe@exemple.fr'],
          ['Petit', 'lea@exemple.fr'],
        ],
      ],
    ]);
    const list = '<export><email>zoe@exemple.fr</email><email>lea@exemple.fr</email></export>';
    expect(tables((await readText(readXml, 'l.xml', list)).events)).toEqual([['l.xml:email', ['email'], [['zoe@exemple.fr'], ['lea@exemple.fr']]]]);
  });

  it('skips a malformed record, one too long and an empty one, with their lines and numbers, and reads on', async () => {
    const text = [
      '<clients>',
      '<row><nom>Durand</nom></row>',
      '<row><nom>Petit<b>gras</nom></row>',
      `<row><nom>${'x'.repeat(300)}</nom></row>`,
      '<row></row>',
      '<row><nom>Martin</nom></row>',
      '</clients>',
    ].join('\n');
    const { events } = await readText(readXml, 'export.xml', text, text.length, 200);
    expect(events.filter((e) => e.kind === 'skip').map((e) => e.kind === 'skip' && [e.reason, e.position.line, e.position.record])).toEqual([
      ['malformed record', 3, 2],
      ['record too long', 4, 3],
      ['empty record', 5, 4],
    ]);
    expect(events.flatMap((e) => (e.kind === 'rows' ? e.rows : []))).toEqual([['Durand'], ['Martin']]);
  });

  it('fails on a document cut inside a record, too deep, malformed, or without records: file and line, records before delivered', async () => {
    const cut = await failure('<clients>\n<row><nom>Durand</nom></row>\n<row><nom>Pet', 4);
    expect(cut.error).toMatchObject({
      code: 'VIGIE_TRUNCATED',
      message: expect.stringMatching(/^export\.xml, table clients, line 3, record 2: the input ends inside a record/),
    });
    expect(cut.events.some((e) => e.kind === 'rows')).toBe(true);
    const deep = await failure(`<a>${'<b>'.repeat(20)}x${'</b>'.repeat(20)}</a>`);
    expect(deep.error).toMatchObject({ code: 'VIGIE_BAD_FORMAT', message: expect.stringMatching(/deeper than 8 elements/) });
    const broken = await failure('<clients>\n<row><nom a=1>x</nom></row>\n</clients>');
    expect(broken.error).toMatchObject({ code: 'VIGIE_BAD_FORMAT', message: expect.stringMatching(/export\.xml, line 2: malformed XML/) });
    const none = await failure('<?xml version="1.0"?>\n<config/>');
    expect(none.error).toMatchObject({ code: 'VIGIE_BAD_FORMAT', message: expect.stringMatching(/holds no record/) });
  });
});
