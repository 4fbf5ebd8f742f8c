import { describe, expect, it } from 'vitest';
import { generatePeople, writePhone } from '../gen/index.js';
import { Rng } from '../gen/index.js';
import type { Cell } from '../read/index.js';
import { recogniseTable } from './index.js';

/** Synthetic rows: nom, prénom, email, phone (mixed writings), birth date, NIR, IBAN, free text. */
function sample(n: number): Cell[][] {
  const rng = new Rng(7);
  const rows: Cell[][] = [];
  for (const p of generatePeople(n, 7)) {
    const [y, m, d] = p.birthDate.split('-');
    rows.push([
      p.lastName,
      p.firstName,
      p.email,
      writePhone(p.phone, 'any', rng),
      `${d}/${m}/${y}`,
      p.nir,
      p.iban,
      `Rappeler au ${writePhone(p.phone, 'any', rng)} ou écrire à ${p.email} avant vendredi`,
    ]);
  }
  return rows;
}

const HEADER = ['Nom', 'Prénom', 'Courriel', 'Tél. portable', 'Date de naissance', 'N° Sécu', 'IBAN', 'Commentaire'];
const generated = HEADER.map((_, i) => `column_${i + 1}`);

describe('recogniseTable', () => {
  it('recognises a French header and confirms it with the values', () => {
    const rows = sample(300);
    const r = recogniseTable({ columns: generated, headerRow: HEADER, sample: rows });
    expect(r.hasHeader).toBe(true);
    expect(r.columns.map((c) => c.dataClass)).toEqual([
      'Names',
      'Names',
      'Email addresses',
      'Phone numbers',
      'Dates of birth',
      'Social security numbers',
      'Bank account numbers',
      null,
    ]);
    expect(r.columns[7]!.kind).toBe('text');
    for (const c of r.columns.slice(2, 7)) {
      expect(c.evidence).toBe('header+values');
      expect(c.confidence).toBeGreaterThan(0.9);
    }
  });

  it('lets the values decide when the header lies', () => {
    const rows = sample(300);
    // The export swapped two headers: "telephone" holds emails and "email" holds NIRs.
    const lying = ['nom', 'prenom', 'telephone', 'email', 'ddn', 'iban', 'nir', 'notes'];
    const r = recogniseTable({ columns: generated, headerRow: lying, sample: rows.map((x) => [x[0]!, x[1]!, x[2]!, x[5]!, x[4]!, x[3]!, x[6]!, x[7]!]) });
    expect(r.columns[2]!).toMatchObject({ name: 'telephone', dataClass: 'Email addresses', evidence: 'values' });
    expect(r.columns[3]!).toMatchObject({ name: 'email', dataClass: 'Social security numbers', evidence: 'values' });
    expect(r.columns[5]!).toMatchObject({ name: 'iban', dataClass: 'Phone numbers', evidence: 'values' });
  });

  it('treats a first row of data as data when there is no header', () => {
    const rows = sample(300);
    const r = recogniseTable({ columns: generated, headerRow: rows[0], sample: rows.slice(1) });
    expect(r.hasHeader).toBe(false);
    expect(r.columns.map((c) => c.name)).toEqual(generated);
    expect(r.columns.slice(2, 7).map((c) => c.dataClass)).toEqual([
      'Email addresses',
      'Phone numbers',
      'Dates of birth',
      'Social security numbers',
      'Bank account numbers',
    ]);
    for (const c of r.columns.slice(2, 7)) expect(c.evidence).toBe('values');
  });

  it('keeps a header kind with zero confidence when no value validates', () => {
    const rows: Cell[][] = Array.from({ length: 50 }, () => ['n/a', 'inconnu']);
    const r = recogniseTable({ columns: ['column_1', 'column_2'], headerRow: ['telephone', 'email'], sample: rows });
    expect(r.hasHeader).toBe(true);
    expect(r.columns[0]).toMatchObject({ dataClass: 'Phone numbers', confidence: 0, evidence: 'header' });
  });

  it('recognises JSON field paths by their last segment', () => {
    const rows = sample(100).map((x) => [x[2]!, x[3]!]);
    const r = recogniseTable({ columns: ['contact.mail', 'contact.telephones[0]'], sample: rows });
    expect(r.columns.map((c) => [c.dataClass, c.evidence])).toEqual([
      ['Email addresses', 'header+values'],
      ['Phone numbers', 'header+values'],
    ]);
  });
});

describe('recogniseTable without a header', () => {
  it('finds names, street address, postcode and city by shape and neighbours', () => {
    const rows: Cell[][] = [];
    for (const p of generatePeople(300, 11)) rows.push([p.lastName, p.firstName, p.email, p.address.street, p.address.postcode, p.address.city]);
    const r = recogniseTable({ columns: rows[0]!.map((_, i) => `column_${i + 1}`), headerRow: rows[0], sample: rows.slice(1) });
    expect(r.hasHeader).toBe(false);
    expect(r.columns.map((c) => c.kind)).toEqual(['lastName', 'firstName', 'email', 'address', 'postcode', 'city']);
  });

  it('does not take words under an unknown header for names', () => {
    const rows: Cell[][] = Array.from({ length: 100 }, (_, i) => [i % 2 ? 'Actif' : 'Suspendu', 'Lyon Part-Dieu']);
    const r = recogniseTable({ columns: ['column_1', 'column_2'], headerRow: ['statut', 'agence'], sample: rows });
    expect(r.hasHeader).toBe(true);
    expect(r.columns.map((c) => c.kind)).toEqual([null, null]);
  });
});

describe('recogniseTable on columns that look personal but are not', () => {
  it('does not take an order date for a birth date, nor a bare id for an account', () => {
    const rows: Cell[][] = Array.from({ length: 100 }, (_, i) => [
      String(1000 + i),
      `${10 + (i % 18)}/0${1 + (i % 9)}/2021`,
      `2023-05-${10 + (i % 18)}T10:00:00Z`,
    ]);
    const r = recogniseTable({ columns: ['id', 'date_commande', 'created_at'], sample: rows });
    expect(r.columns.map((c) => c.dataClass)).toEqual([null, null, null]);
  });
});

describe('column names shown in reports', () => {
  it('masks names that are values from the leak, keeps real headers', () => {
    const rows = sample(50).map((x) => [x[2]!, x[3]!]);
    const r = recogniseTable({ columns: ['camille.durand0@exemple.fr.tel', 'contact.telephones[0]'], sample: rows });
    expect(r.columns.map((c) => c.name)).toEqual(['column_1', 'contact.telephones[0]']);
    const people = [...generatePeople(40, 3)].map((p) => [p.lastName, p.firstName, p.address.city] as Cell[]);
    const h = recogniseTable({ columns: ['column_1', 'column_2', 'column_3'], headerRow: people[0], sample: people.slice(1) });
    for (const c of h.columns) expect(c.name).toMatch(/^column_\d$|^[a-z_]+$/);
  });
});

describe('spreadsheet-mangled columns', () => {
  const people = [...generatePeople(200, 11)];
  const national = (e164: string): string => `0${e164.slice(e164.startsWith('+33') ? 3 : 4)}`;

  it('a phone column whose every zero a spreadsheet dropped is known by its header, values agreeing', () => {
    const rows: Cell[][] = people.map((p) => [p.lastName, national(p.phone).slice(1), p.address.postcode.replace(/^0/, '')]);
    const r = recogniseTable({ columns: ['column_1', 'column_2', 'column_3'], headerRow: ['nom', 'telephone', 'code_postal'], sample: rows });
    expect(r.columns[1]).toMatchObject({ kind: 'phone', evidence: 'header+values', confidence: 1 });
    expect(r.columns[2]).toMatchObject({ kind: 'postcode', evidence: 'header+values', confidence: 1 });
  });

  it('nine bare digits under no header are not taken for phones', () => {
    const rows: Cell[][] = people.map((p) => [p.lastName, national(p.phone).slice(1)]);
    const r = recogniseTable({ columns: ['column_1', 'column_2'], sample: rows });
    expect(r.columns[1]!.kind).not.toBe('phone');
  });
});
