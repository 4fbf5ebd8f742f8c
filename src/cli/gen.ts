import type { Command } from 'commander';
import { VigieError } from '../errors.js';
import { writeDataset, type GenOptions } from '../gen/index.js';
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
}

const FORMATS = ['csv', 'json', 'ndjson', 'sql-inserts'] as const;
const ENCODINGS = ['utf8', 'utf8-bom', 'utf16le', 'windows-1252'] as const;
const DELIMITERS: Record<string, GenOptions['delimiter']> = { ',': ',', ';': ';', tab: '\t', '\\t': '\t', '\t': '\t', '|': '|' };
const COLUMNS = ['standard', 'ants', 'full'] as const;

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new VigieError('VIGIE_USAGE', `--${name} must be one of: ${allowed.join(', ')}`);
  return value as T;
}

function share(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) throw new VigieError('VIGIE_USAGE', `--${name} must be a number between 0 and 1`);
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
    .option('--duplicate-share <x>', 'share of records repeating an earlier person (0..1)')
    .option('--gzip', 'gzip the output')
    .action(async (flags: GenFlags) => {
      const rows = Number(flags.rows);
      if (!Number.isInteger(rows) || rows < 0) throw new VigieError('VIGIE_USAGE', '--rows must be a non-negative integer');
      const seed = flags.seed === undefined ? undefined : Number(flags.seed);
      if (seed !== undefined && !Number.isInteger(seed)) throw new VigieError('VIGIE_USAGE', '--seed must be an integer');
      let delimiter: GenOptions['delimiter'];
      if (flags.delimiter !== undefined) {
        delimiter = DELIMITERS[flags.delimiter];
        if (!delimiter) throw new VigieError('VIGIE_USAGE', '--delimiter must be one of: , ; tab |');
      }
      const truth = await writeDataset({
        out: flags.out,
        rows,
        seed,
        format: oneOf('format', flags.format, FORMATS) ?? 'csv',
        delimiter,
        encoding: oneOf('encoding', flags.encoding, ENCODINGS),
        header: flags.header,
        columns: oneOf('columns', flags.columns, COLUMNS),
        invalidShare: share('invalid-share', flags.invalidShare),
        malformedShare: share('malformed-share', flags.malformedShare),
        duplicateShare: share('duplicate-share', flags.duplicateShare),
        gzip: flags.gzip ?? false,
      });
      ctx.stderr.write(`wrote ${truth.rows} records (${truth.malformed} malformed) for ${truth.people} people to ${flags.out}\n`);
    });
}
