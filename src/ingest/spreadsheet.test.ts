/**
 * Values that went through a spreadsheet: a phone or postcode column stored as integers loses
 * its leading zero (`612345678`, `1000`), a country code loses its `+` (`33612345678`), and a
 * long number may be shown in scientific notation (`3.36123E+10`, digits lost). Written here
 * from generated people as a spreadsheet would, then ingested: where the header or the other
 * values say the column holds phones (postcodes), the integers count as the numbers they were;
 * scientific notation counts as damaged; the counts equal what the people hold.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generatePeople, type Person } from '../gen/index.js';
import { ingest } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'vigie-spreadsheet-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const people = [...generatePeople(2000, 21)];
const OVERSEAS = ['262', '590', '594', '596'];

/** The country code and national significant number of an E.164 number. */
function split(e164: string): { cc: string; nsn: string } {
  const cc = OVERSEAS.find((c) => e164.startsWith(`+${c}`)) ?? '33';
  return { cc, nsn: e164.slice(1 + cc.length) };
}

/** How each row's phone is damaged: a quarter lose their zero, some their `+`, a few are in scientific notation. */
function phoneCell(p: Person, i: number): { text: string; damaged: boolean } {
  const { cc, nsn } = split(p.phone);
  if (i % 50 === 8) {
    const digits = cc + nsn;
    return { text: `${digits[0]}.${digits.slice(1, 6)}E+${digits.length - 1}`, damaged: true };
  }
  if (i % 4 === 1) return { text: nsn, damaged: false }; // the trunk 0 lost
  if (i % 20 === 3) return { text: cc + nsn, damaged: false }; // `+33 6…` kept as an integer
  return { text: `0${nsn}`, damaged: false };
}

function writeSheet(name: string, opts: { header: boolean; mangled: boolean }): string {
  const lines: string[] = [];
  if (opts.header) lines.push('nom;prenom;email;telephone;adresse;code_postal;ville');
  people.forEach((p, i) => {
    const phone = opts.mangled ? phoneCell(p, i).text : `0${split(p.phone).nsn}`;
    const postcode = opts.mangled ? String(Number(p.address.postcode)) : p.address.postcode;
    lines.push([p.lastName, p.firstName, p.email, phone, p.address.street, postcode, p.address.city].join(';'));
  });
  const file = join(dir, name);
  writeFileSync(file, `${lines.join('\r\n')}\r\n`);
  return file;
}

const damaged = people.filter((p, i) => phoneCell(p, i).damaged).length;
const run = (file: string) => ingest({ files: [file], breach: { name: 'Tableur' }, dryRun: true, workers: 0 });

describe('values that went through a spreadsheet', () => {
  it('the file is what a spreadsheet writes: a quarter of the phones without their zero, postcodes as integers', () => {
    const text = writeSheet('check.csv', { header: true, mangled: true });
    expect(text).toBeTruthy();
    const rows = people.map((p, i) => phoneCell(p, i).text);
    expect(rows.filter((t) => /^[1-9]\d{8}$/.test(t)).length).toBe(500);
    expect(rows.filter((t) => /^(33|262|590|594|596)\d{9}$/.test(t)).length).toBeGreaterThan(50);
    expect(damaged).toBe(40);
    expect(people.filter((p) => p.address.postcode.startsWith('0')).length).toBeGreaterThan(20);
  });

  for (const header of [true, false]) {
    it(`${header ? 'under a header' : 'without a header (the other values say phone)'}: phone and address counts equal the people's`, async () => {
      const clean = await run(writeSheet(`propre-${header}.csv`, { header, mangled: false }));
      const r = await run(writeSheet(`tableur-${header}.csv`, { header, mangled: true }));
      expect(r.records).toBe(people.length);
      expect(r.skipped).toBe(0);
      // Ground truth: every person has one valid phone; the scientific ones are damaged.
      expect(r.dataClasses['Phone numbers']).toEqual(
        expect.objectContaining({ valid: people.length - damaged, invalid: damaged, distinct: people.length - damaged }),
      );
      expect(clean.dataClasses['Phone numbers']).toEqual(expect.objectContaining({ valid: people.length, invalid: 0, distinct: people.length }));
      // Postcodes read back with their zero: the same addresses as the clean file.
      expect(r.dataClasses['Physical addresses']).toEqual(clean.dataClasses['Physical addresses']);
      expect(r.dataClasses['Email addresses']).toEqual(clean.dataClasses['Email addresses']);
      expect(r.people).toBe(people.length);
      const phoneColumn = r.tables[0]!.columns[3]!;
      expect(phoneColumn.dataClass).toBe('Phone numbers');
    });
  }
});
