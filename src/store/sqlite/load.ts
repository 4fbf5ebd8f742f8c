/**
 * A SQLite load. Batches are staged in TEMP tables of this connection as sorted runs (runs.ts);
 * `commit` merges the runs into `exposures` in one IMMEDIATE transaction, in pseudonym order so
 * the B-tree is walked once, then records the files and the new catalogue row.
 *
 * Atomicity comes from SQLite itself: TEMP tables live in a temporary file that is unlinked
 * as soon as it is opened, so a killed process leaves nothing in the database; a kill during
 * the merge leaves an uncommitted WAL tail that recovery ignores. Nothing needs cleaning up.
 */
import type Database from 'better-sqlite3';
import { VigieError } from '../../errors.js';
import { nextPeople, nextRow, replan } from '../catalogue.js';
import type { LoadPlan } from '../catalogue.js';
import type { BreachEntry, CommitResult, Load, LoadRequest, LoadStats } from '../store.js';
import { checkBatch, checkLoadStats } from '../validate.js';
import { enqueueAlerts } from './alerts.js';
import type { DomainAlias } from '../domains.js';
import { enqueueOrgAlerts, storeAliases } from './domains.js';
import { readBreachRow, readFiles, writeBreachRow } from './rows.js';
import { SortedRuns, type RunOptions } from './runs.js';

/** What a load needs from its store. */
export interface SqliteContext {
  db: Database.Database;
  now(): string;
  entry(name: string): BreachEntry;
  nextStageName(): string;
  release(load: SqliteLoad): void;
  /** Internal tuning for tests: the size of the sorted runs. */
  runs?: RunOptions;
}

type State = 'open' | 'committed' | 'aborted' | 'closed';

/** The breach's state as the rules in `catalogue.ts` need it. */
export function breachState(db: Database.Database, name: string): { retired: boolean; digests: Set<string> } | undefined {
  const row = readBreachRow(db, name);
  return row && { retired: row.is_retired, digests: new Set(readFiles(db, row.id).map((f) => f.digest)) };
}

export class SqliteLoad implements Load {
  readonly breach: string;
  readonly knownDigests: readonly string[];
  readonly newDigests: readonly string[];
  private state: State = 'open';
  private readonly runs: SortedRuns | undefined;
  private writtenMask = 0;
  private readonly aliases: DomainAlias[] = [];

  constructor(
    private readonly ctx: SqliteContext,
    private readonly request: LoadRequest,
    private readonly digests: string[],
    private readonly plan: LoadPlan,
  ) {
    this.breach = request.breach.Name;
    this.knownDigests = plan.known;
    this.newDigests = plan.fresh;
    if (plan.fresh.length > 0) this.runs = new SortedRuns(ctx.db, ctx.nextStageName(), ctx.runs);
  }

  private assertOpen(): void {
    if (this.state !== 'open') throw new VigieError('VIGIE_INTERNAL', `the load of ${this.breach} is ${this.state}`);
  }

  async write(pseudonyms: Buffer, masks: Uint32Array): Promise<void> {
    this.assertOpen();
    const n = checkBatch(pseudonyms, masks);
    if (n === 0) return;
    if (!this.runs) {
      throw new VigieError('VIGIE_INTERNAL', `every file of this load of ${this.breach} is already committed: nothing to write`);
    }
    let mask = this.writtenMask;
    for (let i = 0; i < n; i++) mask |= masks[i]!;
    this.runs.add(pseudonyms, masks, n);
    this.writtenMask = mask;
  }

  writeAliases(rows: readonly DomainAlias[]): void {
    this.assertOpen();
    for (const r of rows) this.aliases.push(r);
  }

  async commit(stats: LoadStats, people?: Uint8Array): Promise<CommitResult> {
    this.assertOpen();
    checkLoadStats(stats);
    const { db } = this.ctx;
    const name = this.breach;
    let outcome: { changed: boolean; inserted: number };
    try {
      outcome = db
        .transaction(() => {
          const prev = readBreachRow(db, name);
          const prevState = breachState(db, name);
          const plan = replan(prevState, this.request.append, this.digests, name, this.plan);
          if (plan.fresh.length === 0 || !this.runs) return { changed: false, inserted: 0 };
          const now = this.ctx.now();
          // A new breach gets its id first: the merged rows need it.
          const id = prev?.id ?? writeBreachRow(db, undefined, nextRow(undefined, this.request.breach, zeroStats(), 0, 0, now));
          const inserted = this.merge(this.runs, id);
          const addFile = db.prepare('INSERT INTO breach_files (breach_id, digest, added_at) VALUES (?, ?, ?)');
          for (const d of plan.fresh) addFile.run(id, d, now);
          const prevSketch = prev ? (db.prepare('SELECT sketch FROM breach_people WHERE breach_id = ?').pluck().get(prev.id) as Buffer | undefined) : undefined;
          const leak = nextPeople(prev, prevSketch ?? null, stats, people);
          writeBreachRow(db, id, nextRow(prev, this.request.breach, stats, this.writtenMask, inserted, now, leak));
          if (leak.sketch) db.prepare('INSERT OR REPLACE INTO breach_people (breach_id, sketch) VALUES (?, ?)').run(id, leak.sketch);
          else db.prepare('DELETE FROM breach_people WHERE breach_id = ?').run(id);
          // Alerts are queued in the publishing transaction: published means alerted (§5.6).
          enqueueAlerts(db, id, readBreachRow(db, name)!.name, now);
          storeAliases(db, id, this.aliases);
          enqueueOrgAlerts(db, id, readBreachRow(db, name)!.name, now);
          return { changed: true, inserted };
        })
        .immediate();
    } catch (e) {
      this.drop('aborted');
      throw e;
    }
    this.drop('committed');
    return { ...outcome, entry: this.ctx.entry(name) };
  }

  /**
   * Merges the runs, read in pseudonym order. A pseudonym already in `exposures` for this breach
   * (an append), or in several runs, updates its row (masks OR-ed) instead of inserting one; a
   * TEMP trigger counts those updates for the duration of this transaction, so the number of
   * rows inserted is exactly the new pseudonyms.
   */
  private merge(runs: SortedRuns, breachId: number): number {
    const { db } = this.ctx;
    const source = runs.mergeSource();
    if (!source) return 0;
    db.exec(`CREATE TEMP TABLE IF NOT EXISTS vigie_update_count (n INTEGER NOT NULL);
      DELETE FROM vigie_update_count; INSERT INTO vigie_update_count VALUES (0);
      CREATE TEMP TRIGGER vigie_count_updates AFTER UPDATE ON main.exposures
      BEGIN UPDATE vigie_update_count SET n = n + 1; END;`);
    try {
      const { changes } = db
        .prepare(
          `INSERT INTO main.exposures (pseudonym, breach_id, mask)
           SELECT pseudonym, ?, mask FROM ${source} WHERE true ORDER BY pseudonym
           ON CONFLICT (pseudonym, breach_id) DO UPDATE SET mask = mask | excluded.mask`,
        )
        .run(breachId);
      return changes - (db.prepare('SELECT n FROM vigie_update_count').pluck().get() as number);
    } finally {
      db.exec('DROP TRIGGER temp.vigie_count_updates');
    }
  }

  async abort(): Promise<void> {
    if (this.state === 'open') this.drop('aborted');
  }

  /** The store closed its connection: the TEMP table is already gone with it. */
  closed(): void {
    if (this.state === 'open') this.state = 'closed';
  }

  private drop(state: State): void {
    this.state = state;
    this.runs?.drop();
    this.ctx.release(this);
  }
}

function zeroStats(): LoadStats {
  return { records: 0, skipped: 0, people: 0, classCounts: {}, invalidCounts: {}, formats: [] };
}
