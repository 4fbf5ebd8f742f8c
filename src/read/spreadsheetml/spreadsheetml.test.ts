/**
 * Excel 2003 XML spreadsheets as LibreOffice saves them ("MS Excel 2003 XML"): generated people
 * must equal the ground truth, and give the report their .ods gives;
 * the rules Excel's own files also use (ss:Index gaps, MergeAcross, rich text) and the error
 * paths on small documents.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { VigieError } from '../../errors.js';
import { writeDataset } from '../../gen/index.js';
import { ingest } from '../../ingest/index.js';
import { expectClassesOf } from '../../test-helpers/people.js';
import { readText } from '../test-helpers/events.js';
import type { ReadEvent } from '../types.js';
import { readSpreadsheetMl } from './index.js';

const ci = process.env['CI'] !== undefined && process.env['CI'] !== '';
const hasSoffice = ci || spawnSync('soffice', ['--version'], { stdio: 'ignore' }).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'vigie-spreadsheetml-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Report = Awaited<ReturnType<typeof ingest>>;
const report = (file: string): Promise<Report> => ingest({ files: [file], breach: { name: 'Test' }, dryRun: true, workers: 0 });

/** LibreOffice, headless, with a profile of its own in the test's directory. */
function soffice(args: string[]): void {
  execFileSync('soffice', ['--headless', `-env:UserInstallation=file://${join(dir, 'profile')}`, ...args], { stdio: 'ignore', timeout: 120_000 });
}
const EXCEL_2003 = 'xml:MS Excel 2003 XML';

describe('Excel 2003 XML saved by LibreOffice', () => {
  it.skipIf(!hasSoffice)(
    'generated people (digits turned into numbers) equal the ground truth',
    async () => {
      const csv = join(dir, 'complet.csv');
      const truth = await writeDataset({ out: csv, rows: 3000, seed: 81, format: 'csv', columns: 'full' });
      soffice(['--infilter=CSV:59,34,76,1,,1036', '--convert-to', EXCEL_2003, '--outdir', dir, csv]);
      const file = join(dir, 'complet.xml');
      expect(readFileSync(file, 'utf8')).toContain('urn:schemas-microsoft-com:office:spreadsheet');
      const r = await report(file);
      expect(r.tables.map((t) => [t.format, t.records, t.skipped])).toEqual([['spreadsheetml', truth.rows, 0]]);
      expectClassesOf(r, truth);
    },
    180_000,
  );

  it.skipIf(!hasSoffice)(
    'the same people saved as .ods give the same report, table by table',
    async () => {
      // (LibreOffice's Excel 2003 export, an XSLT, gives up on workbooks with wide repeated columns, such as openpyxl's.)
      const csv = join(dir, 'memes.csv');
      await writeDataset({ out: csv, rows: 1000, seed: 82, format: 'csv', columns: 'ants', delimiter: ';' });
      soffice(['--infilter=CSV:59,34,76,1,,1036', '--convert-to', 'ods', '--outdir', dir, csv]);
      soffice(['--infilter=CSV:59,34,76,1,,1036', '--convert-to', EXCEL_2003, '--outdir', dir, csv]);
      const gist = (r: Report): unknown => ({
        tables: r.tables.map((t) => ({ records: t.records, skipped: t.skipped, columns: t.columns.map((c) => [c.name, c.dataClass]) })),
        dataClasses: r.dataClasses,
        people: r.people,
      });
      const ods = await report(join(dir, 'memes.ods'));
      const xml = await report(join(dir, 'memes.xml'));
      expect(xml.tables.map((t) => t.format)).toEqual(['spreadsheetml']);
      expect(gist(xml)).toEqual(gist(ods));
    },
    180_000,
  );
});

function tables(events: ReadEvent[]): [string, (string | null)[][]][] {
  const out: [string, (string | null)[][]][] = [];
  for (const e of events) {
    if (e.kind === 'table') out.push([e.name, e.headerRow ? [e.headerRow] : []]);
    else if (e.kind === 'rows') out[out.length - 1]?.[1].push(...e.rows);
  }
  return out;
}

const workbook = (sheets: string): string =>
  `<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet" xmlns:html="http://www.w3.org/TR/REC-html40">\n${sheets}</Workbook>\n`;

describe('readSpreadsheetMl', () => {
  it("Excel's layout: ss:Index gaps, MergeAcross, rich text, typed values, one table per sheet, whatever the chunking", async () => {
    const text = workbook(`<Worksheet ss:Name="Clients">
 <Table>
  <Row><Cell><Data ss:Type="String">nom</Data></Cell><Cell><Data ss:Type="String">né le</Data></Cell><Cell><Data ss:Type="String">actif</Data></Cell><Cell ss:Index="5"><Data ss:Type="String">solde</Data></Cell></Row>
  <Row ss:Index="3"><Cell ss:MergeAcross="1"><ss:Data ss:Type="String" xmlns="http://www.w3.org/TR/REC-html40"><B>Du</B>rand &amp; fils</ss:Data></Cell><Cell><Data ss:Type="Boolean">1</Data></Cell><Cell ss:Index="5"><Data ss:Type="Number">1234.5000000000002</Data></Cell></Row>
  <Row><Cell><Data ss:Type="String">Petit</Data></Cell><Cell><Data ss:Type="DateTime">1985-03-12T00:00:00.000</Data></Cell><Cell><Data ss:Type="Boolean">0</Data></Cell></Row>
  <Row><Cell ss:Index="2"/></Row>
 </Table>
</Worksheet>
<Worksheet ss:Name="Vide"><Table/></Worksheet>
<Worksheet ss:Name="Notes"><Table><Row><Cell><Data ss:Type="String">ligne 1&#10;ligne 2</Data></Cell></Row></Table></Worksheet>
`);
    const want = [
      [
        'wb.xml:Clients',
        [
          ['nom', 'né le', 'actif', '', 'solde'],
          ['Durand & fils', '', 'TRUE', '', '1234.5'],
          ['Petit', '1985-03-12', 'FALSE'],
        ],
      ],
      ['wb.xml:Notes', [['ligne 1\nligne 2']]],
    ];
    for (const size of [text.length, 9]) expect(tables((await readText(readSpreadsheetMl, 'wb.xml', text, size)).events)).toEqual(want);
  });

  it('skips a row past the record limit with its sheet row number, and fails on a file cut short with the rows before delivered', async () => {
    const long = workbook(
      `<Worksheet ss:Name="F"><Table><Row><Cell><Data ss:Type="String">a</Data></Cell></Row><Row><Cell><Data ss:Type="String">${'x'.repeat(300)}</Data></Cell></Row><Row><Cell><Data ss:Type="String">b</Data></Cell></Row></Table></Worksheet>`,
    );
    const { events } = await readText(readSpreadsheetMl, 'wb.xml', long, long.length, 200);
    expect(events.filter((e) => e.kind === 'skip').map((e) => e.kind === 'skip' && [e.reason, e.position.line, e.position.record])).toEqual([
      ['record too long', 2, 2],
    ]);
    const whole = workbook(
      '<Worksheet ss:Name="F"><Table><Row><Cell><Data ss:Type="String">a</Data></Cell></Row><Row><Cell><Data ss:Type="String">b</Data></Cell></Row></Table></Worksheet>',
    );
    const seen: ReadEvent[] = [];
    let error: VigieError | undefined;
    try {
      for await (const ev of readSpreadsheetMl(
        (async function* () {
          yield whole.slice(0, whole.lastIndexOf('<Row>'));
        })(),
        { displayName: 'coupé.xml' },
      ))
        seen.push(ev);
    } catch (err) {
      error = err as VigieError;
    }
    expect(error).toMatchObject({ code: 'VIGIE_TRUNCATED', message: expect.stringMatching(/^coupé\.xml, line \d+: the spreadsheet ends before <\/Workbook>/) });
    expect(tables(seen)).toEqual([['coupé.xml:F', [['a']]]]);
  });
});
