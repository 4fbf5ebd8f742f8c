/**
 * The store's only door: `openStore` picks the engine from the configured URL.
 */
import { isAbsolute, join, resolve } from 'node:path';
import { VigieError } from '../errors.js';
import { openPostgresStore } from './postgres/index.js';
import { openSqliteStore } from './sqlite/index.js';
import type { Store, StoreOptions } from './store.js';

export type * from './store.js';
export type * from './alerts.js';
export type * from './domains.js';

/** Name of the SQLite file in the data directory. */
export { isBreachName } from './validate.js';

export const SQLITE_FILE = 'vigie.db';

/**
 * Opens the store and applies pending migrations.
 * - `undefined` or `sqlite:` → SQLite file `<dataDir>/vigie.db`;
 * - `sqlite:<path>` → that SQLite file (relative to the data directory);
 * - `postgres://…` or `postgresql://…` → PostgreSQL (schema `options.schema`, default `vigie`).
 * @example const store = await openStore(config.storeUrl, config.dataDir);
 */
export async function openStore(url: string | undefined, dataDir: string, options: StoreOptions = {}): Promise<Store> {
  if (url === undefined || url === '' || url.startsWith('sqlite:')) {
    const rest = url?.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '') ?? '';
    const path = rest === '' ? join(dataDir, SQLITE_FILE) : isAbsolute(rest) ? rest : resolve(dataDir, rest);
    return openSqliteStore(path, options);
  }
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgresStore(url, options);
  // The URL may hold a password: name the scheme only.
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? 'no scheme';
  throw new VigieError('VIGIE_CONFIG', `unsupported store URL (${scheme}): use sqlite:<path> or postgres://…`);
}
export { MAX_RPM } from './validate.js';
export { addSeconds, clipError } from './alerts.js';
export { normaliseDomain } from './domains.js';
