/**
 * Test helper (imported by tests only): minimal xlsx packages built by hand, so tests hold
 * exactly the parts they need, hostile ones included.
 */
import { makeZip, type ZipEntrySpec } from '../../archive/test-helpers/zip.js';

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

interface BookSpec {
  sheets: { name: string; xml: string; target?: string }[];
  /** `xl/sharedStrings.xml` content, without the `<sst>` element. */
  sst?: string;
  /** `xl/styles.xml` content, without the `<styleSheet>` element. */
  styles?: string;
  date1904?: boolean;
  extra?: ZipEntrySpec[];
}

/** `<sheetData>` rows wrapped in a worksheet. */
export function sheet(rows: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><worksheet ${NS}><sheetData>${rows}</sheetData></worksheet>`;
}

export async function makeBook(b: BookSpec): Promise<Buffer> {
  const rels = b.sheets.map((s, i) => `<Relationship Id="rId${i + 1}" Type="${R}/worksheet" Target="${s.target ?? `worksheets/sheet${i + 1}.xml`}"/>`);
  if (b.sst !== undefined) rels.push(`<Relationship Id="rIdS" Type="${R}/sharedStrings" Target="sharedStrings.xml"/>`);
  if (b.styles !== undefined) rels.push(`<Relationship Id="rIdT" Type="${R}/styles" Target="styles.xml"/>`);
  const entries: ZipEntrySpec[] = [
    { name: '[Content_Types].xml', data: '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>' },
    {
      name: '_rels/.rels',
      data: `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${R}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    },
    {
      name: 'xl/workbook.xml',
      data: `<workbook ${NS} xmlns:r="${R}"><workbookPr${b.date1904 ? ' date1904="1"' : ''}/><sheets>${b.sheets
        .map((s, i) => `<sheet name="${s.name}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
        .join('')}</sheets></workbook>`,
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels.join('')}</Relationships>`,
    },
    ...b.sheets.flatMap((s, i) => (s.target === undefined ? [{ name: `xl/worksheets/sheet${i + 1}.xml`, data: s.xml }] : [])),
  ];
  if (b.sst !== undefined) entries.push({ name: 'xl/sharedStrings.xml', data: `<sst ${NS}>${b.sst}</sst>` });
  if (b.styles !== undefined) entries.push({ name: 'xl/styles.xml', data: `<styleSheet ${NS}>${b.styles}</styleSheet>` });
  return makeZip([...entries, ...(b.extra ?? [])]);
}
