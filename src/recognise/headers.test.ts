import { describe, expect, it } from 'vitest';
import { foldHeader, kindFromHeader } from './headers.js';

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
