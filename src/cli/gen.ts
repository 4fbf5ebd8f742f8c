import type { Command } from 'commander';
import { VigieError } from '../errors.js';
import { MAX_ROWS, writeDataset, type GenOptions } from '../gen/index.js';
import type { CliContext } from './context.js';

interface GenFlags {
  out: string;
  rows: string;
  format: string;
  seed?: string;
  delimiter?: string;
  encoding?: string;
  header: boolean;
  columns?: string;
  invalidShare?: string;
  malformedShare?: string;
  duplicateShare?: string;
  gzip?: boolean;
  quote?: string;
  eol?: string;
}

const FORMATS = ['csv', 'json', 'ndjson', 'ejson', 'ejson-canonical', 'sql-inserts'] as const;
const ENCODINGS = ['utf8', 'utf8-bom', 'utf16le', 'windows-1252'] as const;
const DELIMITERS: Record<string, GenOptions['delimiter']> = { ',': ',', ';': ';', tab: '\t', '\\t': '\t', '\t': '\t', '|': '|' };
const COLUMNS = ['standard', 'ants', 'full'] as const;

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new VigieError('VIGIE_USAGE', `--${name} must be one of: ${allowed.join(', ')}`);
  return value as T;
}

/** A share given as text; `max` repeats writeDataset's own bound so the message names the flag. */
function share(name: string, value: string | undefined, max = 1): number | undefined {
  if (value === undefined) return undefined;
  const n = value.trim() === '' ? NaN : Number(value);
  if (!(n >= 0 && n <= max)) throw new VigieError('VIGIE_USAGE', `--${name} must be a number between 0 and ${max}`);
  return n;
}

export function registerGen(program: Command, ctx: CliContext): void {
  program
    .command('gen')
    .description('write a synthetic French leak (no real person) and its ground truth (<out>.truth.json)')
    .requiredOption('--out <file>', 'output file')
    .option('--rows <n>', 'records to write', '10000')
    .option('--format <format>', `one of ${FORMATS.join(', ')}`, 'csv')
    .option('--seed <n>', 'random seed (same seed, same bytes)')
    .option('--delimiter <d>', 'CSV delimiter: , ; tab |')
    .option('--encoding <e>', `one of ${ENCODINGS.join(', ')}`)
    .option('--no-header', 'CSV without a header row')
    .option('--columns <preset>', `one of ${COLUMNS.join(', ')}`)
    .option('--invalid-share <x>', 'share of invalid values (0..1)')
    .option('--malformed-share <x>', 'share of malformed records (0..1)')
    .option('--duplicate-share <x>', 'share of records repeating an earlier person (0..0.99)')
    .option('--gzip', 'gzip the output')
    .option('--quote <q>', 'CSV quoting: minimal (only when needed, as Excel) or text (every non-numeric field, as LibreOffice and export tools)')
    .option('--eol <e>', 'CSV line ending: lf or crlf (default crlf for ; in windows-1252, else lf)')
    .action(async (flags: GenFlags) => {
      // Digits only: `Number('')` is 0 and `Number('1e3')` is 1000, neither is what was meant.
      const rows = /^\d{1,9}$/.test(flags.rows) ? Number(flags.rows) : NaN;
      if (!(rows <= MAX_ROWS)) throw new VigieError('VIGIE_USAGE', `--rows must be an integer between 0 and ${MAX_ROWS}`);
      const seed = flags.seed === undefined ? undefined : /^-?\d{1,15}$/.test(flags.seed) ? Number(flags.seed) : NaN;
      if (seed !== undefined && !Number.isSafeInteger(seed)) throw new VigieError('VIGIE_USAGE', '--seed must be an integer');
      const format = oneOf('format', flags.format, FORMATS) ?? 'csv';
      const malformedShare = share('malformed-share', flags.malformedShare);
      if (malformedShare && format !== 'csv' && format !== 'ndjson') {
        throw new VigieError('VIGIE_USAGE', '--malformed-share applies to --format csv and ndjson only');
      }
      let delimiter: GenOptions['delimiter'];
      if (flags.delimiter !== undefined) {
        // Own keys only: `--delimiter constructor` must not find Object.prototype's.
        delimiter = Object.hasOwn(DELIMITERS, flags.delimiter) ? DELIMITERS[flags.delimiter] : undefined;
        if (!delimiter) throw new VigieError('VIGIE_USAGE', '--delimiter must be one of: , ; tab |');
      }
      const truth = await writeDataset({
        out: flags.out,
        rows,
        seed,
        format,
        delimiter,
        encoding: oneOf('encoding', flags.encoding, ENCODINGS),
        header: flags.header,
        columns: oneOf('columns', flags.columns, COLUMNS),
        invalidShare: share('invalid-share', flags.invalidShare),
        malformedShare,
        duplicateShare: share('duplicate-share', flags.duplicateShare, 0.99),
        gzip: flags.gzip ?? false,
        quote: oneOf('quote', flags.quote, ['minimal', 'text'] as const),
        eol: oneOf('eol', flags.eol, ['lf', 'crlf'] as const),
      });
      ctx.stderr.write(`wrote ${truth.rows} records (${truth.malformed} malformed) for ${truth.people} people to ${flags.out}\n`);
    });
}
