/**
 * Wraps driver errors once, at the store's boundary, keeping the original as `cause`.
 * The message carries only the driver's error code: driver messages may quote values
 * (PostgreSQL's "invalid input syntax ... "x"" does), and a message must never carry one.
 */
import { isVigieError, VigieError } from '../errors.js';
import type { CommitResult, Load, LoadStats } from './store.js';
import type { DomainAlias } from './domains.js';

const HINTS: Record<string, string> = {
  SQLITE_BUSY: 'the database is locked by another writer',
  SQLITE_FULL: 'the disk is full',
  SQLITE_READONLY: 'the database is read-only',
  SQLITE_CORRUPT: 'the database file is corrupt',
  SQLITE_CANTOPEN: 'the database file cannot be opened',
  '53100': 'the database server disk is full',
  '57P01': 'the database server shut down',
  '40P01': 'deadlock detected',
  ECONNREFUSED: 'the database server refused the connection',
};

export function asStoreError(engine: 'sqlite' | 'postgres', e: unknown): VigieError {
  if (isVigieError(e)) return e;
  const code = (e as { code?: unknown } | null)?.code;
  const c = typeof code === 'string' ? code : 'unknown';
  const hint = HINTS[c] ?? (c.startsWith('SQLITE_BUSY') ? HINTS['SQLITE_BUSY'] : undefined);
  return new VigieError('VIGIE_STORE', `${engine} store failed (${c})${hint ? `: ${hint}` : ''}`, { cause: e });
}

/** Runs `fn`, turning any driver error into a VIGIE_STORE error. */
export async function guarded<T>(engine: 'sqlite' | 'postgres', fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw asStoreError(engine, e);
  }
}

/** What an engine's own load offers; its methods may be synchronous (SQLite's are). */
export interface EngineLoad {
  readonly breach: string;
  readonly knownDigests: readonly string[];
  readonly newDigests: readonly string[];
  write(pseudonyms: Buffer, masks: Uint32Array): void | Promise<void>;
  writeAliases(rows: readonly DomainAlias[]): void;
  commit(stats: LoadStats, people?: Uint8Array): CommitResult | Promise<CommitResult>;
  abort(): void | Promise<void>;
}

/** The same load, with driver errors turned into VIGIE_STORE errors: both engines hand out this. */
export function guardLoad(engine: 'sqlite' | 'postgres', load: EngineLoad): Load {
  return {
    breach: load.breach,
    knownDigests: load.knownDigests,
    newDigests: load.newDigests,
    write: (p, m) => guarded(engine, () => load.write(p, m)),
    writeAliases: (rows) => load.writeAliases(rows),
    commit: (s, p) => guarded(engine, () => load.commit(s, p)),
    abort: () => guarded(engine, () => load.abort()),
  };
}
