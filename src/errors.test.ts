/** The error catalogue documents itself: `docs/errors.md` is generated from `ErrorCodes`. */
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from './errors.js';
import { readErrorsDoc, renderErrorsDoc } from './test-helpers/errors-doc.js';

describe('docs/errors.md', () => {
  const doc = readErrorsDoc();

  it.each(Object.entries(ErrorCodes))('documents %s with its exit code and HTTP status', (code, e) => {
    expect(doc).toContain(`| \`${code}\` | ${e.exit} | ${e.http} | ${e.summary} |`);
  });

  it('lists no code the catalogue does not have', () => {
    const documented = [...doc.matchAll(/^\| `(VIGIE_[A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented).toEqual(Object.keys(ErrorCodes));
  });

  it('is exactly what `npm run docs:errors` writes', () => {
    expect(doc).toBe(renderErrorsDoc());
  });
});
