/**
 * The breach catalogue as the server answers it: read from the store at most once per `ttlMs`
 * (several API instances may share a PostgreSQL store, and `vigie ingest` publishes from another
 * process), and at once when a lookup names a breach the cached copy does not know yet.
 */
import type { BreachEntry, Store } from '../store/index.js';

export class CatalogueCache {
  private entries: BreachEntry[] = [];
  private byName = new Map<string, BreachEntry>();
  private loadedAt = Number.NEGATIVE_INFINITY;
  private pending: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly ttlMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  private refresh(): Promise<void> {
    // One read at a time: concurrent requests share it.
    this.pending ??= this.store
      .listBreaches({ includeRetired: true })
      .then((entries) => {
        this.entries = entries;
        this.byName = new Map(entries.map((e) => [e.breach.Name.toLowerCase(), e]));
        this.loadedAt = this.clock();
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  private async fresh(): Promise<void> {
    if (this.clock() - this.loadedAt >= this.ttlMs) await this.refresh();
  }

  /** Every breach, retired ones included (HIBP lists them too), by name. */
  async list(): Promise<BreachEntry[]> {
    await this.fresh();
    return this.entries;
  }

  /** One breach by name, any case. */
  async get(name: string): Promise<BreachEntry | undefined> {
    await this.fresh();
    return this.byName.get(name.toLowerCase());
  }

  /**
   * The entries of breaches a lookup returned, reading the store again if one is unknown
   * (published since the last read).
   */
  async resolve(names: readonly string[]): Promise<(BreachEntry | undefined)[]> {
    await this.fresh();
    if (names.some((n) => !this.byName.has(n.toLowerCase()))) await this.refresh();
    return names.map((n) => this.byName.get(n.toLowerCase()));
  }
}
