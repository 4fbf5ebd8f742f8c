/**
 * A realistic French e-commerce export (orders with their customer, as a back office writes
 * them) of generated people: order numbers and amounts of five digits, timestamps of the
 * order and of the last login, a sign-up date without time, country and category names. The
 * report must name only what the people's part holds (names, e-mails, postal addresses) and
 * count each customer once.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generatePeople, Rng } from '../gen/index.js';
import { ingest } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'vigie-recognition-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CATEGORIES = ['Jardin', 'Maison', 'Bricolage', 'Cuisine', 'Animalerie', 'Luminaires'];
const STATUS = ['livrée', 'expédiée', 'annulée', 'en préparation'];
const pad = (n: number) => String(n).padStart(2, '0');

function timestamp(rng: Rng, year: number): string {
  return `${year}-${pad(1 + rng.int(12))}-${pad(1 + rng.int(28))} ${pad(rng.int(24))}:${pad(rng.int(60))}:${pad(1 + rng.int(59))}`;
}

describe('recognition invents nobody', () => {
  it('an orders export: amounts and order numbers are no postcodes, timestamps no birth dates, categories no names', async () => {
    const people = [...generatePeople(1200, 51)];
    const rng = new Rng(51, 9);
    const header =
      'id_commande;date_commande;nom;prenom;email;adresse;code_postal;ville;pays;categorie;montant_ttc;total_points;nb_articles;statut;date_inscription;derniere_connexion';
    const lines = [header];
    people.forEach((p, i) => {
      lines.push(
        [
          String(10234 + i * 7),
          timestamp(rng, 2024),
          p.lastName,
          p.firstName,
          p.email,
          p.address.street,
          p.address.postcode,
          p.address.city,
          'France',
          CATEGORIES[rng.int(CATEGORIES.length)],
          String(10000 + rng.int(89999)),
          String(10000 + rng.int(80000)),
          String(1 + rng.int(9)),
          STATUS[rng.int(STATUS.length)],
          `${pad(1 + rng.int(28))}/${pad(1 + rng.int(12))}/${2015 + rng.int(9)}`,
          timestamp(rng, 2025).replace(' ', 'T'),
        ].join(';'),
      );
    });
    const file = join(dir, 'commandes.csv');
    writeFileSync(file, `${lines.join('\r\n')}\r\n`);
    const r = await ingest({ files: [file], breach: { name: 'Boutique' }, dryRun: true, workers: 0 });
    expect(r.records).toBe(people.length);
    expect(Object.keys(r.dataClasses).sort()).toEqual(['Email addresses', 'Names', 'Physical addresses']);
    expect(r.people).toBe(new Set(people.map((p) => p.email)).size);
    expect(r.dataClasses['Physical addresses']).toEqual(expect.objectContaining({ valid: people.length, invalid: 0 }));
    const byName = Object.fromEntries(r.tables[0]!.columns.map((c) => [c.name, c.dataClass]));
    for (const col of [
      'id_commande',
      'date_commande',
      'pays',
      'categorie',
      'montant_ttc',
      'total_points',
      'nb_articles',
      'statut',
      'date_inscription',
      'derniere_connexion',
    ]) {
      expect(byName[col], col).toBeNull();
    }
  });

  it('a table of things: the name and city of a category, a country or a store are nobody', async () => {
    const file = join(dir, 'categories.csv');
    writeFileSync(file, `id;name;last_update\n${CATEGORIES.map((c, i) => `${i + 1};${c};2006-02-15 04:46:27`).join('\n')}\n`);
    const r = await ingest({ files: [file], breach: { name: 'Catalogue' }, dryRun: true, workers: 0 });
    expect(r.dataClasses).toEqual({});
  });

  it('a date of birth column still counts under its header, with or without a time', async () => {
    const file = join(dir, 'clients.csv');
    writeFileSync(file, 'email;date_naissance\nmarie.dupont@exemple.fr;1985-03-14 00:00:00\njean.martin@exemple.fr;1990-07-02 08:00:00\n');
    const r = await ingest({ files: [file], breach: { name: 'Clients' }, dryRun: true, workers: 0 });
    expect(r.dataClasses['Dates of birth']).toEqual(expect.objectContaining({ valid: 2, invalid: 0 }));
  });
});
