/**
 * Validates, normalises and counts the records of one table, given its recognised columns.
 * Pure and synchronous: it runs inline or inside a worker thread (worker.ts), and returns
 * only counts and in-memory hashes, never a value.
 */
import { DataClassBits, type DataClassKey } from '../dataclasses.js';
import { findEmails, findPhones } from '../normalise/index.js';
import type { Cell } from '../read/index.js';
import { columnNormaliser, FieldKinds, type ColumnSpec, type FieldKind, type Normaliser } from '../recognise/index.js';
import type { IdentifierKind } from '../pseudonymise/index.js';
import { hash64 } from './hash64.js';

/** Index of the people counter in `BatchResult.hashClass` (data classes use their bit index). */
export const PEOPLE = 31;
export const CLASS_KEYS = Object.keys(DataClassBits) as DataClassKey[];

/** What a table needs to be processed: its columns as recognised. Structured-clone friendly. */
export interface TableSpec {
  columns: Pick<ColumnSpec, 'index' | 'kind' | 'confidence'>[];
}

/** Receives each record's identifiers (canonical forms) and the record's class mask. */
export interface IdentifierSink {
  record(ids: { kind: IdentifierKind; value: string }[], mask: number): void;
}

/** A sink that pseudonymises: it also gives the person's keyed fingerprint (pseudonyms.ts). */
interface PublishingSink extends IdentifierSink {
  take(): { pseudonyms: Buffer; masks: Uint32Array; aliases?: Buffer; kinds?: Uint8Array };
  /** Writes the first 8 bytes of the pseudonym of the last record's `ids[index]` as (hi, lo) at `into[at]`. */
  fingerprint?(index: number, into: Uint32Array, at: number): void;
}

export interface BatchResult {
  records: number;
  /** valid[i] / invalid[i]: counts for the data class with bit index i. */
  valid: Int32Array;
  invalid: Int32Array;
  /** Records with no identifier strong enough to count a person. */
  unidentified: number;
  /** `hashCount` (hi, lo) pairs in `hashes`, each for the class `hashClass[k]` (or PEOPLE). */
  hashes: Uint32Array;
  hashClass: Uint8Array;
  hashCount: number;
  /** When publishing: the records' pseudonyms (n × 16 bytes) and their masks. */
  pseudonyms?: Buffer;
  masks?: Uint32Array;
  /** Sealed aliases of addresses on verified domains (ADR 0008), packed. */
  aliases?: Buffer;
  /** With a `RowSink`: the kind of each pseudonym (index in `IdentifierKinds`); `masks` then holds its row. */
  kinds?: Uint8Array;
}

interface Col {
  index: number;
  kind: FieldKind;
  cls: number;
  norm: Normaliser;
}

function nonEmpty(v: Cell | undefined): v is string {
  if (v == null || v.length === 0) return false;
  const c = v.charCodeAt(0);
  // Fast path: most values start with a visible character.
  return c > 32 || v.trim().length > 0;
}

export class RecordProcessor {
  private readonly simple: Col[] = [];
  private readonly names: Col[] = [];
  private readonly addresses: Col[] = [];
  private readonly texts: Col[] = [];
  private hashes = new Uint32Array(2 * 16384);
  private hashClass = new Uint8Array(16384);
  private hashCount = 0;
  private readonly parts: string[] = [];

  constructor(
    spec: TableSpec,
    private readonly sink?: PublishingSink,
  ) {
    for (const c of spec.columns) {
      if (!c.kind) continue;
      const clsKey = FieldKinds[c.kind];
      const col: Col = { index: c.index, kind: c.kind, cls: clsKey ? DataClassBits[clsKey] : -1, norm: columnNormaliser(c.kind, c.confidence) };
      if (c.kind === 'text') this.texts.push(col);
      else if (clsKey === 'name') this.names.push(col);
      else if (clsKey === 'address') this.addresses.push(col);
      else this.simple.push(col);
    }
  }

  private pushHash(cls: number, key: string): void {
    this.reserve();
    hash64(key, this.hashes, this.hashCount * 2);
    this.hashClass[this.hashCount++] = cls;
  }

  private reserve(): void {
    if (this.hashCount === this.hashClass.length) {
      const h = new Uint32Array(this.hashes.length * 2);
      h.set(this.hashes);
      this.hashes = h;
      const c = new Uint8Array(this.hashClass.length * 2);
      c.set(this.hashClass);
      this.hashClass = c;
    }
  }

  /** Processes a batch of rows; the result's arrays are fresh (transferable). */
  process(rows: Cell[][]): BatchResult {
    const valid = new Int32Array(32);
    const invalid = new Int32Array(32);
    let unidentified = 0;
    this.hashCount = 0;
    const ids: { kind: IdentifierKind; value: string }[] = [];
    const sink = this.sink;
    for (const row of rows) {
      let mask = 0;
      let nir: string | null = null;
      let email: string | null = null;
      let phone: string | null = null;
      let dob: string | null = null;
      ids.length = 0;
      for (const col of this.simple) {
        const raw = row[col.index];
        if (!nonEmpty(raw)) continue;
        const canon = col.norm(raw);
        if (canon === null) {
          invalid[col.cls]!++;
          continue;
        }
        valid[col.cls]!++;
        mask |= 1 << col.cls;
        this.pushHash(col.cls, canon);
        switch (col.kind) {
          case 'nir':
            nir ??= canon;
            if (sink) ids.push({ kind: 'nir', value: canon });
            break;
          case 'email':
            email ??= canon;
            if (sink) ids.push({ kind: 'email', value: canon });
            break;
          case 'phone':
            phone ??= canon;
            if (sink) ids.push({ kind: 'phone', value: canon });
            break;
          case 'dob':
            dob ??= canon;
            break;
          case 'accountId':
            if (sink) ids.push({ kind: 'account', value: canon });
            break;
        }
      }
      const nameKey = this.composite(row, this.names, valid, invalid);
      if (nameKey !== null) mask |= 1 << DataClassBits.name;
      if (this.composite(row, this.addresses, valid, invalid) !== null) mask |= 1 << DataClassBits.address;
      for (const col of this.texts) {
        const raw = row[col.index];
        if (!nonEmpty(raw) || raw.length < 6) continue;
        if (raw.includes('@')) {
          for (const e of findEmails(raw)) {
            valid[DataClassBits.email]!++;
            mask |= 1 << DataClassBits.email;
            this.pushHash(DataClassBits.email, e);
            email ??= e;
            if (sink) ids.push({ kind: 'email', value: e });
          }
        }
        for (const p of findPhones(raw)) {
          valid[DataClassBits.phone]!++;
          mask |= 1 << DataClassBits.phone;
          this.pushHash(DataClassBits.phone, p);
          phone ??= p;
          if (sink) ids.push({ kind: 'phone', value: p });
        }
      }
      const namedob = nameKey !== null && dob !== null ? `${nameKey}\u0000${dob}` : null;
      if (sink?.fingerprint) {
        // Publishing: the person is counted by the keyed pseudonym of the same key, so that the
        // leak can keep its people as a sketch and count an appended file's new ones (ADR 0002, addendum).
        if (namedob !== null) ids.push({ kind: 'namedob', value: namedob });
        sink.record(ids, mask);
        const key = nir ?? email ?? phone ?? namedob;
        const kind: IdentifierKind = nir !== null ? 'nir' : email !== null ? 'email' : phone !== null ? 'phone' : 'namedob';
        const at = key === null ? -1 : ids.findIndex((id) => id.kind === kind && id.value === key);
        if (at >= 0) {
          this.reserve();
          sink.fingerprint(at, this.hashes, this.hashCount * 2);
          this.hashClass[this.hashCount++] = PEOPLE;
        } else unidentified++;
        continue;
      }
      if (nir !== null) this.pushHash(PEOPLE, `n\u0000${nir}`);
      else if (email !== null) this.pushHash(PEOPLE, `e\u0000${email}`);
      else if (phone !== null) this.pushHash(PEOPLE, `p\u0000${phone}`);
      else if (namedob !== null) this.pushHash(PEOPLE, `d\u0000${namedob}`);
      else unidentified++;
      if (sink) {
        if (namedob !== null) ids.push({ kind: 'namedob', value: namedob });
        sink.record(ids, mask);
      }
    }
    const taken = sink?.take();
    return {
      ...taken,
      records: rows.length,
      valid,
      invalid,
      unidentified,
      hashes: this.hashes.slice(0, this.hashCount * 2),
      hashClass: this.hashClass.slice(0, this.hashCount),
      hashCount: this.hashCount,
    };
  }

  /**
   * One value per record for a class spread over several columns (nom + prénom; rue + CP +
   * ville): valid when any part validates, keyed by all valid parts. Returns the key or null.
   * A name's key is its folded words in sorted order, so `nom` + `prénom` and a `nom complet`
   * written either way round give one key (and one name + birth date pseudonym).
   */
  private composite(row: Cell[], cols: Col[], valid: Int32Array, invalid: Int32Array): string | null {
    if (cols.length === 0) return null;
    const parts = this.parts;
    parts.length = 0;
    let present = false;
    for (const col of cols) {
      const raw = row[col.index];
      if (!nonEmpty(raw)) continue;
      present = true;
      const canon = col.norm(raw);
      if (canon !== null) parts.push(canon);
    }
    if (!present) return null;
    const cls = cols[0]!.cls;
    if (parts.length === 0) {
      invalid[cls]!++;
      return null;
    }
    let key: string;
    if (cls !== DataClassBits.name) key = parts.length === 1 ? parts[0]! : parts.join('\u0000');
    else if (parts.length === 2 && !parts[0]!.includes(' ') && !parts[1]!.includes(' ')) {
      key = parts[0]! < parts[1]! ? `${parts[0]} ${parts[1]}` : `${parts[1]} ${parts[0]}`;
    } else key = parts.join(' ').split(' ').sort().join(' ');
    valid[cls]!++;
    this.pushHash(cls, key);
    return key;
  }
}
