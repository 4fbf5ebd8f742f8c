/**
 * API keys on the server side: creating one (the key is shown once, only its SHA-256 stored),
 * and recognising keys on each request from an in-memory copy of the key table, refreshed
 * every few seconds so that `vigie apikey revoke` in another process takes effect quickly.
 * Last-use dates are gathered in memory and written in batches, not once per request.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ApiKey, Store } from '../store/index.js';

/** A new key: 32 lowercase hex digits (128 bits), the shape of HIBP's keys. */
function generateApiKey(): string {
  return randomBytes(16).toString('hex');
}

/** What the store keeps of a key. Keys carry 128 random bits: a plain SHA-256 is enough. */
function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Creates a key in the store and returns it with its record: the only time the key is seen. */
export async function createApiKey(store: Store, name: string, rpm: number, operator = false): Promise<{ key: string; record: ApiKey }> {
  const key = generateApiKey();
  return { key, record: await store.createApiKey({ name, hash: hashApiKey(key), rpm, operator }) };
}

/** A header value that cannot be a key is not hashed or looked up. */
const KEY_SHAPE = /^[\x21-\x7e]{1,128}$/;

export class ApiKeyRegistry {
  private keys = new Map<string, ApiKey>();
  /** Keys presented since the last read, by their text: spares a SHA-256 per request. Valid keys only. */
  private seen = new Map<string, ApiKey>();
  private loadedAt = Number.NEGATIVE_INFINITY;
  private pending: Promise<void> | undefined;
  /** Last use of each key since the last flush, by hash, in milliseconds. */
  private used = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Store,
    private readonly options: { refreshMs: number; flushMs: number; now: () => Date },
  ) {}

  /** Loads the keys and starts the periodic flush of last-use dates. */
  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.flush().catch(() => undefined), this.options.flushMs);
    this.timer.unref();
  }

  private refresh(): Promise<void> {
    this.pending ??= this.store
      .listApiKeys()
      .then((list) => {
        this.keys = new Map(list.map((k) => [k.hash, k]));
        this.seen = new Map();
        this.loadedAt = Date.now();
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  /**
   * The key a request presented, or undefined when it is unknown or revoked. An unknown key
   * makes the registry read the table again, at most once a second (a key just created).
   */
  async find(presented: string): Promise<ApiKey | undefined> {
    if (Date.now() - this.loadedAt >= this.options.refreshMs) await this.refresh();
    let key = this.seen.get(presented);
    if (!key) {
      if (!KEY_SHAPE.test(presented)) return undefined;
      const hash = hashApiKey(presented);
      key = this.keys.get(hash);
      if (!key && Date.now() - this.loadedAt >= 1000) {
        await this.refresh();
        key = this.keys.get(hash);
      }
      if (!key) return undefined;
      this.seen.set(presented, key);
    }
    this.used.set(key.hash, this.options.now().getTime());
    return key;
  }

  /**
   * The key with this SHA-256, if it still exists (an operator session names its key by hash):
   * a key revoked in another process stops its sessions within `refreshMs`.
   */
  async byHash(hash: string): Promise<ApiKey | undefined> {
    if (Date.now() - this.loadedAt >= this.options.refreshMs) await this.refresh();
    const key = this.keys.get(hash);
    if (key) this.used.set(key.hash, this.options.now().getTime());
    return key;
  }

  /** Writes the gathered last-use dates. */
  async flush(): Promise<void> {
    if (this.used.size === 0) return;
    const batch = new Map([...this.used].map(([hash, ms]) => [hash, new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')]));
    this.used = new Map();
    await this.store.touchApiKeys(batch);
  }

  /** Stops the timer and writes what is left. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }
}
