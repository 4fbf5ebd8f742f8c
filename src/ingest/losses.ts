/**
 * No silent loss (DESIGN invariant 6): what each file gave, and the warnings for what it may
 * have held without a record or a skip to count it. Readers already fail on what they can
 * prove lost (a string that swallows the rest of a dump, a file cut inside a value); these are
 * the cases only the whole file's figures show.
 */
import type { ReportWarning } from '../report/index.js';

/** A file at least this large that gives no record is worth a warning (a CSV header alone is far smaller). */
const NO_RECORD_BYTES = 64 * 1024;
/** Records that stop with this much of the file left, and this share of it, are worth a warning. */
const TAIL_BYTES = 1024 * 1024;
const TAIL_SHARE = 0.1;

/** Skip reasons whose bytes were not read as data at all (as opposed to a record of the wrong shape). */
const OVERRUN = new Set(['unclosed quote', 'record too long', 'unclosed comment']);
const TRUNCATED = new Set(['truncated']);
const ENCRYPTED = new Set(['encrypted entry']);

/** What one file gave, gathered while it is read. */
export class FileAccount {
  records = 0;
  skipped = 0;
  /** On-disk bytes the reader had consumed at the latest progress callback. */
  bytes = 0;
  /** ...and when the latest records arrived (an upper bound: readers read ahead). */
  bytesAtLastRecord = 0;
  readonly reasons = new Map<string, number>();
  /** In a table the reader names but does not read (`notRead`): its bytes are accounted for, as records are. */
  passingOver = false;

  /** The reader has consumed `b` bytes of the file. */
  onBytes(b: number): void {
    this.bytes = b;
    if (this.passingOver) this.bytesAtLastRecord = b;
  }

  onRecords(n: number): void {
    this.records += n;
    this.bytesAtLastRecord = this.bytes;
  }

  onSkip(reason: string): void {
    this.skipped++;
    this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + 1);
  }

  /** The warnings for this file, `size` being its size on disk. */
  warnings(file: string, size: number): ReportWarning[] {
    const out: ReportWarning[] = [];
    if (this.records === 0 && size >= NO_RECORD_BYTES) {
      out.push({ code: 'no-records', file, message: `${mb(size)} read and no record found in it: none of it was understood as data` });
    } else if (this.records > 0) {
      const tail = size - this.bytesAtLastRecord;
      if (tail >= TAIL_BYTES && tail >= TAIL_SHARE * size) {
        out.push({
          code: 'records-stop',
          file,
          message: `records stop at ${pct(this.bytesAtLastRecord / size)} of the file: the last ${mb(tail)} (${pct(tail / size)}) gave no record`,
        });
      }
    }
    const overrun = sum(this.reasons, OVERRUN);
    if (overrun > 0) {
      out.push({
        code: 'overrun',
        file,
        message: `${overrun} record(s) skipped because a value or record ran past the record size limit or was never closed (${list(this.reasons, OVERRUN)}): their bytes were not read as data`,
      });
    }
    const truncated = sum(this.reasons, TRUNCATED);
    if (truncated > 0) out.push({ code: 'truncated', file, message: `${truncated} record(s) cut short: the file or a statement ends inside a record` });
    const encrypted = sum(this.reasons, ENCRYPTED);
    if (encrypted > 0) {
      out.push({
        code: 'encrypted',
        file,
        message: `${encrypted} archive member(s) encrypted, not read: extract them with their password (unzip -P, 7z x) and ingest the files`,
      });
    }
    return out;
  }
}

function sum(reasons: Map<string, number>, of: ReadonlySet<string>): number {
  let n = 0;
  for (const [r, c] of reasons) if (of.has(r)) n += c;
  return n;
}

function list(reasons: Map<string, number>, of: ReadonlySet<string>): string {
  return [...reasons]
    .filter(([r]) => of.has(r))
    .map(([r, c]) => `${r}: ${c}`)
    .join(', ');
}

function mb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

function pct(x: number): string {
  return `${Math.round(x * 100)} %`;
}
