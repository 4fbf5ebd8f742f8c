/**
 * One door per folder (docs/architecture.md §3): a file outside a folder of `src/` imports only
 * that folder's `index.ts`, never a file inside it. Test support (`test-helpers/` folders) is
 * imported by test code only, and never by code that ships.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = dirname(fileURLToPath(import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'fixtures' ? [] : sourceFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** Relative module specifiers of a file: static imports and exports, dynamic imports. */
function specifiers(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?:^|\s)(?:import|export)\s[^'";]*?\sfrom\s+'(\.[^']*)'|(?:^|[^.\w])import\(\s*'(\.[^']*)'\s*\)|^import\s+'(\.[^']*)'/gm)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (spec !== undefined) found.push(spec);
  }
  return found;
}

const isTestCode = (file: string): boolean => /\.test\.ts$/.test(file) || file.split(sep).includes('test-helpers');

/** Why importing `target` from `file` breaks a door, or undefined when it does not. */
function violation(file: string, target: string): string | undefined {
  const rel = relative(dirname(file), target);
  const up = rel.split(sep).filter((p) => p === '..').length;
  // The folders entered on the way down from the common ancestor of the two files.
  const down = rel.split(sep).slice(up, -1);
  if (down.includes('test-helpers')) return isTestCode(file) ? undefined : 'test support imported by shipping code';
  if (down.length === 0) return undefined;
  const entered = down.length === 1 && target.endsWith(`${sep}index.ts`);
  return entered ? undefined : `enters ${down[0]}/ through ${rel} instead of its index.ts`;
}

describe('doors', () => {
  const files = sourceFiles(SRC);

  it('finds the imports of every source file', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(specifiers(readFileSync(join(SRC, 'ingest', 'leak-reader.ts'), 'utf8'))).toContain('../read/index.js');
  });

  it('every folder is entered through its index.ts, test support only by tests', () => {
    const bad: string[] = [];
    for (const file of files) {
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
        const why = violation(file, target);
        if (why) bad.push(`${relative(SRC, file)} → ${spec}: ${why}`);
      }
    }
    expect(bad).toEqual([]);
  });
});
