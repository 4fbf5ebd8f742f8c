/**
 * Test helper (imported by tests only): a scratch MariaDB database of synthetic French customers
 * (the project's generator, plus hand-made rows with the values XML must escape), dumped by the
 * real `mysqldump` and queried by the real `mysql` client. Nobody in it is real.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { generatePeople } from '../../../gen/index.js';
import { mysqlArgs } from '../../../test-helpers/services.js';

const MY = [...mysqlArgs(), '--default-character-set=utf8mb4'];

/** Whether the `mysql` client reaches the test server. */
export const hasMariadb = spawnSync('mysql', [...MY, '-e', 'SELECT 1'], { stdio: 'ignore' }).status === 0;

/** Customers in the database, and those whose exact values the tests assert (by id). */
export const CUSTOMERS = 400;
export const LONG_NOTE = `${'Réclamation « urgente » & suivie <voir dossier> ; '.repeat(4000)}fin`;
export const TRICKY: Record<number, Record<string, string | null>> = {
  1: { nom: "O'Brien", prénom: 'Seán', notes: 'Client depuis 2019 — « fidèle » & <VIP>' },
  2: { téléphone: null, nir: null, iban: null, adresse: null, notes: null },
  3: { adresse: '', notes: '' },
  4: { notes: 'ligne 1\nligne 2\tcolonne 2\r\nligne 3' },
  5: { prénom: 'Zoé', notes: 'Très satisfaite 😀👍🏽 ! a < b && c > d' },
  6: { notes: 'Il a dit "bonjour" et \'au revoir\' ]]> <![CDATA[ x ]]> &amp; &#10;' },
  7: { notes: "50%_de_remise'); DROP TABLE clients; --" },
  8: { notes: LONG_NOTE },
  9: { notes: '  espaces autour  ' },
};

function lit(v: string | number | null): string {
  if (v === null) return 'NULL';
  if (typeof v === 'number') return String(v);
  return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\0/g, '\\0')}'`;
}

/** The SQL that creates and fills the tables: `clients`, `commandes`, `vide` (no rows), a trigger. */
function databaseSql(): string {
  const out: string[] = [
    `CREATE TABLE clients (
      id INT PRIMARY KEY, civilite VARCHAR(4) NOT NULL, nom VARCHAR(80) NOT NULL, \`prénom\` VARCHAR(80) NOT NULL,
      email VARCHAR(120) NOT NULL, \`téléphone\` VARCHAR(20) NULL, date_naissance DATE NOT NULL, adresse VARCHAR(200) NULL,
      code_postal CHAR(5) NOT NULL, ville VARCHAR(80) NOT NULL, nir CHAR(15) NULL, iban VARCHAR(34) NULL, notes MEDIUMTEXT NULL,
      actif BIT(1) NOT NULL DEFAULT b'1', photo BLOB NULL
    ) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    `CREATE TABLE commandes (id INT PRIMARY KEY, client_id INT NOT NULL, \`Référence\` VARCHAR(20) NOT NULL, montant DECIMAL(10,2) NOT NULL,
      statut ENUM('payée','expédiée','annulée') NOT NULL, commentaire TEXT NULL) DEFAULT CHARSET=utf8mb4`,
    'CREATE TABLE vide (id INT PRIMARY KEY, nom VARCHAR(80), email VARCHAR(120)) DEFAULT CHARSET=utf8mb4',
  ];
  for (const p of generatePeople(CUSTOMERS, 20251202)) {
    const row: Record<string, string | number | null> = {
      id: p.id,
      civilite: p.gender,
      nom: p.lastName,
      prénom: p.firstName,
      email: p.email,
      téléphone: p.phone,
      date_naissance: p.birthDate,
      adresse: p.address.street,
      code_postal: p.address.postcode,
      ville: p.address.city,
      nir: p.nir,
      iban: p.iban,
      notes: p.id % 5 === 0 ? null : `Client n° ${p.id}`,
      ...TRICKY[p.id],
    };
    const actif = p.id % 3 === 0 ? "b'0'" : "b'1'";
    const photo = p.id === 1 ? '0x00011A3C265C0A41' : p.id === 2 ? "''" : 'NULL';
    out.push(`INSERT INTO clients VALUES (${Object.values(row).map(lit).join(', ')}, ${actif}, ${photo})`);
  }
  const statuts = ['payée', 'expédiée', 'annulée'];
  for (let i = 1; i <= 120; i++) {
    const commentaire = i % 4 === 0 ? null : i === 7 ? "Livraison à l'accueil & <bâtiment B>" : `Commande ${i}`;
    out.push(
      `INSERT INTO commandes VALUES (${i}, ${1 + ((i * 7) % CUSTOMERS)}, 'CMD-${2024000 + i}', ${(i * 13.37).toFixed(2)}, '${statuts[i % 3]}', ${lit(commentaire)})`,
    );
  }
  out.push("CREATE TRIGGER trg_vide BEFORE INSERT ON vide FOR EACH ROW SET NEW.nom = '<inconnu> & cie'");
  return `${out.join(';\n')};\n`;
}

/** A database of its own name, filled with `databaseSql()`; `drop()` removes it. */
export function scratchDatabase(): {
  name: string;
  dump: (...args: string[]) => Buffer;
  query: (sql: string, ...args: string[]) => Buffer;
  drop: () => void;
} {
  const name = `vigie_xml_test_${process.pid}_${Math.floor(Math.random() * 1e6)}`;
  execFileSync('mysql', [...MY, '-e', `CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`]);
  execFileSync('mysql', [...MY, name], { input: databaseSql() });
  return {
    name,
    dump: (...args) => execFileSync('mysqldump', [...MY, '--skip-dump-date', ...args, name], { maxBuffer: 1 << 28 }),
    query: (sql, ...args) => execFileSync('mysql', [...MY, ...args, name, '-e', sql], { maxBuffer: 1 << 28 }),
    drop: () => execFileSync('mysql', [...MY, '-e', `DROP DATABASE IF EXISTS ${name}`]),
  };
}
