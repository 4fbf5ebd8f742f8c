/**
 * Opens what the stateful subcommands need: the configuration, the key and the store, and
 * checks that the key is the one the store's pseudonyms were made with.
 */
import type { Config } from '../config.js';
import { initKey, keyFingerprint, loadKey } from '../pseudonymise/index.js';
import { openStore, type Store } from '../store/index.js';
import type { CliContext } from './context.js';

export interface StoreFlags {
  data?: string;
  store?: string;
}

export interface World {
  config: Config;
  store: Store;
  key: Buffer;
}

function keySource(config: Config) {
  return { dataDir: config.dataDir, env: { VIGIE_KEY: config.keyEnv, VIGIE_KEY_FILE: config.keyFile } };
}

/** Loads the key (refusing a key file others can read) and opens the store. */
export async function openWorld(ctx: CliContext, flags: StoreFlags): Promise<World> {
  const config = ctx.config({ dataDir: flags.data, storeUrl: flags.store });
  const key = await loadKey(keySource(config));
  const store = await openStore(config.storeUrl, config.dataDir);
  try {
    await store.checkKey(keyFingerprint(key));
  } catch (e) {
    await store.close();
    throw e;
  }
  return { config, store, key };
}

/** Runs `fn` with an open world, closing the store whatever happens. */
export async function withWorld<T>(ctx: CliContext, flags: StoreFlags, fn: (w: World) => Promise<T>): Promise<T> {
  const world = await openWorld(ctx, flags);
  try {
    return await fn(world);
  } finally {
    await world.store.close();
  }
}

/**
 * `vigie init`: the data directory (mode 0700), the key file (mode 0600) unless the key comes
 * from VIGIE_KEY / VIGIE_KEY_FILE, and the store with its migrations. Idempotent.
 */
export async function initWorld(ctx: CliContext, flags: StoreFlags): Promise<{ config: Config; keyCreated: boolean; keyPath: string | null; schema: number }> {
  const config = ctx.config({ dataDir: flags.data, storeUrl: flags.store });
  let keyCreated = false;
  let keyPath: string | null = null;
  if (!config.keyEnv && !config.keyFile) {
    const k = await initKey(config.dataDir);
    keyCreated = k.created;
    keyPath = k.path;
  }
  const world = await openWorld(ctx, flags);
  try {
    return { config, keyCreated, keyPath, schema: await world.store.migrate() };
  } finally {
    await world.store.close();
  }
}
