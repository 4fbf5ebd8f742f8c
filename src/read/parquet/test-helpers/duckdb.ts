/**
 * Test support (imported by tests only): Parquet files written by DuckDB itself, the real
 * tool, into a temporary directory; and what the readers make of them.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { ReadEvent, ReadOptions } from '../../types.js';
import { readParquet, readParquetFile } from '../index.js';

/** A DuckDB database in memory and a directory for the files it writes. */
export class DuckDb {
  readonly dir = mkdtempSync(join(tmpdir(), 'vigie-parquet-'));
  private constructor(
    private readonly db: DuckDBInstance,
    private readonly c: DuckDBConnection,
  ) {}

  static async open(): Promise<DuckDb> {
    // One thread: the tests' machines have two cores, and vitest runs files side by side.
    const db = await DuckDBInstance.create(':memory:', { threads: '1' });
    return new DuckDb(db, await db.connect());
  }

  async run(sql: string): Promise<void> {
    await this.c.run(sql);
  }

  /** `SELECT` (or a table name) copied to `name` in the directory with `COPY … TO … (FORMAT parquet, options)`; its path. */
  async parquet(select: string, name: string, options = ''): Promise<string> {
    const path = join(this.dir, name);
    await this.c.run(`COPY (${select}) TO ${quote(path)} (FORMAT parquet${options ? `, ${options}` : ''})`);
    return path;
  }

  /** The same as CSV, as DuckDB writes it (header, `,`, NULL as the empty field). */
  async csv(select: string, name: string): Promise<string> {
    const path = join(this.dir, name);
    await this.c.run(`COPY (${select}) TO ${quote(path)} (FORMAT csv, HEADER)`);
    return path;
  }

  close(): void {
    this.c.closeSync();
    this.db.closeSync();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A SQL string literal. */
export function quote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export interface Read {
  events: ReadEvent[];
  columns: string[];
  rows: (string | null)[][];
  error: (Error & { code?: string; position?: unknown }) | undefined;
}

/** Drains a reader; a thrown error is captured. Columns are as they stand at the end. */
export async function drain(events: AsyncIterable<ReadEvent>): Promise<Read> {
  const out: ReadEvent[] = [];
  let error: Read['error'];
  try {
    for await (const ev of events) out.push(ev);
  } catch (err) {
    error = err as Read['error'];
  }
  const table = out.find((e) => e.kind === 'table');
  return {
    events: out,
    columns: table?.kind === 'table' ? [...table.columns] : [],
    rows: out.flatMap((e) => (e.kind === 'rows' ? e.rows : [])),
    error,
  };
}

/** A file read by position, named `name` (its path by default). */
export function fromFile(path: string, read: Partial<ReadOptions> = {}, name = path): Promise<Read> {
  return drain(readParquetFile(path, { file: name, read: { displayName: name, ...read } }));
}

/** `bytes` in pieces of `size`, as an archive member streams. */
async function* pieces(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** The same bytes read from memory (as from an archive), named `name`. */
export function fromBytes(bytes: Buffer, name: string, read: Partial<ReadOptions> = {}, maxBytes?: number, size = 64 * 1024): Promise<Read> {
  return drain(readParquet(pieces(bytes, size), { file: name, read: { displayName: name, ...read }, ...(maxBytes === undefined ? {} : { maxBytes }) }));
}

/** A file's bytes. */
export function bytesOf(path: string): Buffer {
  return readFileSync(path);
}
