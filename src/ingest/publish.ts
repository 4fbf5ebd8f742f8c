/**
 * The publishing side of an ingest: file digests, the store's load, the run record.
 * A leak becomes visible only at `commit`; any failure aborts the load, so the store shows
 * the previous state or the complete leak, never a part.
 */
import { createHash, randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { hostname } from 'node:os';
import { DataClassBits, type DataClassKey } from '../dataclasses.js';
import { isVigieError, VigieError } from '../errors.js';
import { sourceParts } from '../read/index.js';
import type { CommitResult, IngestRun, Load, LoadStats, Store } from '../store/index.js';
import type { BreachMeta } from './index.js';
import type { ImpactAccumulator } from './stats.js';
import { CLASS_KEYS, PEOPLE } from './processor.js';
import { STORED_EXACT_MAX } from '../sketch.js';

export interface PublishTarget {
  store: Store;
  /** The 32-byte pseudonymisation key. */
  key: Buffer;
  /** Add the files to an existing leak instead of creating it. */
  append: boolean;
  clock?: () => Date;
}

/**
 * SHA-256 of a file, streamed: the file's identity for idempotent ingests. A `pg_dump -Fd`
 * directory's is that of its files in order (`toc.dat`, then the data files in the table of
 * contents' order), each as its name, its size and its bytes.
 *
 * @throws VigieError `VIGIE_FILE_NOT_FOUND` when a file cannot be read; `sourceParts`' errors.
 */
export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  const parts = await sourceParts(path).catch((cause: unknown) => {
    throw isVigieError(cause) ? cause : new VigieError('VIGIE_FILE_NOT_FOUND', 'cannot read file', { position: { file: path }, cause });
  });
  const whole = parts.length === 1 && parts[0]?.name === '';
  for (const part of parts) {
    if (!whole) h.update(`${part.name}\0${part.size}\0`);
    try {
      // A directory's parts are never read through a symbolic link (`sourceParts` lists regular files).
      const handle = await open(part.path, constants.O_RDONLY | (whole ? 0 : constants.O_NOFOLLOW));
      for await (const chunk of handle.createReadStream()) h.update(chunk as Buffer);
    } catch (cause) {
      throw new VigieError('VIGIE_FILE_NOT_FOUND', 'cannot read file', { position: { file: whole ? path : `${path}/${part.name}` }, cause });
    }
  }
  return h.digest('hex');
}

/**
 * A run id names the host and process that ran it (`host:pid:uuid`), so that a later ingest
 * can tell a run whose process died (killed, out of memory) from one still going.
 */
function runId(): string {
  return `${hostname()}:${process.pid}:${randomUUID()}`;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, owned by someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Closes the runs left `running` by processes of this host that no longer exist: `committed`
 * when the store holds their files, added after they started (the process died between the
 * store's commit and the run's own record of it), `aborted` otherwise.
 */
async function closeDeadRuns(target: PublishTarget): Promise<void> {
  const host = hostname();
  const now = (target.clock ?? (() => new Date()))().toISOString();
  for (const run of await target.store.listRuns({ limit: 1000 })) {
    if (run.status !== 'running') continue;
    const [h, pid] = run.id.split(':');
    if (h !== host || !pid || !/^\d+$/.test(pid) || Number(pid) === process.pid || processAlive(Number(pid))) continue;
    const committedAt = await committedFiles(target.store, run);
    await target.store.recordRun(
      committedAt === undefined
        ? { ...run, status: 'aborted', finishedAt: now, error: 'the ingest process ended before finishing; nothing of it was published' }
        : { ...run, status: 'committed', finishedAt: committedAt },
    );
  }
}

/** When the store took in a run's files, if it holds them all and some were added after the run began. */
async function committedFiles(store: Store, run: IngestRun): Promise<string | undefined> {
  if (run.inputDigests.length === 0) return undefined;
  const files = new Map((await store.getBreach(run.breach))?.files.map((f) => [f.digest, f.addedAt]));
  const added = run.inputDigests.map((d) => files.get(d));
  if (added.some((a) => a === undefined)) return undefined;
  let latest = '';
  for (const a of added) if (a !== undefined && (latest === '' || Date.parse(a) > Date.parse(latest))) latest = a;
  // The store keeps whole seconds: a file added in the second the run began counts as after it.
  return Date.parse(latest) >= Math.floor(Date.parse(run.startedAt) / 1000) * 1000 ? latest : undefined;
}

export class Publication {
  private chain: Promise<void> = Promise.resolve();
  private failed: unknown = null;
  /** Batches queued for the store and not yet written: bounded, so memory stays flat. */
  private queued = 0;
  private readonly run: IngestRun;

  private constructor(
    private readonly target: PublishTarget,
    readonly load: Load,
    digests: string[],
    breach: string,
  ) {
    const now = (target.clock ?? (() => new Date()))();
    this.run = { id: runId(), breach, status: 'running', inputDigests: digests, startedAt: now.toISOString() };
  }

  static async begin(target: PublishTarget, meta: BreachMeta, digests: string[]): Promise<Publication> {
    const load = await target.store.beginLoad({
      breach: {
        Name: meta.name,
        Title: meta.title,
        Domain: meta.domain,
        BreachDate: meta.date ?? null,
        Description: meta.description,
        IsSensitive: meta.sensitive ?? false,
        IsVerified: meta.verified ?? false,
      },
      append: target.append,
      fileDigests: [...new Set(digests)],
    });
    const p = new Publication(target, load, digests, load.breach);
    await closeDeadRuns(target);
    await target.store.recordRun(p.run);
    return p;
  }

  /** Queues a batch of pseudonyms; writes run one after another, in the background. */
  write(pseudonyms: Uint8Array, masks: Uint32Array): Promise<void> {
    if (masks.length === 0) return this.chain;
    // Typed arrays arrive from workers as plain Uint8Array: view them as a Buffer, no copy.
    const buf = Buffer.from(pseudonyms.buffer, pseudonyms.byteOffset, pseudonyms.byteLength);
    this.queued++;
    this.chain = this.chain
      .then(() => (this.failed ? undefined : this.load.write(buf, masks)))
      .catch((e: unknown) => {
        this.failed ??= e;
      })
      .finally(() => {
        this.queued--;
      });
    return this.chain;
  }

  /** Resolves once few enough batches wait for the store (the reader pauses meanwhile). */
  async ready(): Promise<void> {
    while (this.queued > 8 && !this.failed) await this.chain;
    if (this.failed) throw this.failed;
  }

  async commit(acc: ImpactAccumulator, formats: string[]): Promise<CommitResult> {
    await this.chain;
    if (this.failed) throw this.failed;
    const classCounts: Partial<Record<DataClassKey, number>> = {};
    const invalidCounts: Partial<Record<DataClassKey, number>> = {};
    for (const key of CLASS_KEYS) {
      const bit = DataClassBits[key];
      if (acc.valid[bit]! > 0) classCounts[key] = acc.valid[bit]!;
      if (acc.invalid[bit]! > 0) invalidCounts[key] = acc.invalid[bit]!;
    }
    const people = acc.distinctOf(PEOPLE);
    const stats: LoadStats = {
      records: acc.records + acc.skipped,
      skipped: acc.skipped,
      people: people.size,
      classCounts,
      invalidCounts,
      formats: [...new Set(formats)],
    };
    if (people.error > 0) stats.peopleStandardError = people.error;
    // Counted from keyed pseudonyms while publishing (processor.ts): the leak may keep it.
    const result = await this.load.commit(stats, acc.peopleSketch(STORED_EXACT_MAX));
    await this.finish('committed');
    return result;
  }

  /** Drops the load and records why; never throws over the original error. */
  async abort(error: unknown): Promise<void> {
    await this.chain.catch(() => undefined);
    await this.load.abort().catch(() => undefined);
    // Only our own messages are safe to keep: they never quote input values.
    const message = isVigieError(error) ? `${error.code}: ${error.message}` : 'internal error';
    await this.finish('failed', message).catch(() => undefined);
  }

  private async finish(status: IngestRun['status'], error?: string): Promise<void> {
    const now = (this.target.clock ?? (() => new Date()))();
    await this.target.store.recordRun({ ...this.run, status, finishedAt: now.toISOString(), error });
  }
}
