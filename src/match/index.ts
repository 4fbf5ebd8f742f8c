/**
 * match: the organisation's own customer file → which of its customers are in a leak, with
 * what. The file is read, recognised and normalised by the ingest's own code (`readRecognised`,
 * `RecordProcessor`, on the ingest's worker threads when there are some), each identifier is
 * pseudonymised in memory under the store's key, and the pseudonyms are looked up in the named
 * leak in large batches (`Store.lookupMany`: the larger the batch, the more of its sorted probes
 * share the store's pages). Nothing of the file is stored or logged: the customers' ids go only
 * to the caller.
 */
import { classesFromMask, type DataClassName } from '../dataclasses.js';
import { VigieError } from '../errors.js';
import { findHeader, readRecognised, RecordProcessor, RowSink, WorkerPool, type BatchResult, type RowBatch } from '../ingest/index.js';
import { IdentifierKinds, PSEUDONYM_BYTES, type IdentifierKind } from '../pseudonymise/index.js';
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
  /** Worker threads that normalise and pseudonymise (the ingest's pool); 0, the default, works inline. */
  workers?: number;
  /** Rows per batch normalised and pseudonymised (default `BATCH_ROWS`). */
  batchRows?: number;
  /** Pseudonyms looked up together (default `LOOKUP_PSEUDONYMS`); also bounds what is held in memory. */
  lookupPseudonyms?: number;
  clock?: () => number;
}

/** `classesFromMask`, once per distinct mask: a leak has few, and the lists are shared, never mutated. */
function classesOf(cache: Map<number, DataClassName[]>, mask: number): DataClassName[] {
  let c = cache.get(mask);
  if (c === undefined) cache.set(mask, (c = classesFromMask(mask)));
  return c;
}

/** Rows normalised and pseudonymised per batch (inline or by one worker). */
const BATCH_ROWS = 4096;
/**
 * Pseudonyms per `lookupMany` call: about 170,000 customers of three identifiers. The larger
 * the batch, the more of its sorted probes share the store's leaf pages (BENCHMARKS.md: 0.5 µs
 * a pseudonym for 600,000 sorted together against 1.9 million, 1.4 µs for 12,000); the smaller,
 * the less the workers wait while this thread looks a group up. Holds about 15 MB: the
 * pseudonyms, their rows and kinds, and the rows' ids.
 */
const LOOKUP_PSEUDONYMS = 1 << 19;
/**
 * Batches sent ahead to each worker: about 130,000 rows for one, what it normalises and
 * pseudonymises while this thread looks up a group (synchronously, on SQLite).
 */
const AHEAD = 32;

/** One batch of rows once processed: the ids of its rows, and its pseudonyms with their rows and kinds. */
interface Processed extends RowBatch {
  ids: string[];
}

function processed(ids: string[], r: BatchResult): Processed {
  // From a worker, the structured clone of a Buffer is a plain Uint8Array: a view, not a copy.
  const p = r.pseudonyms ?? Buffer.alloc(0);
  const pseudonyms = Buffer.isBuffer(p) ? p : Buffer.from((p as Uint8Array).buffer, (p as Uint8Array).byteOffset, (p as Uint8Array).byteLength);
  return { ids, pseudonyms, masks: r.masks ?? new Uint32Array(0), kinds: r.kinds ?? new Uint8Array(0) };
}

/**
 * Batches waiting for their lookup, in file order: their pseudonyms are concatenated into one
 * `lookupMany` and the answers folded back per row.
 */
class LookupGroup {
  batches: Processed[] = [];
  pseudonyms = 0;

  add(b: Processed): void {
    this.batches.push(b);
    this.pseudonyms += b.masks.length;
  }

  take(): Processed[] {
    const b = this.batches;
    this.batches = [];
    this.pseudonyms = 0;
    return b;
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
  const groupSize = Math.max(1, opts.lookupPseudonyms ?? LOOKUP_PSEUDONYMS);
  const batchRows = Math.max(1, opts.batchRows ?? BATCH_ROWS);
  const sink = new RowSink(opts.key, breach);
  const workers = opts.workers ?? 0;
  const pool = workers > 0 ? new WorkerPool(workers, { key: opts.key, scope: breach, rows: true }, AHEAD) : null;
  const summary: MatchSummary = { breach, rows: 0, withIdentifier: 0, matched: 0, kinds: {}, skipped: 0, skippedReasons: {}, elapsedMs: 0 };
  const skip = (reason: string, n = 1): void => {
    summary.skipped += n;
    summary.skippedReasons[reason] = (summary.skippedReasons[reason] ?? 0) + n;
  };
  let processor: RecordProcessor | null = null;
  let specId = -1;
  let specs = 0;
  let idIndex = -1;
  let tablesWithId = 0;
  const seenColumns: string[] = [];
  let pending: Cell[][] = [];
  const classCache = new Map<number, DataClassName[]>();
  const kindCache = new Map<number, IdentifierKind[]>();
  const group = new LookupGroup();
  /** Batches sent to the workers, in file order. */
  const inFlight: Promise<Processed>[] = [];

  /** Looks up the group's pseudonyms in one call and hands its customers found to the caller. */
  const lookup = async (): Promise<void> => {
    if (group.batches.length === 0) return;
    const total = group.pseudonyms;
    const batches = group.take();
    const all =
      batches.length === 1
        ? (batches[0]?.pseudonyms ?? Buffer.alloc(0))
        : Buffer.concat(
            batches.map((b) => b.pseudonyms),
            total * PSEUDONYM_BYTES,
          );
    const masks = await opts.store.lookupMany(breach, all);
    const found: CustomerMatch[] = [];
    let at = 0;
    for (const b of batches) {
      fold(b, masks.subarray(at, at + b.masks.length), found);
      at += b.masks.length;
    }
    summary.matched += found.length;
    if (found.length > 0) await opts.onMatches(found);
  };

  /** Per row of a batch: the kinds it holds, the kinds found, and the OR of the masks found (bits of `IdentifierKinds` / `DataClassBits`). */
  const fold = (b: Processed, masks: Uint32Array, found: CustomerMatch[]): void => {
    const rows = b.ids.length;
    const rowMask = new Uint32Array(rows);
    const rowFound = new Uint8Array(rows);
    const rowHolds = new Uint8Array(rows);
    for (let k = 0; k < masks.length; k++) {
      const r = b.masks[k] ?? 0;
      const bit = 1 << (b.kinds[k] ?? 0);
      rowHolds[r] = (rowHolds[r] ?? 0) | bit;
      const m = masks[k] ?? 0;
      if (m === 0) continue;
      rowMask[r] = ((rowMask[r] ?? 0) | m) >>> 0;
      rowFound[r] = (rowFound[r] ?? 0) | bit;
    }
    for (let r = 0; r < rows; r++) {
      const holds = rowHolds[r] ?? 0;
      if (holds === 0) continue;
      summary.withIdentifier++;
      const hit = rowFound[r] ?? 0;
      IdentifierKinds.forEach((kind, k) => {
        if ((holds & (1 << k)) === 0) return;
        const c = (summary.kinds[kind] ??= { present: 0, matched: 0 });
        c.present++;
        if (hit & (1 << k)) c.matched++;
      });
      if (hit === 0) continue;
      let matched = kindCache.get(hit);
      if (matched === undefined) kindCache.set(hit, (matched = IdentifierKinds.filter((_, k) => hit & (1 << k))));
      found.push({ id: b.ids[r] ?? '', matched, dataClasses: classesOf(classCache, rowMask[r] ?? 0) });
    }
  };

  const absorb = async (b: Processed): Promise<void> => {
    group.add(b);
    if (group.pseudonyms >= groupSize) await lookup();
  };

  /** Takes the processed batches at the head of the queue, in order; all of them when `all`. */
  const drain = async (all: boolean): Promise<void> => {
    // Batches stay queued at the workers while this thread looks a group up: they work meanwhile.
    const keep = all ? 0 : AHEAD * workers;
    while (inFlight.length > keep) {
      const head = inFlight.shift();
      if (head !== undefined) await absorb(await head);
    }
  };

  /** The pending rows with an id: inline, or to a worker (the ids stay here). */
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
    if (kept.length === 0) return;
    if (!pool) {
      await absorb(processed(ids, processor.process(kept)));
      return;
    }
    const { done } = await pool.submit(specId, kept);
    const p = done.then((r) => processed(ids, r));
    // A rejected batch is awaited (and thrown) in order by `drain`; not an unhandled rejection meanwhile.
    p.catch(() => undefined);
    inFlight.push(p);
    await drain(false);
  };

  try {
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
        const spec = { columns: ev.columns.map((c) => ({ index: c.index, kind: c.index === idIndex ? null : c.kind, confidence: c.confidence })) };
        processor = new RecordProcessor(spec, sink);
        specId = specs++;
        pool?.defineTable(specId, spec);
      } else if (ev.kind === 'rows') {
        summary.rows += ev.rows.length;
        if (!processor) {
          skip('table without the id column', ev.rows.length);
          continue;
        }
        for (const r of ev.rows) {
          pending.push(r);
          if (pending.length >= batchRows) await flush();
        }
      } else {
        summary.rows++;
        skip(ev.reason);
      }
    }
    await flush();
    await drain(true);
    await lookup();
  } finally {
    await pool?.close();
  }
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
