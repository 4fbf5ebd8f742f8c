/**
 * Writes a synthetic leak to a file, streaming, and returns its ground truth (also written
 * next to it as `<out>.truth.json`). Memory stays bounded whatever `rows`: text is encoded
 * and handed to the file stream in chunks of about 64 K characters with backpressure; only
 * a fixed reservoir of past people (for duplicates) and the per-person flags of the truth
 * (2 bytes a person) are kept.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { DataClasses } from '../dataclasses.js';
import { VigieError } from '../errors.js';
import { FIELD_CLASS, PRESETS, presetClasses, type ColumnPreset } from './columns.js';
import { bom, encode, type GenEncoding } from './encode.js';
import {
  columnNames,
  csvSerializer,
  type CsvQuoting,
  ejsonSerializer,
  jsonSerializer,
  ndjsonSerializer,
  sqlSerializer,
  supportsMalformed,
  type Delimiter,
  type GenFormat,
  type Serializer,
  type SqlDialect,
} from './formats.js';
import { PeopleFactory, type GeneratedPerson } from './people.js';
import { PHONE_STYLES, type PhoneStyle } from './phones.js';
import { RecordRenderer } from './record.js';
import { Rng } from './rng.js';
import { NO_TALLY, TruthCounter, type GroundTruth } from './truth.js';
import type { DateFormat } from './writings.js';

/** Options of `writeDataset`, one plain field per `vigie gen` flag. */
export interface GenOptions {
  /** Output path; its folder is created if missing. The truth goes to `<out>.truth.json`. */
  out: string;
  /** Data rows to write, malformed ones included (header excluded). At most 50 million. */
  rows: number;
  /** Default 1. Same options and seed, same bytes (only the low 32 bits matter). */
  seed?: number;
  format: GenFormat;
  /** CSV only. Default `;`, as French Excel exports. */
  delimiter?: Delimiter;
  /** Default `utf8`. `utf16le` always writes a BOM. Not `utf16le` for `sql-inserts`. */
  encoding?: GenEncoding;
  /** CSV only: write the header line. Default true. */
  header?: boolean;
  /** Default `standard`. */
  columns?: ColumnPreset;
  /** Share of breakable values (NIR, phone, e-mail, birth date, IBAN) written invalid. Default 0.02. */
  invalidShare?: number;
  /** Share of rows written broken (CSV and NDJSON only; never the first 20 rows). Default 0. */
  malformedShare?: number;
  /** Share of records repeating an earlier person, possibly in other writings. Default 0.05. */
  duplicateShare?: number;
  /** Gzip the output (the path is used as given). Default false. */
  gzip?: boolean;
  /** CSV line ending. Default CRLF for `;` + Windows-1252 (Excel), else LF. */
  eol?: 'lf' | 'crlf';
  /** CSV quoting (see `CsvQuoting`). Default `minimal`. */
  quote?: CsvQuoting;
  /** Birth-date writing. Default `JJ/MM/AAAA`; duplicates may use another. */
  dateFormat?: DateFormat;
  /** Phone writing; default `any` (mixed, as typed by hand). */
  phoneStyle?: PhoneStyle | 'any';
  /** `sql-inserts`: table name (letters, digits, underscore). Default `personnes`. */
  table?: string;
  /** `sql-inserts`: default `mysql`. */
  sqlDialect?: SqlDialect;
  /** Called now and then with the number of rows written so far (for a progress bar). */
  onProgress?: (rowsWritten: number) => void;
}

export const MAX_ROWS = 50_000_000;
/** Past people kept for duplicates: a uniform sample of all earlier ones (reservoir sampling). */
const RESERVOIR = 4096;
/** First rows never malformed: readers infer the delimiter and field count from them. */
const CLEAN_HEAD = 20;
const CHUNK_CHARS = 1 << 16;

function usage(message: string): never {
  throw new VigieError('VIGIE_USAGE', message);
}

function share(name: string, v: number | undefined, dflt: number, max = 1): number {
  const x = v ?? dflt;
  if (typeof x !== 'number' || !(x >= 0 && x <= max)) usage(`${name} must be a number between 0 and ${max}`);
  return x;
}

function oneOf<T extends string>(name: string, v: T | undefined, allowed: readonly T[], dflt: T): T {
  const x = v ?? dflt;
  if (!allowed.includes(x)) usage(`${name} must be one of ${allowed.join(', ')}`);
  return x;
}

/**
 * Generates a synthetic leak of French personal data and returns its ground truth.
 * @example const truth = await writeDataset({ out: 'data/leak.csv', rows: 20000, format: 'csv' })
 */
export async function writeDataset(opts: GenOptions): Promise<GroundTruth> {
  const format = oneOf('format', opts.format, ['csv', 'json', 'ndjson', 'ejson', 'ejson-canonical', 'sql-inserts'], 'csv');
  if (!Number.isSafeInteger(opts.rows) || opts.rows < 0 || opts.rows > MAX_ROWS) usage(`rows must be an integer between 0 and ${MAX_ROWS}`);
  const seed = opts.seed ?? 1;
  if (!Number.isSafeInteger(seed)) usage('seed must be an integer');
  const delimiter = oneOf('delimiter', opts.delimiter, [',', ';', '\t', '|'], ';');
  const encoding = oneOf('encoding', opts.encoding, ['utf8', 'utf8-bom', 'utf16le', 'windows-1252'], 'utf8');
  const preset = oneOf('columns', opts.columns, ['standard', 'ants', 'full'], 'standard');
  const invalidShare = share('invalidShare', opts.invalidShare, 0.02);
  const malformedShare = share('malformedShare', opts.malformedShare, 0);
  const duplicateShare = share('duplicateShare', opts.duplicateShare, 0.05, 0.99);
  const dateFormat = oneOf('dateFormat', opts.dateFormat, ['JJ/MM/AAAA', 'AAAA-MM-JJ', 'JJ-MM-AAAA'], 'JJ/MM/AAAA');
  const phoneStyle = oneOf<PhoneStyle | 'any'>('phoneStyle', opts.phoneStyle, [...PHONE_STYLES, 'any'], 'any');
  const table = opts.table ?? 'personnes';
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(table)) usage('table must be letters, digits and underscores');
  const dialect = oneOf('sqlDialect', opts.sqlDialect, ['mysql', 'postgres'], 'mysql');
  if (malformedShare > 0 && !supportsMalformed(format)) usage('malformedShare applies to csv and ndjson only');
  if (format === 'sql-inserts' && encoding === 'utf16le') usage('SQL clients do not read UTF-16 scripts');
  const eol = (opts.eol ?? (delimiter === ';' && encoding === 'windows-1252' ? 'crlf' : 'lf')) === 'crlf' ? '\r\n' : '\n';

  const columns = PRESETS[preset];
  const serializer: Serializer =
    format === 'csv'
      ? csvSerializer(columns, delimiter, eol, opts.header ?? true, opts.quote)
      : format === 'json'
        ? jsonSerializer(columns)
        : format === 'ndjson'
          ? ndjsonSerializer(columns)
          : format === 'ejson' || format === 'ejson-canonical'
            ? ejsonSerializer(columns, format === 'ejson-canonical')
            : sqlSerializer(columns, table, dialect, sqlCharset(dialect, encoding));
  const truth = new TruthCounter(presetClasses(columns));
  const rng = new Rng(seed, 2);
  const renderer = new RecordRenderer(columns, { invalidShare, dateFormat, phoneStyle }, rng);
  const factory = new PeopleFactory(seed);
  const counts = { kept: 0, malformed: 0, duplicates: 0 };
  const malformedOk = supportsMalformed(format);

  function* chunks(): Generator<Buffer> {
    const reservoir: GeneratedPerson[] = [];
    let offered = 0;
    let text = serializer.head();
    const first = bom(encoding);
    if (first.length > 0) yield first;
    for (let i = 0; i < opts.rows; i++) {
      if (malformedOk && i >= CLEAN_HEAD && rng.chance(malformedShare)) {
        text += serializer.malformed(renderer.render(factory.next(), NO_TALLY, false), rng);
        counts.malformed++;
      } else {
        let gp: GeneratedPerson;
        const duplicate = reservoir.length > 0 && rng.chance(duplicateShare);
        if (duplicate) {
          gp = reservoir[rng.int(reservoir.length)] as GeneratedPerson;
          counts.duplicates++;
        } else {
          gp = factory.next();
          offered++;
          if (reservoir.length < RESERVOIR) reservoir.push(keep(gp));
          else {
            const j = rng.int(offered);
            if (j < RESERVOIR) reservoir[j] = keep(gp);
          }
        }
        text += serializer.row(renderer.render(gp, truth, duplicate));
        counts.kept++;
      }
      if (text.length >= CHUNK_CHARS) {
        yield encode(text, encoding);
        text = '';
        opts.onProgress?.(i + 1);
      }
    }
    text += serializer.tail();
    if (text.length > 0) yield encode(text, encoding);
    opts.onProgress?.(opts.rows);
  }

  try {
    await mkdir(dirname(opts.out), { recursive: true });
    const source = Readable.from(chunks(), { objectMode: false });
    if (opts.gzip) await pipeline(source, createGzip(), createWriteStream(opts.out));
    else await pipeline(source, createWriteStream(opts.out));
  } catch (e: unknown) {
    throw outputError(opts.out, e);
  }

  const result: GroundTruth = {
    format,
    seed,
    rows: counts.kept,
    malformed: counts.malformed,
    duplicates: counts.duplicates,
    persons: truth.persons,
    people: truth.people,
    dataClasses: truth.classes(),
    columns: columnNames(format, columns).map((name, i) => {
      const cls = FIELD_CLASS[(columns[i] as (typeof columns)[number]).field];
      return { name, dataClass: cls ? DataClasses[cls] : null };
    }),
  };
  try {
    await writeFile(`${opts.out}.truth.json`, `${JSON.stringify(result, null, 2)}\n`);
  } catch (e: unknown) {
    throw outputError(`${opts.out}.truth.json`, e);
  }
  return result;
}

/**
 * A copy for the reservoir. Storing the factory's own objects would make most of them
 * survive early on, and V8 would then allocate every later person directly in the old
 * generation (allocation-site pretenuring): measured 3× slower, with a mark-compact every
 * 30 000 rows. Copies made here keep the factory's allocation sites short-lived.
 */
function keep(gp: GeneratedPerson): GeneratedPerson {
  const p = gp.person;
  return {
    person: { ...p, address: { ...p.address } },
    keys: { ...gp.keys },
  };
}

/** MySQL's `latin1` is Windows-1252; PostgreSQL calls it `WIN1252`. */
function sqlCharset(dialect: SqlDialect, encoding: GenEncoding): string {
  if (dialect === 'mysql') return encoding === 'windows-1252' ? 'latin1' : 'utf8mb4';
  return encoding === 'windows-1252' ? 'WIN1252' : 'UTF8';
}

/** A path the user gave that cannot be written is a usage error; anything else is internal. */
function outputError(path: string, e: unknown): VigieError {
  if (e instanceof VigieError) return e;
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return new VigieError('VIGIE_INTERNAL', 'generation failed', { position: { file: path }, cause: e });
  const userCodes = ['ENOENT', 'EACCES', 'EISDIR', 'ENOTDIR', 'EPERM', 'EROFS', 'EEXIST'];
  return new VigieError(userCodes.includes(code) ? 'VIGIE_USAGE' : 'VIGIE_INTERNAL', `cannot write output (${code})`, {
    position: { file: path },
    cause: e,
  });
}
