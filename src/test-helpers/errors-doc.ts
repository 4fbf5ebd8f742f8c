/**
 * `docs/errors.md` is generated from the catalogue of `src/errors.ts`, code by code, with exit
 * code and HTTP status: `npm run docs:errors` writes it, `src/errors.test.ts` fails when it is
 * out of step.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ErrorCodes } from '../errors.js';

export const ERRORS_DOC = fileURLToPath(new URL('../../docs/errors.md', import.meta.url));

/** The whole text of `docs/errors.md`, from `ErrorCodes`. */
export function renderErrorsDoc(): string {
  const rows = Object.entries(ErrorCodes).map(([code, e]) => `| \`${code}\` | ${e.exit} | ${e.http} | ${e.summary} |`);
  return [
    '# Error codes',
    '',
    '<!-- Generated from src/errors.ts by `npm run docs:errors`; do not edit by hand. -->',
    '',
    'Every error Vigie expects has a stable code, an exit code for the CLI and an HTTP status for the API, defined once in `src/errors.ts`. Messages name the file, the position (table, line, record, byte) and the cause; they never quote a value from the input.',
    '',
    '| code | exit | HTTP | meaning |',
    '|---|---|---|---|',
    ...rows,
    '',
    'Exit code 0 means success; `vigie check` also exits 0 when a value is found in no leak (not found is a normal answer).',
    '',
  ].join('\n');
}

export function readErrorsDoc(): string {
  return readFileSync(ERRORS_DOC, 'utf8');
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1] && process.argv.includes('--write')) {
  writeFileSync(ERRORS_DOC, renderErrorsDoc());
}
