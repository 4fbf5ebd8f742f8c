/**
 * A lookup, the same for the HIBP API, Vigie's own API, the web page and `vigie check`:
 * normalise the value as ingest does, pseudonymise it under the secret key, ask the store, and
 * join the hits with the catalogue. The value never leaves this function: not in a log, not in
 * an error, not in the store.
 */
import { classesFromMask, type DataClassName } from '../dataclasses.js';
import { Pseudonymiser } from '../pseudonymise/index.js';
import type { Breach, Store } from '../store/index.js';
import { type Account, type AccountKind, parseAccount } from './account.js';
import type { CatalogueCache } from './catalogue.js';

/** One breach that holds the identifier, and the classes exposed with it there. */
interface LookupHit {
  breach: Breach;
  /** The data classes of the records that held this identifier (not the breach's whole list). */
  exposed: DataClassName[];
}

export interface LookupResult {
  kind: AccountKind;
  /** Newest breach first; sensitive breaches only for a verified owner. */
  hits: LookupHit[];
}

interface LookupOptions {
  /** Show breaches marked sensitive: only for a verified owner of the identifier. */
  includeSensitive?: boolean;
}

export class LookupService {
  private readonly pseudonymiser: Pseudonymiser;

  constructor(
    private readonly store: Store,
    key: Buffer,
    private readonly catalogue: CatalogueCache,
  ) {
    this.pseudonymiser = new Pseudonymiser(key);
  }

  /** Parses the raw value (see `parseAccount` for what is refused) and looks it up. */
  lookup(raw: string, options: LookupOptions = {}): Promise<LookupResult> {
    return this.lookupAccount(parseAccount(raw), options);
  }

  async lookupAccount(account: Account, options: LookupOptions = {}): Promise<LookupResult> {
    const exposures = await this.store.lookup(this.pseudonymiser.one(account.kind, account.canonical));
    if (exposures.length === 0) return { kind: account.kind, hits: [] };
    const entries = await this.catalogue.resolve(exposures.map((e) => e.breach));
    const hits: LookupHit[] = [];
    exposures.forEach((e, i) => {
      const breach = entries[i]?.breach;
      if (!breach || breach.IsRetired) return;
      if (breach.IsSensitive && options.includeSensitive !== true) return;
      hits.push({ breach, exposed: classesFromMask(e.mask) });
    });
    hits.sort((a, b) => (b.breach.BreachDate ?? '').localeCompare(a.breach.BreachDate ?? '') || a.breach.Name.localeCompare(b.breach.Name));
    return { kind: account.kind, hits };
  }
}
