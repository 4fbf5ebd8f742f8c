/** E-mail providers, employers, banks and free-text comments of the synthetic records. */

export const EMAIL_PROVIDERS: readonly string[] = [
  'gmail.com', 'orange.fr', 'free.fr', 'hotmail.fr', 'laposte.net', 'sfr.fr', 'wanadoo.fr', 'yahoo.fr', 'outlook.fr',
];
export const EMAIL_PROVIDER_WEIGHTS: readonly number[] = [30, 15, 10, 12, 7, 7, 6, 7, 6];

/**
 * Employers: invented company names in the usual French legal forms, some with quotes and
 * commas (they exercise CSV quoting) and with € / œ (they exercise Windows-1252).
 */
export const COMPANIES: readonly string[] = [
  'Transports Garnier SARL', 'Boulangerie "Au Bon Pain"', 'Clinique des Tilleuls', 'Mairie de Villeneuve',
  'Centre hospitalier de la Côte', 'Groupe Hexagone Assurances', 'SAS Ferronnerie du Rhône',
  'Collège Jean Moulin', 'Lycée Marie Curie', 'Supermarché Les Halles, SARL', 'Cabinet Lemercier & Associés',
  'Banque Populaire du Littoral', 'EHPAD Les Glycines', 'Société Générale de Nettoyage',
  'Garage Central Automobiles', 'Menuiserie "Le Chêne"', 'Caisse d\'Allocations Familiales',
  'Conseil départemental', 'Agence Immobilière du Port', 'Crèche Les Petits Loups', 'La Poste Services',
  'Pharmacie du Marché', 'Œuvres Sociales du Nord', 'Restaurant "Chez Mémé"', 'Laboratoire Analyses Santé',
  'Atelier Textile Vosgien', 'Fromagerie Alpine SAS', 'Bâtiment & Rénovation 2000', 'Informatique Conseil, SARL',
  'Transports Urbains de la Métropole', 'École maternelle des Acacias', 'Cave Coopérative du Languedoc',
  'Hôtel du Lac', 'Office de Tourisme', 'Entreprise Générale d\'Électricité', 'Coiffure "Style & Vous"',
];

/** Trades of the self-employed: their employer is `<trade> <surname>` and they have a SIRET. */
export const TRADES: readonly string[] = [
  'Plomberie', 'Taxi', 'Électricité', 'Menuiserie', 'Cabinet infirmier', 'Coiffure', 'Maçonnerie',
  'Conseil', 'Photographie', 'Jardinage', 'Traduction', 'Ostéopathie', 'Peinture', 'VTC',
];

/**
 * French bank codes (code banque of the RIB) of large networks; the branch and account
 * parts are generated.
 */
export const BANK_CODES: readonly string[] = [
  '30004', '30003', '20041', '10278', '30002', '11306', '16958', '18206', '13335', '14445', '30066', '17515',
];

/**
 * Comments without any identifier. Some hold the delimiter, quotes, a line break or € so that
 * writers must quote them. No digit runs that a phone finder could mistake for a number.
 */
export const PLAIN_COMMENTS: readonly string[] = [
  'RAS', 'Dossier complet', 'Relance envoyée', 'Client "VIP", ne pas relancer', 'Préfère être contacté le matin',
  'Réglé par chèque; reste 49,90 €', 'Appel reçu,\nrappeler plus tard', 'Adresse à vérifier', 'Courrier revenu NPAI',
  'Demande de résiliation en cours', 'A signalé un changement de situation', 'Pièce justificative manquante',
  'Ne souhaite plus être démarché', "Litige en cours avec l'agence", 'Compte clôturé à sa demande',
  'Paiement échelonné accordé', 'Rendez-vous annulé;\nà reprogrammer', 'Œuvre caritative: don mensuel',
];

/** Comments that embed the person's own e-mail (`{e}`) or phone (`{p}`), as agents type them. */
export const EMAIL_COMMENTS: readonly string[] = [
  'Nouvelle adresse mail : {e}', 'Écrire à {e} (pas de courrier)', 'Mail perso {e} à privilégier',
];
export const PHONE_COMMENTS: readonly string[] = [
  'Rappeler au {p} après le déjeuner', 'Tél. pro : {p}', 'Joignable au {p} en semaine',
];
export const BOTH_COMMENTS: readonly string[] = ['Contact : {e} ou {p}', 'Préfère {p}, sinon écrire à {e}'];
