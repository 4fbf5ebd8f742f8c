/**
 * vCard address books: the generator's people written by python-vobject (test-helpers/to_vcf.py,
 * vCard 3.0 as Google and iCloud export it), then ingested, must give the ground truth of each
 * class a card holds; and the reader's own rules (2.1's quoted-printable in its charset, folds,
 * groups, base64 photos, cut files, stray lines), whatever the chunking.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeDataset } from '../../gen/index.js';
import { ingest } from '../../ingest/index.js';
import { detectFormat } from '../detect.js';
import { readVcard } from './index.js';
import { readText } from '../test-helpers/events.js';

const dir = mkdtempSync(join(tmpdir(), 'vigie-vcard-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const read = (text: string, size?: number, maxRecordChars?: number) => readText(readVcard, 'contacts.vcf', text, size, maxRecordChars);

describe('vCard from python-vobject', () => {
  it('300 generated people: a record per card, and each class a card holds equals its ground truth', async () => {
    const json = join(dir, 'people.json');
    const truth = await writeDataset({ out: json, rows: 300, seed: 47, format: 'json', columns: 'full' });
    const file = join(dir, 'contacts.vcf');
    writeFileSync(file, execFileSync('/usr/bin/python3', [join(import.meta.dirname, 'test-helpers', 'to_vcf.py')], { input: readFileSync(json) }));
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^N:[^\r\n]*;[^\r\n]*;;;\r\n/m);
    expect(detectFormat(Buffer.from(text.slice(0, 65536)), file)).toBe('vcard');
    const r = await ingest({ files: [file], breach: { name: 'Contacts' }, dryRun: true, workers: 0 });
    expect([r.records, r.skipped]).toEqual([truth.rows, 0]);
    for (const cls of ['Email addresses', 'Phone numbers', 'Dates of birth', 'Employers']) {
      const t = truth.dataClasses[cls]!;
      expect(r.dataClasses[cls], cls).toEqual(expect.objectContaining({ valid: t.valid, invalid: t.invalid, distinct: t.distinct }));
    }
    const columns = new Map(r.tables[0]?.columns.map((c) => [c.name, c.dataClass]));
    expect(
      Object.fromEntries(
        ['n.family_name', 'n.given_name', 'fn.full_name', 'adr.street', 'adr.postal_code', 'bday.birthday', 'photo'].map((n) => [n, columns.get(n)]),
      ),
    ).toEqual({
      'n.family_name': 'Names',
      'n.given_name': 'Names',
      'fn.full_name': 'Names',
      'adr.street': 'Physical addresses',
      'adr.postal_code': 'Physical addresses',
      'bday.birthday': 'Dates of birth',
      photo: null,
    });
  });
});

describe('readVcard', () => {
  // vCard 2.1 as phones export it: quoted-printable in Latin-1 with a soft line break, a group, a fold.
  const CARDS = [
    'BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:Lef=E8vre;H=E9l=E8ne;;;\r\n',
    'NOTE;ENCODING=QUOTED-PRINTABLE:Rappeler apr=C3=A8s=0D=0A=\r\n18h\r\n',
    'item1.EMAIL;type=INTERNET:helene.lefevre@exemple.fr\r\nTEL;CELL:+33 6 12 34\r\n  56 78\r\nPHOTO;ENCODING=BASE64;TYPE=JPEG:/9j/4AAQ\r\nEND:VCARD\r\n',
    'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Jean Dupont\r\nADR;TYPE=home:;;3 bis\\, allée des Cèdres;Nîmes;;30000;France\r\nTEL:01 44 55 66 77\r\nTEL:07 81 22 33 44\r\nEND:VCARD\r\n',
  ].join('');

  it('decodes 2.1 and 4.0 alike: quoted-printable in its charset, folds, groups, structured values, repeated properties, whatever the chunking', async () => {
    for (const size of [1, 3, 7, 64, CARDS.length]) {
      const { columns, rows, events } = await read(CARDS, size);
      expect(columns, `chunks of ${size}`).toEqual([
        'n.family_name',
        'n.given_name',
        'note',
        'email',
        'tel',
        'photo',
        'fn.full_name',
        'adr.street',
        'adr.city',
        'adr.postal_code',
        'adr.country',
        'tel[1]',
      ]);
      expect(rows).toEqual([
        ['Lefèvre', 'Hélène', 'Rappeler après\r\n18h', 'helene.lefevre@exemple.fr', '+33 6 12 34 56 78', 'base64:/9j/4AAQ'],
        [null, null, null, null, '01 44 55 66 77', null, 'Jean Dupont', '3 bis, allée des Cèdres', 'Nîmes', '30000', 'France', '07 81 22 33 44'],
      ]);
      expect(events.filter((e) => e.kind === 'skip')).toEqual([]);
    }
  });

  it('skips a card over the record limit, a line outside any card, and a card the file cuts short', async () => {
    const text = `BEGIN:VCARD\nFN:A\nEMAIL:a@exemple.fr\nEND:VCARD\nbonjour\nBEGIN:VCARD\nNOTE:${'x'.repeat(500)}\nEND:VCARD\nBEGIN:VCARD\nFN:D\nEND:VCARD\nBEGIN:VCARD\nFN:E\n`;
    for (const size of [5, text.length]) {
      const { events, rows } = await read(text, size, 200);
      expect(rows).toEqual([['A', 'a@exemple.fr'], ['D']]);
      expect(events.filter((e) => e.kind === 'skip').map((e) => (e.kind === 'skip' ? [e.reason, e.position] : []))).toEqual([
        ['not a vCard line', { file: 'contacts.vcf', line: 5 }],
        ['record too long', { file: 'contacts.vcf', line: 6, record: 2 }],
        ['truncated', { file: 'contacts.vcf', line: 12, record: 4 }],
      ]);
    }
  });
});
