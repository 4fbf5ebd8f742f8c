/**
 * `vigie serve --processes N`: N processes answer on one port (Node's cluster: the primary
 * accepts connections and hands them round the workers), since one process's HTTP machinery
 * keeps one core busy long before the store does (BENCHMARKS.md). The primary serves nothing;
 * it starts the workers, holds the shared rate counts (`shared-limit.ts`), replaces a worker
 * that dies, and on SIGTERM stops them all gracefully.
 *
 * Messages between them carry only counts and keys' hashes, never a looked-up value.
 */
import cluster, { type Worker } from 'node:cluster';
import { isVigieError, VigieError, type ErrorCode, ErrorCodes } from '../errors.js';
import { LeaseAuthority, type LeaseChannel, type LeaseGrant, type LeaseRequest, LeasedLimiter } from './shared-limit.js';

type ToPrimary =
  | { vigie: 'lease'; id: number; request: LeaseRequest }
  | { vigie: 'ready'; url: string }
  | { vigie: 'failed'; code: ErrorCode; message: string };
type ToWorker = { vigie: 'grant'; id: number; grant: LeaseGrant } | { vigie: 'stop' };

/** A failed send to a worker that is exiting: nothing to do, its exit is handled. */
const ignore = (): void => undefined;

/** True in a process started by `startWorkers`. */
export function isServeWorker(): boolean {
  return cluster.isWorker;
}

interface Workers {
  url: string;
  /** Stops every worker gracefully (each finishes its requests in flight and closes its store). */
  stop(): Promise<void>;
}

/** Restarts allowed in a minute before the primary stops replacing dead workers. */
const MAX_RESTARTS_PER_MINUTE = 5;
/** How long a worker may take to finish its requests once told to stop. */
const STOP_GRACE_MS = 30_000;

/**
 * In the primary: starts `count` workers (this same program, same arguments) and resolves once
 * every one listens, with the URL they share. A worker that fails to start fails the whole.
 */
export async function startWorkers(count: number, report: (line: string) => void, clock: () => number = Date.now): Promise<Workers> {
  const authority = new LeaseAuthority(clock);
  const live = new Set<Worker>();
  let stopping = false;
  let url = '';
  const restarts: number[] = [];

  const fork = (): Promise<string> =>
    new Promise((resolve, reject) => {
      const worker = cluster.fork();
      live.add(worker);
      // A message to a worker that is going away fails; its exit is what matters, handled below.
      worker.on('error', () => undefined);
      let ready = false;
      worker.on('message', (m: ToPrimary) => {
        if (m?.vigie === 'lease') {
          const grant = authority.grant(m.request);
          if (worker.isConnected()) worker.send({ vigie: 'grant', id: m.id, grant } satisfies ToWorker, undefined, ignore);
        } else if (m?.vigie === 'ready') {
          ready = true;
          resolve(m.url);
        } else if (m?.vigie === 'failed') {
          reject(new VigieError(m.code in ErrorCodes ? m.code : 'VIGIE_INTERNAL', m.message));
        }
      });
      worker.on('exit', (code, signal) => {
        live.delete(worker);
        if (!ready) {
          reject(new VigieError('VIGIE_INTERNAL', `a serving process exited while starting (${signal ?? `exit ${code}`})`));
          return;
        }
        if (stopping) return;
        const now = clock();
        while (restarts.length > 0 && (restarts[0] ?? 0) < now - 60_000) restarts.shift();
        if (restarts.length >= MAX_RESTARTS_PER_MINUTE) {
          report(
            `a serving process exited (${signal ?? `exit ${code}`}); ${live.size} left, not restarted: ${MAX_RESTARTS_PER_MINUTE} restarts in the last minute`,
          );
          return;
        }
        restarts.push(now);
        report(`a serving process exited (${signal ?? `exit ${code}`}); starting another`);
        fork().catch((e: unknown) => report(`the replacement did not start: ${isVigieError(e) ? e.message : 'internal error'}`));
      });
    });

  const stop = async (): Promise<void> => {
    stopping = true;
    const exits = [...live].map(
      (w) =>
        new Promise<void>((resolve) => {
          if (w.isDead()) return resolve();
          const timer = setTimeout(() => w.process.kill('SIGKILL'), STOP_GRACE_MS);
          w.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          if (w.isConnected()) w.send({ vigie: 'stop' } satisfies ToWorker, undefined, ignore);
          else w.process.kill('SIGTERM');
        }),
    );
    await Promise.all(exits);
  };

  try {
    const urls = await Promise.all(Array.from({ length: count }, fork));
    url = urls[0] ?? '';
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, stop };
}

/** In a worker: the rate limiter that asks the primary for leases. */
export function primaryLimiter(): LeasedLimiter {
  let next = 0;
  const waiting = new Map<number, (g: LeaseGrant) => void>();
  process.on('message', (m: ToWorker) => {
    if (m?.vigie !== 'grant') return;
    waiting.get(m.id)?.(m.grant);
    waiting.delete(m.id);
  });
  const channel: LeaseChannel = (request) =>
    new Promise((resolve, reject) => {
      if (!process.connected || process.send === undefined) {
        reject(new VigieError('VIGIE_INTERNAL', 'the primary process is gone'));
        return;
      }
      const id = ++next;
      waiting.set(id, resolve);
      process.send({ vigie: 'lease', id, request } satisfies ToPrimary);
    });
  return new LeasedLimiter(channel);
}

/** In a worker: tells the primary it listens, or why it could not. */
export function reportStarted(outcome: { url: string } | { error: unknown }): void {
  if ('url' in outcome) process.send?.({ vigie: 'ready', url: outcome.url } satisfies ToPrimary);
  else {
    const e = outcome.error;
    const message = isVigieError(e) ? { code: e.code, message: e.message } : { code: 'VIGIE_INTERNAL' as const, message: 'internal error' };
    process.send?.({ vigie: 'failed', ...message } satisfies ToPrimary);
  }
}

/** In a worker: resolves when the primary says stop, or goes away, or a signal arrives. */
export function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => resolve();
    process.on('message', (m: ToWorker) => {
      if (m?.vigie === 'stop') done();
    });
    process.once('disconnect', done);
    // Ctrl-C reaches the whole process group: the primary stops the workers itself.
    process.on('SIGINT', () => undefined);
    process.once('SIGTERM', done);
  });
}
