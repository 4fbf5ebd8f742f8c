/** The row mapping of ingest runs that both engines share (docs/architecture.md §5.5). */
import type { IngestRun } from './store.js';

/** An `ingest_runs` row, its input digests already decoded (SQLite keeps them as JSON text). */
export interface RunRow {
  id: string;
  breach: string;
  status: IngestRun['status'];
  input_digests: string[];
  started_at: string;
  finished_at: string | null;
  error: string | null;
}

export function toRun(r: RunRow): IngestRun {
  const run: IngestRun = { id: r.id, breach: r.breach, status: r.status, inputDigests: r.input_digests, startedAt: r.started_at };
  if (r.finished_at !== null) run.finishedAt = r.finished_at;
  if (r.error !== null) run.error = r.error;
  return run;
}
