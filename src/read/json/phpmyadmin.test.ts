/**
 * phpMyAdmin's JSON export: the generator's people are loaded into MariaDB and written by PHP's
 * own `json_encode` over `mysqli`, laid out as phpMyAdmin 5.2's export plugin lays them
 * (`test-helpers/pma-export.php`), compact and pretty-printed, with escaped and unescaped
 * Unicode; records and per-class counts must equal the ground truth, one table per table item.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroundTruth } from '../../gen/index.js';
import { ingest } from '../../ingest/index.js';
import { expectClassesOf, MYSQL, mysqlLogin, peopleInMariaDb } from '../../test-helpers/people.js';
import { readText } from '../test-helpers/events.js';
import type { ReadEvent } from '../types.js';
import { randomChunks } from './test-helpers/collect.js';
import { readJson } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'vigie-json-pma-'));
const db = `vigie_json_pma_${process.pid}`;
const SCRIPT = fileURLToPath(new URL('./test-helpers/pma-export.php', import.meta.url));
let truth: GroundTruth;

/** phpMyAdmin's export of `tables`, by PHP. */
function pmaExport(layout: 'pretty' | 'compact', chars: 'escaped' | 'unicode', ...tables: string[]): Buffer {
  return execFileSync('php', [SCRIPT, ...mysqlLogin(), db, layout, chars, ...tables], { maxBuffer: 1 << 26 });
}

beforeAll(async () => {
  truth = await peopleInMariaDb(db, dir, 1500, 85);
  execFileSync('mysql', [
    ...MYSQL,
    db,
    '-e',
    `CREATE TABLE bizarre (id INT, note TEXT); INSERT INTO bizarre VALUES (1, 'Boulangerie "Au Bon Pain"'), (2, 'C:\\\\Clients\\\\nouveau'), (3, 'ligne 1\\nligne 2'), (4, 'Zoë 😀'), (5, NULL), (6, 'https://exemple.fr/a/b')`,
  ]);
}, 60_000);

afterAll(() => {
  try {
    execFileSync('mysql', [...MYSQL, '-e', `DROP DATABASE IF EXISTS ${db}`]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe("phpMyAdmin's JSON export", () => {
  it.each([
    ['compact', 'escaped'],
    ['pretty', 'unicode'],
  ] as const)('%s, %s: one table per table item, the people equal the ground truth', async (layout, chars) => {
    const file = join(dir, `export-${layout}.json`);
    writeFileSync(file, pmaExport(layout, chars, 'personnes', 'bizarre'));
    expect(readFileSync(file, 'utf8')).toContain('"comment":' + (layout === 'pretty' ? ' ' : '') + '"Export to JSON plugin for PHPMyAdmin"');
    const r = await ingest({ files: [file], breach: { name: 'Export' }, dryRun: true, workers: 0 });
    expect(r.tables.map((t) => [t.name, t.meta['shape']])).toEqual([
      [`${file}:${db}.personnes`, 'phpMyAdmin'],
      [`${file}:${db}.bizarre`, 'phpMyAdmin'],
    ]);
    expect([r.records, r.skipped, r.people]).toEqual([truth.rows + 6, 0, truth.people]);
    expectClassesOf(r, truth);
  });

  it('values read back as stored: quotes, backslashes, line breaks, emoji, NULL, escaped slashes, whatever the chunking', async () => {
    const want = [
      ['1', 'Boulangerie "Au Bon Pain"'],
      ['2', 'C:\\Clients\\nouveau'],
      ['3', 'ligne 1\nligne 2'],
      ['4', 'Zoë 😀'],
      ['5', null],
      ['6', 'https://exemple.fr/a/b'],
    ];
    const text = pmaExport('compact', 'escaped', 'bizarre').toString();
    expect((await readText(readJson, 'bizarre.json', text)).rows).toEqual(want);
    // Its header cut into pieces of a few characters is still recognised.
    const events: ReadEvent[] = [];
    for await (const ev of readJson(randomChunks(text, 7), { displayName: 'bizarre.json' })) events.push(ev);
    expect(events.flatMap((e) => (e.kind === 'rows' ? e.rows : []))).toEqual(want);
  });

  it('an export cut short fails with the file and the line, the rows before it delivered', async () => {
    const whole = pmaExport('pretty', 'escaped', 'bizarre').toString();
    const cut = whole.slice(0, whole.indexOf('"4"'));
    const events: unknown[] = [];
    const read = async (): Promise<void> => {
      for await (const ev of readJson(
        (async function* () {
          yield cut;
        })(),
        { displayName: 'coupé.json' },
      ))
        events.push(ev);
    };
    await expect(read()).rejects.toMatchObject({ code: 'VIGIE_TRUNCATED', message: expect.stringMatching(/^coupé\.json.*line \d+/) });
    expect(events.some((e) => (e as { kind: string }).kind === 'rows')).toBe(true);
  });
});
