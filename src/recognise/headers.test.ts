import { describe, expect, it } from 'vitest';
import { foldHeader, kindFromHeader, namesOtherDate } from './headers.js';

describe('kindFromHeader', () => {
  it.each([
    ['Nom', 'lastName'],
    ['NOM DE FAMILLE', 'lastName'],
    ['Prénom', 'firstName'],
    ['prenom_usuel', 'firstName'],
    ['Courriel', 'email'],
    ['Mél', 'email'],
    ['E-mail', 'email'],
    ['adresse_mail', 'email'],
    ['Tél.', 'phone'],
    ['Téléphone portable', 'phone'],
    ['tel_portable', 'phone'],
    ['Portable', 'phone'],
    ['Date de naissance', 'dob'],
    ['DDN', 'dob'],
    ['date_naiss', 'dob'],
    ['dateNaissance', 'dob'],
    ['N° Sécu', 'nir'],
    ['NIR', 'nir'],
    ['numero_securite_sociale', 'nir'],
    ['Adresse', 'address'],
    ['adresse_postale', 'address'],
    ['CP', 'postcode'],
    ['Code postal', 'postcode'],
    ['Ville', 'city'],
    ['IBAN', 'iban'],
    ['RIB', 'iban'],
    ['SIRET', 'siret'],
    ['Identifiant', 'accountId'],
    ['id_compte', 'accountId'],
    ['Mot de passe', 'password'],
    ['mdp', 'password'],
    ['Civilité', 'gender'],
    ['Employeur', 'employer'],
    ['Commentaire', 'text'],
    ['contact.mail', 'email'],
    ['contact.telephones[1]', 'phone'],
    ['adresse.ville', 'city'],
    ['adresse.code_postal', 'postcode'],
    ['firstName', 'firstName'],
    ['email_address', 'email'],
  ])('%s → %s', (header, kind) => {
    expect(kindFromHeader(header)).toBe(kind);
  });

  it('returns null for headers that name no personal data', () => {
    for (const h of ['montant', 'statut', 'created_at', 'quantite', 'column_3']) expect(kindFromHeader(h)).toBeNull();
  });

  it('folds accents, case and punctuation', () => {
    expect(foldHeader('  N°_Sécu-Sociale ')).toBe('n secu sociale');
    expect(foldHeader('Adresse1')).toBe('adresse 1');
  });
});

describe('headers that name nobody', () => {
  it.each([['address_id'], ['city_id'], ['id_adresse'], ['store_id'], ['ville_fk'], ['_id']])('%s is a key into another table, not an address', (h) => {
    expect(kindFromHeader(h)).toBeNull();
  });

  it('the account identifiers keep their own names', () => {
    expect(kindFromHeader('customer_id')).toBe('accountId');
    expect(kindFromHeader('id_client')).toBe('accountId');
  });

  it.each([['last_update'], ['created_at'], ['create_date'], ['date_inscription'], ['derniere_connexion'], ['updatedOn']])(
    '%s names another date than a birth',
    (h) => {
      expect(namesOtherDate(h)).toBe(true);
    },
  );

  it.each([['date_naissance'], ['birth_date'], ['born_on'], ['DDN']])('%s names a birth', (h) => {
    expect(namesOtherDate(h)).toBe(false);
  });
});
