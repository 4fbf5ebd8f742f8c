/**
 * The impact report of one ingest: what the leak holds and for how many people.
 * Counts only: no value from the leak ever appears in it.
 */
import Table from 'cli-table3';

export interface ClassCount {
  valid: number;
  invalid: number;
  distinct: number;
  /** Present when `distinct` is a HyperLogLog estimate: its relative standard error. */
  distinctStandardError?: number;
}

export interface ReportColumn {
  name: string;
  dataClass: string | null;
  /** Share of sampled values that validate for the recognised class. */
  confidence: number;
  evidence: string;
}

export interface ReportTable {
  name: string;
  format: string;
  records: number;
  skipped: number;
  meta: Record<string, string>;
  columns: ReportColumn[];
}

/**
 * Something in a file that was not read as records and may hide some: never a quiet success.
 * `code` is stable for scripts: `no-records` (a file of some size gave no record),
 * `records-stop` (its records end long before the file does), `overrun` (values or records
 * longer than the record size limit, or left open, were skipped: their bytes are not read as
 * data), `truncated` (a file or a statement ends in the middle of a record), `encrypted`
 * (archive members that need a password were not read: what to do is said), `estimated`
 * (distinct counts became estimates: the memory budget of the counters was reached; `file`
 * is empty, it concerns the whole ingest).
 */
export interface ReportWarning {
  code: 'no-records' | 'records-stop' | 'overrun' | 'truncated' | 'encrypted' | 'estimated';
  file: string;
  message: string;
}

export interface ImpactReport {
  breach: string;
  title: string;
  breachDate: string | null;
  domain: string | null;
  description: string | null;
  isSensitive: boolean;
  dryRun: boolean;
  /** Every file read: its size, the records it gave and those skipped in it. */
  files: { path: string; bytes: number; records: number; skipped: number }[];
  /** What may have been lost without a record to count it (see `ReportWarning`); empty when none. */
  warnings: ReportWarning[];
  records: number;
  skipped: number;
  skippedReasons: Record<string, { count: number; first: string[] }>;
  people: number;
  /** Present when `people` is an estimate: its relative standard error. */
  peopleStandardError?: number;
  /** Records without any identifier strong enough to count a person (NIR, email, phone, name + birth date). */
  unidentified: number;
  dataClasses: Record<string, ClassCount>;
  tables: ReportTable[];
  elapsedMs: number;
  recordsPerSecond: number;
  /** After a real (not dry-run) ingest: what the store now holds for this leak. */
  published?: {
    /** False when every file was already in the leak: nothing changed. */
    changed: boolean;
    /** Pseudonyms new to this leak. */
    inserted: number;
    /** Distinct pseudonyms the leak holds. */
    identifiers: number;
    /** Distinct persons across every file of the leak (this ingest's and earlier ones). */
    pwnCount: number;
    /** Present when `pwnCount` is an estimate: its relative standard error. */
    pwnCountStandardError?: number;
    /** Files skipped because the leak already holds them (same SHA-256). */
    alreadyIngested: number;
  };
}

const fmt = (n: number): string => n.toLocaleString('en-US');
/** No line between rows: the tables stay as short as the data. */
const COMPACT = { chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' }, style: { head: [], border: [] } };
const pct = (x: number): string => `${Math.round(x * 100)} %`;

/**
 * A count with its uncertainty when it is an estimate (± one standard error, as an absolute
 * number); exact counts stay bare.
 *
 * @example approx(1_000_000, 0.0081) // 'approximately 1,000,000 (± 8,100)'
 */
function approx(n: number, relativeError: number | undefined): string {
  if (!relativeError) return fmt(n);
  return `approximately ${fmt(n)} (± ${fmt(Math.round(n * relativeError))})`;
}

/** The report as a readable text: a summary, then data classes, then each table's columns. */
export function renderImpactText(r: ImpactReport): string {
  const out: string[] = [];
  if (r.published && !r.published.changed) {
    return `Leak ${r.breach}: nothing new, every file is already in this leak (same SHA-256); the store is unchanged.`;
  }
  out.push(`Leak ${r.breach}${r.title && r.title !== r.breach ? ` (${r.title})` : ''}${r.dryRun ? ' [dry run: nothing stored]' : ''}`);
  out.push(
    `${fmt(r.records)} records, ${fmt(r.skipped)} skipped, ${approx(r.people, r.peopleStandardError)} people` +
      `, ${fmt(r.unidentified)} records without identifier; ${(r.elapsedMs / 1000).toFixed(1)} s, ${fmt(Math.round(r.recordsPerSecond))} records/s`,
  );
  for (const w of r.warnings) out.push(`WARNING [${w.code}]${w.file ? ` ${w.file}` : ''}: ${w.message}`);
  const classes = new Table({ head: ['Data class', 'Valid', 'Invalid', 'Distinct', 'Valid share'], ...COMPACT });
  for (const [name, c] of Object.entries(r.dataClasses).sort((a, b) => b[1].valid - a[1].valid)) {
    const total = c.valid + c.invalid;
    classes.push([name, fmt(c.valid), fmt(c.invalid), approx(c.distinct, c.distinctStandardError), total ? pct(c.valid / total) : '-']);
  }
  out.push(classes.toString());
  for (const t of r.tables) {
    // A table the reader names but does not read (a database's own system tables): one line.
    if (t.meta['notRead'] !== undefined && t.records === 0 && t.columns.length === 0) {
      out.push(`Table ${t.name} (${t.format}): not read, ${t.meta['notRead']}`);
      continue;
    }
    const meta = Object.entries(t.meta)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    out.push(`Table ${t.name} (${t.format}${meta ? `, ${meta}` : ''}): ${fmt(t.records)} records, ${fmt(t.skipped)} skipped`);
    const cols = new Table({ head: ['Column', 'Data class', 'Confidence', 'Evidence'], ...COMPACT });
    for (const c of t.columns) cols.push([c.name, c.dataClass ?? '-', c.dataClass ? pct(c.confidence) : '-', c.evidence]);
    out.push(cols.toString());
  }
  if (r.published) {
    const p = r.published;
    out.push(
      p.changed
        ? `Published: ${fmt(p.inserted)} new pseudonyms; the leak now holds ${fmt(p.identifiers)} identifiers, ${approx(p.pwnCount, p.pwnCountStandardError)} people` +
            (p.alreadyIngested ? ` (${p.alreadyIngested} file(s) already in it, skipped)` : '')
        : `Nothing new: every file is already in this leak (same SHA-256); the store is unchanged.`,
    );
  }
  if (r.skipped > 0) {
    out.push('Skipped records:');
    for (const [reason, s] of Object.entries(r.skippedReasons)) out.push(`  ${reason}: ${fmt(s.count)} (first at ${s.first.join('; ')})`);
  }
  return out.join('\n');
}
