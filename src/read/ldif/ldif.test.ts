/**
 * LDIF as directories export it: the generator's people written by python-ldap's LDIFWriter
 * (test-helpers/to_ldif.py: base64 for non-ASCII values, lines folded at 76 columns, a binary
 * jpegPhoto), then ingested, must give the ground truth; and the reader's own rules, piece by
 * piece, whatever the chunking.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeDataset } from '../../gen/index.js';
import { ingest } from '../../ingest/index.js';
import { detectFormat } from '../detect.js';
import { looksLikeLdif, readLdif } from './index.js';
import { readText } from '../test-helpers/events.js';

const dir = mkdtempSync(join(tmpdir(), 'vigie-ldif-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const read = (text: string, size?: number, maxRecordChars?: number) => readText(readLdif, 'annuaire.ldif', text, size, maxRecordChars);

describe('LDIF from python-ldap', () => {
  it('300 generated people: every record, and each class the generator wrote equals its ground truth', async () => {
    const json = join(dir, 'people.json');
    const truth = await writeDataset({ out: json, rows: 300, seed: 46, format: 'json', columns: 'full' });
    const file = join(dir, 'annuaire.ldif');
    writeFileSync(file, execFileSync('/usr/bin/python3', [join(import.meta.dirname, 'test-helpers', 'to_ldif.py')], { input: readFileSync(json) }));
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^cn:: /m); // an accented name in base64
    expect(text).toMatch(/^jpegPhoto:: .{60,}\n [A-Za-z0-9+/]/m); // folded
    expect(detectFormat(Buffer.from(text.slice(0, 65536)), file)).toBe('ldif');
    const r = await ingest({ files: [file], breach: { name: 'Annuaire' }, dryRun: true, workers: 0 });
    expect([r.records, r.skipped, r.people]).toEqual([truth.rows, 0, truth.people]);
    // Names too many by design: `cn` holds the full name beside `sn` and `givenName`.
    for (const [cls, t] of Object.entries(truth.dataClasses)) {
      if ((t.valid === 0 && t.invalid === 0) || cls === 'Names') continue;
      expect(r.dataClasses[cls], cls).toEqual(expect.objectContaining({ valid: t.valid, invalid: t.invalid, distinct: t.distinct }));
    }
    const columns = new Map(r.tables[0]?.columns.map((c) => [c.name, c.dataClass]));
    expect(Object.fromEntries(['commonName', 'surname', 'localityName', 'organizationName', 'userPassword', 'mail'].map((n) => [n, columns.get(n)]))).toEqual({
      commonName: 'Names',
      surname: 'Names',
      localityName: 'Physical addresses',
      organizationName: 'Employers',
      userPassword: 'Passwords',
      mail: 'Email addresses',
    });
  });
});

describe('readLdif', () => {
  const LDIF = [
    '# extended LDIF',
    '#  continued comment',
    'version: 1',
    '',
    'dn: uid=hlefevre,ou=people,dc=exemple,dc=fr',
    'cn:: SMOpbMOobmUgTGVmw6h2cmU=',
    'sn: Lef',
    ' èvre',
    'mail: helene.lefevre@exemple.fr',
    'mail: h.lefevre@exemple.org',
    'telephoneNumber;type-fax: 01 44 55 66 77',
    'jpegPhoto:: /9j/4AAQ',
    'seeAlso:< file:///etc/passwd',
    '',
    '',
    'dn: uid=jdupont,ou=people,dc=exemple,dc=fr',
    'changetype: modify',
    'replace: mail',
    'mail: jean.dupont@exemple.fr',
    '-',
    '',
  ].join('\r\n');

  it('joins folds, decodes base64 text, keeps binary and URLs as written, numbers repeated values, whatever the chunking', async () => {
    for (const size of [1, 2, 3, 7, 64, LDIF.length]) {
      const { columns, rows, events } = await read(LDIF, size);
      expect(columns, `chunks of ${size}`).toEqual([
        'dn',
        'commonName',
        'surname',
        'mail',
        'mail[1]',
        'telephoneNumber;type-fax',
        'jpegPhoto',
        'seeAlso',
        'changetype',
        'replace',
      ]);
      expect(rows).toEqual([
        [
          'uid=hlefevre,ou=people,dc=exemple,dc=fr',
          'Hélène Lefèvre',
          'Lefèvre',
          'helene.lefevre@exemple.fr',
          'h.lefevre@exemple.org',
          '01 44 55 66 77',
          'base64:/9j/4AAQ',
          'file:///etc/passwd',
        ],
        ['uid=jdupont,ou=people,dc=exemple,dc=fr', null, null, 'jean.dupont@exemple.fr', null, null, null, null, 'modify', 'mail'],
      ]);
      expect(events.filter((e) => e.kind === 'skip')).toEqual([]);
    }
  });

  it('skips an entry over the record limit and a line that is no attribute, at their first line, and reads on', async () => {
    const text = `dn: cn=a\nmail: a@exemple.fr\n\ndn: cn=b\ndescription: ${'x'.repeat(500)}\n\ndn: cn=c\nthis is not ldif\n\ndn: cn=d\nmail: d@exemple.fr\n`;
    for (const size of [5, text.length]) {
      const { events, rows } = await read(text, size, 200);
      expect(rows.map((r) => r[0])).toEqual(['cn=a', 'cn=d']);
      expect(events.filter((e) => e.kind === 'skip')).toEqual([
        { kind: 'skip', reason: 'record too long', position: { file: 'annuaire.ldif', line: 4, record: 2 } },
        { kind: 'skip', reason: 'not an attribute line', position: { file: 'annuaire.ldif', line: 7, record: 3 } },
      ]);
    }
  });

  it('is told from other text by its first entry', () => {
    expect(looksLikeLdif('version: 1\n\ndn: uid=jdupont,dc=exemple,dc=fr\n', 0)).toBe(true);
    expect(looksLikeLdif('# export\ndn:: dWlkPWE=\n', 0)).toBe(true);
    expect(looksLikeLdif('dn;cn;mail\nuid=a;A;a@exemple.fr\n', 0)).toBe(false);
    expect(looksLikeLdif('nom: Dupont\nmail: a@exemple.fr\n', 0)).toBe(false);
    expect(looksLikeLdif('# a\n #  folded\n\nversion: 1\n\ndn: x\n', 0)).toBe(true);
    // Thousands of blank or comment lines before something else: answered at once, no backtracking.
    expect(looksLikeLdif(`#c\n${'\n'.repeat(8000)}x`, 0)).toBe(false);
    expect(looksLikeLdif(`#c\n${' \n'.repeat(4000)}x`, 0)).toBe(false);
  });
});
