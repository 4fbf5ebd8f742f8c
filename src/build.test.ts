/**
 * What ships: a fresh build (`tsconfig.build.json`, as `npm run build` does) holds no test, no
 * test support and no file that imports vitest (docs/architecture.md §3).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'vigie-dist-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('the build output', () => {
  it('holds no test, no test support, and nothing that imports vitest', () => {
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', out], { cwd: ROOT });
    const built = files(out)
      .filter((f) => f.endsWith('.js'))
      .map((f) => relative(out, f));
    expect(built).toContain(join('cli', 'main.js'));
    const testOnly = built.filter((f) => /\.test\.js$|(^|[/\\])test-helpers[/\\]|testkit|\.contract\.|\.child\.js$|microbench/.test(f));
    expect(testOnly).toEqual([]);
    const importsVitest = built.filter((f) => /from ['"]vitest|import\(['"]vitest/.test(readFileSync(join(out, f), 'utf8')));
    expect(importsVitest).toEqual([]);
  });
});
