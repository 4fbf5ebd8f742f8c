/**
 * The impact report put together from what an ingest gathered: its figures, its files and
 * tables, the warning when distinct counts became estimates, and what the store now holds.
 */
import type { ClassCount, ImpactReport, ReportTable, ReportWarning } from './impact.js';

/** What an ingest hands over; counts only, like the report. */
interface IngestFacts {
  breach: { name: string; title?: string; date?: string; domain?: string; description?: string; sensitive?: boolean };
  dryRun: boolean;
  files: ImpactReport['files'];
  /** The files' warnings (losses.ts), in file order. */
  warnings: ReportWarning[];
  tables: ReportTable[];
  records: number;
  skipped: number;
  /** Per skip reason: its count and its first positions. */
  reasons: ReadonlyMap<string, { count: number; first: string[] }>;
  /** Distinct persons and the relative standard error of that count (0 when exact). */
  people: { size: number; error: number };
  unidentified: number;
  dataClasses: Record<string, ClassCount>;
  elapsedMs: number;
  /** The distinct counters' memory: bytes per counting thread, threads, and the process budget they come from. */
  counters: { bytes: number; threads: number; memory: number };
  /** The publishing commit (the store's `CommitResult`); null for a dry run. */
  committed: {
    changed: boolean;
    inserted: number;
    entry: { breach: { PwnCount: number }; stats: { identifiers: number; peopleStandardError?: number } };
  } | null;
  /** Files skipped because the leak already holds them. */
  alreadyIngested: number;
}

const MIB = 1024 * 1024;
const mib = (n: number): string => (n >= 10 * MIB ? `${Math.round(n / MIB)} MiB` : `${(n / MIB).toFixed(1)} MiB`);

/**
 * The report's warning when some distinct counts are estimates: which, how approximate, and
 * why (the counters' share of the memory budget, or the exact limit given).
 */
function estimateWarning(
  report: { people: number; peopleStandardError?: number; dataClasses: Record<string, ClassCount> },
  counters: IngestFacts['counters'],
): ReportWarning | null {
  const estimated = Object.entries(report.dataClasses)
    .filter(([, c]) => (c.distinctStandardError ?? 0) > 0)
    .map(([name]) => name);
  if ((report.peopleStandardError ?? 0) > 0) estimated.unshift('people');
  if (estimated.length === 0) return null;
  const error = Math.max(report.peopleStandardError ?? 0, ...Object.values(report.dataClasses).map((c) => c.distinctStandardError ?? 0));
  const share = counters.threads > 1 ? `${mib(counters.bytes)} per counting thread, ${counters.threads} threads` : mib(counters.bytes);
  return {
    code: 'estimated',
    file: '',
    message:
      `distinct counts of ${estimated.join(', ')} are estimates (HyperLogLog, standard error ${(error * 100).toFixed(2)} %), not exact: ` +
      `their exact sets outgrew the distinct counters' share of the memory budget (${share} of ${mib(counters.memory)}, --memory); ` +
      'a larger --memory keeps them exact',
  };
}

/** The impact report of an ingest. */
export function assembleReport(f: IngestFacts): ImpactReport {
  const b = f.breach;
  const report: ImpactReport = {
    breach: b.name,
    title: b.title ?? b.name,
    breachDate: b.date ?? null,
    domain: b.domain ?? null,
    description: b.description ?? null,
    isSensitive: b.sensitive ?? false,
    dryRun: f.dryRun,
    files: f.files,
    warnings: [...f.warnings],
    records: f.records,
    skipped: f.skipped,
    skippedReasons: Object.fromEntries(f.reasons),
    people: f.people.size,
    unidentified: f.unidentified,
    dataClasses: f.dataClasses,
    tables: f.tables,
    elapsedMs: f.elapsedMs,
    recordsPerSecond: (f.records / f.elapsedMs) * 1000,
  };
  if (f.people.error > 0) report.peopleStandardError = f.people.error;
  const estimated = estimateWarning(report, f.counters);
  if (estimated) report.warnings.push(estimated);
  const c = f.committed;
  if (c) {
    report.published = {
      changed: c.changed,
      inserted: c.inserted,
      identifiers: c.entry.stats.identifiers,
      pwnCount: c.entry.breach.PwnCount,
      ...(c.entry.stats.peopleStandardError ? { pwnCountStandardError: c.entry.stats.peopleStandardError } : {}),
      alreadyIngested: f.alreadyIngested,
    };
  }
  return report;
}
