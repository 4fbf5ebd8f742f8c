/**
 * match: the organisation's own customer file → which of its customers are in a leak, with
 * what. The file is read, recognised and normalised by the ingest's own code (`readRecognised`,
 * `RecordProcessor`), each identifier is pseudonymised in memory under the store's key, and the
 * pseudonyms are looked up in the named leak in batches (`Store.lookupMany`). Nothing of the
 * file is stored or logged: the customers' ids go only to the caller.
 */
import { classesFromMask, type DataClassName } from '../dataclasses.js';
import { VigieError } from '../errors.js';
import { findHeader, readRecognised, RecordProcessor, type IdentifierSink } from '../ingest/index.js';
import { IdentifierKinds, Pseudonymiser, PSEUDONYM_BYTES, type IdentifierKind } from '../pseudonymise/index.js';
import type { Cell } from '../read/index.js';
import type { Store } from '../store/index.js';

/** One customer of the file found in the leak. */
export interface CustomerMatch {
  /** The value of the id column, as written (trimmed). */
  id: string;
  /** Identifier kinds of the customer found in the leak, in `IdentifierKinds` order. */
  matched: IdentifierKind[];
  /** What the leak exposed with those identifiers: the OR of their masks, as data class names. */
  dataClasses: DataClassName[];
}

export interface MatchSummary {
  breach: string;
  /** Rows read from tables holding the id column (skipped ones included). */
  rows: number;
  /** Rows with at least one valid identifier. */
  withIdentifier: number;
  /** Customers (rows) found in the leak. */
  matched: number;
  /** Per identifier kind: rows holding a valid one, rows where it was found. */
  kinds: Partial<Record<IdentifierKind, { present: number; matched: number }>>;
  skipped: number;
  skippedReasons: Record<string, number>;
  elapsedMs: number;
}

interface MatchOptions {
  file: string;
  /** The leak's name as the store has it (its case matters for account identifiers' scope). */
  breach: string;
  idColumn: string;
  store: Store;
  key: Uint8Array;
  /** Receives the customers found, batch by batch, in file order; awaited (backpressure). */
  onMatches: (batch: CustomerMatch[]) => void | Promise<void>;
  clock?: () => number;
}

/** `classesFromMask`, once per distinct mask: a leak has few, and the lists are shared, never mutated. */
function classesOf(cache: Map<number, DataClassName[]>, mask: number): DataClassName[] {
  let c = cache.get(mask);
  if (c === undefined) cache.set(mask, (c = classesFromMask(mask)));
  return c;
}

/** Rows looked up per `lookupMany` call. */
const LOOKUP_ROWS = 4096;

/**
 * Collects the pseudonyms of each row as `RecordProcessor` reports them, with the row and kind
 * of each, so that the store's answers can be folded back per customer.
 */
export class RowSink implements IdentifierSink {
  private readonly p: Pseudonymiser;
  private out = Buffer.allocUnsafe(8192 * PSEUDONYM_BYTES);
  private rowOf = new Uint32Array(8192);
  private kindOf = new Uint8Array(8192);
  private n = 0;
  private row = 0;

  constructor(
    key: Uint8Array,
    private readonly scope: string,
  ) {
    this.p = new Pseudonymiser(key);
  }

  record(ids: { kind: IdentifierKind; value: string }[]): void {
    for (const id of ids) {
      if (this.n === this.rowOf.length) this.grow();
      this.p.writeInto(this.out, this.n * PSEUDONYM_BYTES, id.kind, id.value, id.kind === 'account' ? this.scope : undefined);
      this.rowOf[this.n] = this.row;
      this.kindOf[this.n++] = IdentifierKinds.indexOf(id.kind);
    }
    this.row++;
  }

  private grow(): void {
    const out = Buffer.allocUnsafe(this.out.length * 2);
    this.out.copy(out);
    this.out = out;
    const rowOf = new Uint32Array(this.rowOf.length * 2);
    rowOf.set(this.rowOf);
    this.rowOf = rowOf;
    const kindOf = new Uint8Array(this.kindOf.length * 2);
    kindOf.set(this.kindOf);
    this.kindOf = kindOf;
  }

  /** The kind (index in `IdentifierKinds`) of each pseudonym of the last batch taken. */
  lastKinds = new Uint8Array(0);

  /**
   * Called by `RecordProcessor` at the end of a batch: its pseudonyms and, in place of class
   * masks (the leak's masks come from the store), the row of each. Views, valid until the next batch.
   */
  take(): { pseudonyms: Buffer; masks: Uint32Array } {
    const taken = { pseudonyms: this.out.subarray(0, this.n * PSEUDONYM_BYTES), masks: this.rowOf.subarray(0, this.n) };
    this.lastKinds = this.kindOf.subarray(0, this.n);
    this.n = 0;
    this.row = 0;
    return taken;
  }
}

/**
 * Matches the customer file against one leak. Throws `VIGIE_USAGE` naming the column when no
 * table of the file has the id column, `VIGIE_NOT_FOUND` when the leak does not exist; a file
 * that cannot be read throws as the ingest's readers do.
 */
export async function matchFile(opts: MatchOptions): Promise<MatchSummary> {
  const clock = opts.clock ?? Date.now;
  const started = clock();
  const entry = await opts.store.getBreach(opts.breach);
  if (!entry) throw new VigieError('VIGIE_NOT_FOUND', `no leak named ${opts.breach}`);
  const breach = entry.breach.Name;
  const sink = new RowSink(opts.key, breach);
  const summary: MatchSummary = { breach, rows: 0, withIdentifier: 0, matched: 0, kinds: {}, skipped: 0, skippedReasons: {}, elapsedMs: 0 };
  const skip = (reason: string, n = 1): void => {
    summary.skipped += n;
    summary.skippedReasons[reason] = (summary.skippedReasons[reason] ?? 0) + n;
  };
  let processor: RecordProcessor | null = null;
  let idIndex = -1;
  let tablesWithId = 0;
  const seenColumns: string[] = [];
  let pending: Cell[][] = [];
  const classCache = new Map<number, DataClassName[]>();
  const kindCache = new Map<number, IdentifierKind[]>();

  const flush = async (): Promise<void> => {
    if (pending.length === 0 || !processor) return;
    const rows = pending;
    pending = [];
    const ids: string[] = [];
    const kept: Cell[][] = [];
    for (const row of rows) {
      const id = row[idIndex]?.trim();
      if (!id) {
        skip('empty id');
        continue;
      }
      ids.push(id);
      kept.push(row);
    }
    const { pseudonyms = Buffer.alloc(0), masks: rowOf = new Uint32Array(0) } = processor.process(kept);
    const kinds = sink.lastKinds;
    const masks = await opts.store.lookupMany(breach, pseudonyms);
    // Per row: the kinds it holds, the kinds found, and the OR of the masks found (bits of `IdentifierKinds` / `DataClassBits`).
    const rowMask = new Uint32Array(kept.length);
    const rowFound = new Uint8Array(kept.length);
    const rowHolds = new Uint8Array(kept.length);
    masks.forEach((m, k) => {
      const r = rowOf[k] ?? 0;
      const bit = 1 << (kinds[k] ?? 0);
      rowHolds[r] = (rowHolds[r] ?? 0) | bit;
      if (m === 0) return;
      rowMask[r] = ((rowMask[r] ?? 0) | m) >>> 0;
      rowFound[r] = (rowFound[r] ?? 0) | bit;
    });
    const batch: CustomerMatch[] = [];
    rowHolds.forEach((holds, r) => {
      if (holds === 0) return;
      summary.withIdentifier++;
      const found = rowFound[r] ?? 0;
      IdentifierKinds.forEach((kind, k) => {
        if ((holds & (1 << k)) === 0) return;
        const c = (summary.kinds[kind] ??= { present: 0, matched: 0 });
        c.present++;
        if (found & (1 << k)) c.matched++;
      });
      if (found === 0) return;
      let matched = kindCache.get(found);
      if (matched === undefined) kindCache.set(found, (matched = IdentifierKinds.filter((_, k) => found & (1 << k))));
      batch.push({ id: ids[r] ?? '', matched, dataClasses: classesOf(classCache, rowMask[r] ?? 0) });
    });
    summary.matched += batch.length;
    if (batch.length > 0) await opts.onMatches(batch);
  };

  for await (const ev of readRecognised(opts.file, { knownHeader: opts.idColumn })) {
    if (ev.kind === 'table') {
      await flush();
      idIndex = findHeader(ev.headers, opts.idColumn);
      for (const c of ev.columns) if (!seenColumns.includes(c.name)) seenColumns.push(c.name);
      if (idIndex < 0) {
        processor = null;
        continue;
      }
      if (!ev.widened) tablesWithId++;
      // The id column is the organisation's own key, not an identifier to look up.
      const columns = ev.columns.map((c) => ({ index: c.index, kind: c.index === idIndex ? null : c.kind, confidence: c.confidence }));
      processor = new RecordProcessor({ columns }, sink);
    } else if (ev.kind === 'rows') {
      summary.rows += ev.rows.length;
      if (!processor) {
        skip('table without the id column', ev.rows.length);
        continue;
      }
      for (const r of ev.rows) pending.push(r);
      if (pending.length >= LOOKUP_ROWS) await flush();
    } else {
      summary.rows++;
      skip(ev.reason);
    }
  }
  await flush();
  if (tablesWithId === 0) {
    // Column names as recognise/ masks them: a header cell holding a value is not echoed.
    throw new VigieError(
      'VIGIE_USAGE',
      `no column named ${JSON.stringify(opts.idColumn.slice(0, 64))} (--id-column); the file has: ${seenColumns.join(', ') || 'no column'}`,
      {
        position: { file: opts.file },
      },
    );
  }
  summary.elapsedMs = Math.max(1, clock() - started);
  return summary;
}
