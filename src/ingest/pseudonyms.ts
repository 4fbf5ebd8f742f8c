/**
 * Turns each record's identifiers into keyed pseudonyms as the batch is processed, so only
 * 16-byte pseudonyms and class masks leave the worker: never a value.
 */
import { deriveAliasKey, Pseudonymiser, PSEUDONYM_BYTES, sealAlias } from '../pseudonymise/index.js';
import type { IdentifierKind } from '../pseudonymise/index.js';
import type { IdentifierSink } from './processor.js';

export interface PseudonymBatch {
  /** n × 16 bytes. */
  pseudonyms: Buffer;
  /** n masks, the record's data classes for each pseudonym. */
  masks: Uint32Array;
  /** Sealed aliases of addresses on verified domains (`packAliases`), when there are any. */
  aliases?: Buffer;
}

/** One sealed alias as it crosses from a worker: the domain's index in the list the ingest gave. */
interface PackedAlias {
  domainIndex: number;
  pseudonym: Buffer;
  sealed: Buffer;
}

/** `u16 domain index ‖ u16 length ‖ 16-byte pseudonym ‖ sealed alias`, one after another. */
function packAliases(list: PackedAlias[]): Buffer {
  const out = Buffer.alloc(list.reduce((n, a) => n + 4 + PSEUDONYM_BYTES + a.sealed.length, 0));
  let o = 0;
  for (const a of list) {
    o = out.writeUInt16BE(a.domainIndex, o);
    o = out.writeUInt16BE(a.sealed.length, o);
    o += a.pseudonym.copy(out, o);
    o += a.sealed.copy(out, o);
  }
  return out;
}

/** The aliases of a batch, with their domain names, for the store's load. */
export function unpackAliases(packed: Uint8Array, domains: readonly string[]): { domain: string; pseudonym: Buffer; sealed: Buffer }[] {
  const b = Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength);
  const rows: { domain: string; pseudonym: Buffer; sealed: Buffer }[] = [];
  for (let o = 0; o + 4 + PSEUDONYM_BYTES <= b.length; ) {
    const domain = domains[b.readUInt16BE(o)];
    const length = b.readUInt16BE(o + 2);
    const pseudonym = Buffer.from(b.subarray(o + 4, o + 4 + PSEUDONYM_BYTES));
    const sealed = Buffer.from(b.subarray(o + 4 + PSEUDONYM_BYTES, o + 4 + PSEUDONYM_BYTES + length));
    o += 4 + PSEUDONYM_BYTES + length;
    if (domain !== undefined) rows.push({ domain, pseudonym, sealed });
  }
  return rows;
}

export class PseudonymSink implements IdentifierSink {
  private readonly p: Pseudonymiser;
  private out = Buffer.allocUnsafe(4096 * PSEUDONYM_BYTES);
  private masks = new Uint32Array(4096);
  private n = 0;
  private readonly domains = new Map<string, number>();
  private readonly aliasKey: Buffer | undefined;
  private aliases: PackedAlias[] = [];

  /**
   * @param scope the breach name: account identifiers only mean something inside their leak.
   * @param domains the verified domains: their addresses' local parts are also sealed (ADR 0008).
   */
  constructor(
    key: Uint8Array,
    private readonly scope: string,
    domains: readonly string[] = [],
  ) {
    this.p = new Pseudonymiser(key);
    for (const [i, d] of domains.entries()) this.domains.set(d, i);
    this.aliasKey = domains.length > 0 ? deriveAliasKey(key) : undefined;
  }

  /** An address on a verified domain: its local part sealed beside its pseudonym. */
  private alias(email: string, at: number): void {
    const sep = email.lastIndexOf('@');
    const index = sep > 0 ? this.domains.get(email.slice(sep + 1)) : undefined;
    if (index === undefined || !this.aliasKey) return;
    const pseudonym = Buffer.from(this.out.subarray(at, at + PSEUDONYM_BYTES));
    const domain = email.slice(sep + 1);
    this.aliases.push({ domainIndex: index, pseudonym, sealed: sealAlias(this.aliasKey, domain, pseudonym, email.slice(0, sep)) });
  }

  /** Index of the last record's first pseudonym. */
  private last = 0;

  record(ids: { kind: IdentifierKind; value: string }[], mask: number): void {
    this.last = this.n;
    for (const id of ids) {
      if (this.n === this.masks.length) this.grow();
      this.p.writeInto(this.out, this.n * PSEUDONYM_BYTES, id.kind, id.value, id.kind === 'account' ? this.scope : undefined);
      if (id.kind === 'email' && this.aliasKey) this.alias(id.value, this.n * PSEUDONYM_BYTES);
      this.masks[this.n++] = mask;
    }
  }

  /**
   * The first 8 bytes of the pseudonym of the last record's `ids[index]`, as two big-endian
   * 32-bit words at `into[at]`: a keyed, uniform 64-bit value to count a person by.
   */
  fingerprint(index: number, into: Uint32Array, at: number): void {
    const o = (this.last + index) * PSEUDONYM_BYTES;
    into[at] = this.out.readUInt32BE(o);
    into[at + 1] = this.out.readUInt32BE(o + 4);
  }

  private grow(): void {
    const out = Buffer.allocUnsafe(this.out.length * 2);
    this.out.copy(out);
    this.out = out;
    const masks = new Uint32Array(this.masks.length * 2);
    masks.set(this.masks);
    this.masks = masks;
  }

  /** What the batch produced, in fresh (transferable) memory; resets for the next batch. */
  take(): PseudonymBatch {
    const pseudonyms = Buffer.alloc(this.n * PSEUDONYM_BYTES);
    this.out.copy(pseudonyms, 0, 0, this.n * PSEUDONYM_BYTES);
    const masks = this.masks.slice(0, this.n);
    this.n = 0;
    if (this.aliases.length === 0) return { pseudonyms, masks };
    const aliases = packAliases(this.aliases);
    this.aliases = [];
    return { pseudonyms, masks, aliases };
  }
}
