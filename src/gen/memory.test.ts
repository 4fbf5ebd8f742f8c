/**
 * Bounded memory: 200 000 rows of the `full` preset (about 53 MB of text) are written by a
 * child process whose V8 old space is capped at 32 MB. Holding the rows, or the text, would
 * die with "JavaScript heap out of memory"; streaming with backpressure does not.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigie-gen-mem-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let scripts = 0;
async function generateCapped(script: string): Promise<void> {
  // .mts: the temporary folder has no package.json saying "type": "module".
  const file = join(dir, `script${scripts++}.mts`);
  await writeFile(file, script);
  await run(process.execPath, ['--max-old-space-size=32', '--import', 'tsx', file], { cwd: resolve('.'), timeout: 120_000 });
}

describe('memory', () => {
  it('streams 200k rows under a 32 MB old-space cap', async () => {
    const out = join(dir, 'big.csv');
    const entry = resolve('src/gen/index.ts');
    await generateCapped(
      `import { writeDataset } from ${JSON.stringify(entry)};\n` +
        `await writeDataset({ out: ${JSON.stringify(out)}, rows: 200000, format: 'csv', columns: 'full', seed: 1 });\n`,
    );
    expect((await stat(out)).size).toBeGreaterThan(45_000_000);
    const truth = JSON.parse(await readFile(`${out}.truth.json`, 'utf8')) as { rows: number };
    expect(truth.rows).toBe(200_000);
  }, 120_000);

  it('the cap is real: holding that much text in memory fails', async () => {
    const entry = resolve('src/gen/index.ts');
    const holding =
      `import { generatePeople } from ${JSON.stringify(entry)};\n` +
      `const kept = [];\nfor (const p of generatePeople(200000, 1)) kept.push(JSON.stringify(p));\n`;
    await expect(generateCapped(holding)).rejects.toThrow(/heap out of memory|Allocation failed/);
  }, 120_000);
});
