/**
 * Turns a person into one record's cells, choosing a writing for each value, breaking a
 * share of them, and telling a tally exactly what it wrote.
 */
import type { ColumnDef } from './columns.js';
import { BOTH_COMMENTS, EMAIL_COMMENTS, PHONE_COMMENTS, PLAIN_COMMENTS } from './data/index.js';
import type { GeneratedPerson } from './people.js';
import { breakPhone, writePhone, type PhoneStyle } from './phones.js';
import type { Rng } from './rng.js';
import type { Tally } from './truth.js';
import {
  DATE_FORMATS,
  breakEmail,
  breakIban,
  breakNir,
  impossibleDate,
  writeDate,
  writeEmail,
  writeIban,
  writeNir,
  writeSiret,
  type DateFormat,
} from './writings.js';

export interface RenderOptions {
  /** Probability that a breakable value (NIR, phone, e-mail, birth date, IBAN) is written invalid. */
  invalidShare: number;
  dateFormat: DateFormat;
  phoneStyle: PhoneStyle | 'any';
}

/** A cell: text, or null where the format writes a null (JSON, SQL) or an empty field (CSV). */
export type OutCell = string | null;

export class RecordRenderer {
  private readonly cells: OutCell[];
  private readonly hasName: boolean;
  private readonly hasAddress: boolean;
  private readonly hasNir: boolean;

  constructor(
    private readonly columns: readonly ColumnDef[],
    private readonly opts: RenderOptions,
    private readonly rng: Rng,
  ) {
    this.cells = new Array<OutCell>(columns.length).fill(null);
    const fields = new Set(columns.map((c) => c.field));
    this.hasName = fields.has('lastName') || fields.has('firstName');
    this.hasAddress = fields.has('street') || fields.has('postcode') || fields.has('city');
    this.hasNir = fields.has('nir');
  }

  /**
   * The cells of one record, in column order. The array is reused by the next call: consume
   * it before rendering again. `duplicate` records may use another date format, as when the
   * same person comes from a second source.
   */
  render(gp: GeneratedPerson, tally: Tally, duplicate: boolean): readonly OutCell[] {
    const { person: p, keys } = gp;
    const rng = this.rng;
    const share = this.opts.invalidShare;
    const cells = this.cells;
    const dateFormat = duplicate && rng.chance(0.5) ? rng.pick(DATE_FORMATS) : this.opts.dateFormat;
    let nirOk = false;
    let emailOk = false;
    let phoneOk = false;
    let dobOk = false;
    for (let i = 0; i < this.columns.length; i++) {
      let v: OutCell;
      switch ((this.columns[i] as ColumnDef).field) {
        case 'lastName':
          // Many exports write the surname in capitals.
          v = rng.chance(0.2) ? p.lastName.toUpperCase() : p.lastName;
          break;
        case 'firstName':
          v = p.firstName;
          break;
        case 'email':
          if (rng.chance(share)) {
            v = breakEmail(p.email, rng);
            tally.invalid('email');
          } else {
            v = writeEmail(p.email, rng);
            tally.unique('email', p.id);
            emailOk = true;
          }
          break;
        case 'phone':
          v = writePhone(p.phone, this.opts.phoneStyle, rng);
          if (rng.chance(share)) {
            v = breakPhone(v);
            tally.invalid('phone');
          } else {
            tally.unique('phone', p.id);
            phoneOk = true;
          }
          break;
        case 'birthDate':
          if (rng.chance(share)) {
            v = impossibleDate(Number(p.birthDate.slice(0, 4)), dateFormat, rng);
            tally.invalid('dob');
          } else {
            v = writeDate(p.birthDate, dateFormat);
            tally.birthDate(keys.birthDay);
            dobOk = true;
          }
          break;
        case 'street':
          v = p.address.street;
          break;
        case 'postcode':
          v = p.address.postcode;
          break;
        case 'city':
          v = p.address.city;
          break;
        case 'nir':
          if (rng.chance(share)) {
            v = writeNir(breakNir(p.nir, rng), rng.chance(0.25));
            tally.invalid('nir');
          } else {
            v = writeNir(p.nir, rng.chance(0.25));
            tally.unique('nir', p.id);
            nirOk = true;
          }
          break;
        case 'accountId':
          v = p.accountId;
          tally.unique('accountId', p.id);
          break;
        case 'civilite':
          v = p.gender;
          tally.text('gender', v);
          break;
        case 'iban':
          if (rng.chance(share)) {
            v = writeIban(breakIban(p.iban, rng), rng.chance(0.3));
            tally.invalid('iban');
          } else {
            v = writeIban(p.iban, rng.chance(0.3));
            tally.unique('iban', p.id);
          }
          break;
        case 'siret':
          v = p.siret === null ? null : writeSiret(p.siret, rng.chance(0.2));
          if (p.siret !== null) tally.unique('siret', p.id);
          break;
        case 'employer':
          v = p.employer;
          if (v !== null) tally.text('employer', v);
          break;
        case 'password':
          v = p.passwordHash;
          tally.unique('password', p.id);
          break;
        case 'comment': {
          const c = this.comment(gp, tally);
          v = c.text;
          emailOk ||= c.email;
          phoneOk ||= c.phone;
          break;
        }
      }
      cells[i] = v;
    }
    tally.record(p.id);
    if (this.hasName) tally.name(keys.name);
    if (this.hasAddress) tally.address(keys.address);
    if (this.hasNir && nirOk) tally.key('keyNir', p.id);
    else if (emailOk) tally.key('keyEmail', p.id);
    else if (phoneOk) tally.key('keyPhone', p.id);
    else if (this.hasName && dobOk) tally.keyNameBirth(keys.name, keys.birthDay);
    return cells;
  }

  /** A free-text comment; about a fifth embed the person's own e-mail or phone, always valid. */
  private comment(gp: GeneratedPerson, tally: Tally): { text: OutCell; email: boolean; phone: boolean } {
    const rng = this.rng;
    const p = gp.person;
    const r = rng.float();
    if (r < 0.1) return { text: null, email: false, phone: false };
    if (r < 0.78) return { text: rng.pick(PLAIN_COMMENTS), email: false, phone: false };
    const template = r < 0.87 ? rng.pick(EMAIL_COMMENTS) : r < 0.97 ? rng.pick(PHONE_COMMENTS) : rng.pick(BOTH_COMMENTS);
    let text = template;
    const email = text.includes('{e}');
    const phone = text.includes('{p}');
    if (email) {
      text = text.replace('{e}', writeEmail(p.email, rng).trim());
      tally.unique('email', p.id);
    }
    if (phone) {
      text = text.replace('{p}', writePhone(p.phone, 'any', rng));
      tally.unique('phone', p.id);
    }
    return { text, email, phone };
  }
}
