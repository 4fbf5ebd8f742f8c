/**
 * The words of the page, French first. No text here ever holds a looked-up value: results speak
 * of « l’adresse saisie » / "the address you entered".
 */
import type { Lang } from '../../guidance/index.js';
import type { AccountKind } from '../account.js';

/** The routes of each language. */
export const PATHS = {
  fr: { home: '/', check: '/verifier', breaches: '/fuites' },
  en: { home: '/en', check: '/en/check', breaches: '/en/breaches' },
} as const satisfies Record<Lang, { home: string; check: string; breaches: string }>;

/** Why a value was refused, in the person's words. */
export type Refusal = 'badAccount' | 'nir' | 'iban' | 'dob' | 'other';

interface Texts {
  skip: string;
  tagline: string;
  navCheck: string;
  navBreaches: string;
  /** The link to the other language, written in that language. */
  otherLang: { lang: Lang; label: string };
  footer: string;
  formTitle: string;
  formIntro: string;
  fieldLabel: string;
  fieldHint: string;
  submit: string;
  errorPrefix: string;
  refusals: Record<Refusal, string>;
  privacyTitle: string;
  privacy: string[];
  catalogueLink: string;
  resultsTitle: string;
  found(kind: AccountKind, leaks: number): string;
  notFound(kind: AccountKind): string;
  notFoundCaveat: string;
  leaksHeading: string;
  breachDate: string;
  unknownDate: string;
  exposedForYou: string;
  whatToDo: string;
  whereToReport: string;
  againTitle: string;
  tooManyTitle: string;
  tooMany(seconds: number): string;
  backToForm: string;
  catalogueTitle: string;
  /** Both counts already written with their noun (« 3 fuites », « 500 personnes concernées »). */
  catalogueIntro(leaks: string, people: string): string;
  catalogueEmpty: string;
  chartsHeading: string;
  allLeaksHeading: string;
  people: readonly [string, string];
  leaks: readonly [string, string];
  records: readonly [string, string];
  classesExposed: string;
  sensitive: string;
  fabricated: string;
  errorTitle: string;
  errorBody: string;
}

const fr: Texts = {
  skip: 'Aller au contenu',
  tagline: 'Vos données dans les fuites',
  navCheck: 'Vérifier',
  navBreaches: 'Les fuites connues',
  otherLang: { lang: 'en', label: 'English' },
  footer:
    'Vigie est un logiciel libre, installé par l’organisme qui vous propose ce service. Il ne garde aucune donnée des fuites en clair et n’enregistre pas ce que vous saisissez.',
  formTitle: 'Vos données sont-elles dans une fuite\u202f?',
  formIntro:
    'Vigie vous dit si votre adresse e-mail ou votre numéro de téléphone figure dans une fuite de données qu’il connaît, quelles données vous concernant ont été exposées, et quoi faire.',
  fieldLabel: 'Adresse e-mail ou numéro de téléphone',
  fieldHint:
    'Seuls une adresse e-mail ou un numéro de téléphone peuvent être vérifiés, car ce sont des données que vous contrôlez. Un numéro de sécurité sociale, un nom ou une adresse postale ne peuvent pas l’être\u00a0: sinon, n’importe qui pourrait se renseigner sur quelqu’un d’autre.',
  submit: 'Vérifier',
  errorPrefix: 'Erreur\u00a0: ',
  refusals: {
    badAccount:
      'Ce qui a été saisi n’est ni une adresse e-mail ni un numéro de téléphone valides. Saisissez par exemple nom@exemple.fr ou 06\u00a012\u00a034\u00a056\u00a078.',
    nir: 'Un numéro de sécurité sociale (NIR) ne peut pas être recherché, pour que personne ne puisse se renseigner sur quelqu’un d’autre. Saisissez votre adresse e-mail ou votre numéro de téléphone.',
    iban: 'Des coordonnées bancaires ne peuvent pas être recherchées, pour que personne ne puisse se renseigner sur quelqu’un d’autre. Saisissez votre adresse e-mail ou votre numéro de téléphone.',
    dob: 'Une date de naissance ne peut pas être recherchée, pour que personne ne puisse se renseigner sur quelqu’un d’autre. Saisissez votre adresse e-mail ou votre numéro de téléphone.',
    other:
      'Un nom, une adresse postale ou un identifiant ne peuvent pas être recherchés, pour que personne ne puisse se renseigner sur quelqu’un d’autre. Saisissez votre adresse e-mail ou votre numéro de téléphone.',
  },
  privacyTitle: 'Ce que Vigie garde',
  privacy: [
    'Aucune donnée des fuites en clair\u00a0: seulement des empreintes calculées avec une clé secrète\u202f; les valeurs elles-mêmes n’y sont pas.',
    'Rien de ce que vous saisissez\u00a0: ni enregistré, ni écrit dans les journaux. La vérification faite, c’est oublié.',
    'Cette page ne charge rien d’un autre site\u00a0: ni publicité, ni mesure d’audience, ni police de caractères.',
  ],
  catalogueLink: 'Voir les fuites que Vigie connaît',
  resultsTitle: 'Résultat de la vérification',
  found: (kind, n) => `${kind === 'email' ? 'L’adresse e-mail saisie apparaît' : 'Le numéro saisi apparaît'} dans ${n} ${n > 1 ? 'fuites' : 'fuite'}`,
  notFound: (kind) => `${kind === 'email' ? 'L’adresse e-mail saisie n’apparaît' : 'Le numéro saisi n’apparaît'} dans aucune fuite connue de Vigie`,
  notFoundCaveat:
    'Cela ne prouve pas qu’elle n’a jamais fuité\u00a0: Vigie ne connaît que les fuites que son exploitant y a chargées. Les bons réflexes ci-dessous restent utiles.',
  leaksHeading: 'Les fuites où vous apparaissez',
  breachDate: 'Date de la fuite',
  unknownDate: 'inconnue',
  exposedForYou: 'Vos données exposées',
  whatToDo: 'Que faire, donnée par donnée',
  whereToReport: 'Signaler ou se faire aider',
  againTitle: 'Vérifier une autre adresse ou un autre numéro',
  tooManyTitle: 'Trop de vérifications',
  tooMany: (s) => `Trop de vérifications ont été faites depuis votre connexion. Réessayez dans ${s}\u00a0${s > 1 ? 'secondes' : 'seconde'}.`,
  backToForm: 'Revenir au formulaire',
  catalogueTitle: 'Les fuites que Vigie connaît',
  catalogueIntro: (leaks, people) => `${leaks}, ${people} au total (une même personne peut figurer dans plusieurs fuites).`,
  catalogueEmpty: 'Aucune fuite n’a encore été chargée.',
  chartsHeading: 'En graphiques',
  allLeaksHeading: 'Toutes les fuites',
  people: ['personne concernée', 'personnes concernées'],
  leaks: ['fuite', 'fuites'],
  records: ['enregistrement', 'enregistrements'],
  classesExposed: 'Données exposées',
  sensitive: 'Fuite sensible\u00a0: elle n’apparaît pas dans les résultats d’une vérification publique.',
  fabricated: 'Données probablement fabriquées\u00a0: fuite non authentifiée.',
  errorTitle: 'La demande n’a pas pu aboutir',
  errorBody: 'Une erreur est survenue. Réessayez dans un instant.',
};

const en: Texts = {
  skip: 'Skip to content',
  tagline: 'Your data in leaks',
  navCheck: 'Check',
  navBreaches: 'Known leaks',
  otherLang: { lang: 'fr', label: 'Français' },
  footer:
    'Vigie is free software, run by the organisation that offers you this service. It keeps no leaked data in the clear and does not record what you type.',
  formTitle: 'Is your data in a leak?',
  formIntro: 'Vigie tells you whether your email address or phone number is in a data leak it knows, which of your data was exposed, and what to do.',
  fieldLabel: 'Email address or phone number',
  fieldHint:
    'Only an email address or a phone number can be checked, because they are data you control. A social security number, a name or a postal address cannot: otherwise anybody could look up somebody else.',
  submit: 'Check',
  errorPrefix: 'Error: ',
  refusals: {
    badAccount: 'What you entered is neither a valid email address nor a valid phone number. Enter for instance name@example.fr or 06 12 34 56 78.',
    nir: 'A social security number (NIR) cannot be looked up, so that nobody can look up somebody else. Enter your email address or your phone number.',
    iban: 'Bank details cannot be looked up, so that nobody can look up somebody else. Enter your email address or your phone number.',
    dob: 'A date of birth cannot be looked up, so that nobody can look up somebody else. Enter your email address or your phone number.',
    other:
      'A name, a postal address or a username cannot be looked up, so that nobody can look up somebody else. Enter your email address or your phone number.',
  },
  privacyTitle: 'What Vigie keeps',
  privacy: [
    'No leaked data in the clear: only fingerprints computed with a secret key; the values themselves are not there.',
    'Nothing of what you type: not stored, not written to the logs. Once checked, it is forgotten.',
    'This page loads nothing from another site: no advertising, no analytics, no web font.',
  ],
  catalogueLink: 'See the leaks Vigie knows',
  resultsTitle: 'Result of the check',
  found: (kind, n) => `${kind === 'email' ? 'The email address you entered is' : 'The number you entered is'} in ${n} ${n > 1 ? 'leaks' : 'leak'}`,
  notFound: (kind) => `${kind === 'email' ? 'The email address you entered is' : 'The number you entered is'} in no leak Vigie knows`,
  notFoundCaveat: 'This does not prove it never leaked: Vigie knows only the leaks its operator loaded into it. The good habits below are still worth keeping.',
  leaksHeading: 'The leaks you are in',
  breachDate: 'Date of the leak',
  unknownDate: 'unknown',
  exposedForYou: 'Your exposed data',
  whatToDo: 'What to do, for each kind of data',
  whereToReport: 'Report or get help',
  againTitle: 'Check another address or number',
  tooManyTitle: 'Too many checks',
  tooMany: (s) => `Too many checks were made from your connection. Try again in ${s} ${s > 1 ? 'seconds' : 'second'}.`,
  backToForm: 'Back to the form',
  catalogueTitle: 'The leaks Vigie knows',
  catalogueIntro: (leaks, people) => `${leaks}, ${people} in all (one person may be in several leaks).`,
  catalogueEmpty: 'No leak has been loaded yet.',
  chartsHeading: 'In charts',
  allLeaksHeading: 'All leaks',
  people: ['person affected', 'people affected'],
  leaks: ['leak', 'leaks'],
  records: ['record', 'records'],
  classesExposed: 'Data exposed',
  sensitive: 'Sensitive leak: it does not appear in the results of a public check.',
  fabricated: 'Probably fabricated data: leak not authenticated.',
  errorTitle: 'The request could not be completed',
  errorBody: 'Something went wrong. Please try again in a moment.',
};

export const TEXTS: Record<Lang, Texts> = { fr, en };
