/**
 * The words of the CNIL draft, in French (the CNIL's language) and English: section titles in
 * the order of the CNIL's online notification form, field labels, and the form's answers.
 */
import type { Lang } from '../guidance/index.js';
import type { Cause, Informed, Nature, NotificationType, NotInformedGround, Origin, PeopleCategory } from './statements.js';
import type { DataCategoryId, Severity, SeverityRule } from './typology.js';

export interface DraftTexts {
  title: string;
  subtitle: (breach: string) => string;
  toComplete: string;
  todoTitle: string;
  todoNone: string;
  generated: (at: string) => string;
  disclaimer: string;
  sections: Record<
    | 'type'
    | 'organisation'
    | 'dates'
    | 'circumstances'
    | 'nature'
    | 'data'
    | 'people'
    | 'consequences'
    | 'severity'
    | 'measures'
    | 'information'
    | 'crossBorder',
    string
  >;
  fields: Record<string, string>;
  types: Record<NotificationType, string>;
  origins: Record<Origin, string>;
  causes: Record<Cause, string>;
  natures: Record<Nature, string>;
  people: Record<PeopleCategory, string>;
  informed: Record<Informed, string>;
  grounds: Record<NotInformedGround, string>;
  categories: Record<DataCategoryId, string>;
  severities: Record<Severity, string>;
  rules: Record<SeverityRule, string>;
  yes: string;
  no: string;
  none: string;
  notDetected: string;
  ongoing: string;
  deadlinePassed: (hours: number) => string;
  deadlineLeft: (hours: number) => string;
  chartTitle: string;
  chartDesc: (n: number) => string;
  classHeaders: readonly [string, string, string, string];
  severityLead: (level: string) => string;
  severityNote: string;
  consequencesLead: string;
  number: (n: number) => string;
  dateTime: (iso: string) => string;
  date: (day: string) => string;
}

const frNumber = new Intl.NumberFormat('fr-FR');
const enNumber = new Intl.NumberFormat('en-GB');
const paris = (locale: string) =>
  new Intl.DateTimeFormat(locale, {
    timeZone: 'Europe/Paris',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  });
const frDateTime = paris('fr-FR');
const enDateTime = paris('en-GB');
const longDay = (locale: string) => new Intl.DateTimeFormat(locale, { timeZone: 'UTC', dateStyle: 'long' });
const frDay = longDay('fr-FR');
const enDay = longDay('en-GB');

const fr: DraftTexts = {
  title: 'Notification de violation de données personnelles à la CNIL',
  subtitle: (b) => `Projet préparé par Vigie pour la fuite « ${b} » (RGPD, article 33)`,
  toComplete: 'À compléter',
  todoTitle: 'Champs à compléter avant l’envoi',
  todoNone: 'Aucun : tous les champs du formulaire sont renseignés.',
  generated: (at) => `Généré le ${at}. Les nombres viennent des mesures de Vigie sur le fichier de la fuite ; le reste, des déclarations de l’organisme.`,
  disclaimer:
    'Ce document est un projet : il se reporte rubrique par rubrique dans le téléservice de notification de la CNIL (notifications.cnil.fr) et ne vaut pas notification.',
  sections: {
    type: '1. Type de notification',
    organisation: '2. Organisme responsable du traitement',
    dates: '3. Dates et découverte de la violation',
    circumstances: '4. Origine et cause de l’incident',
    nature: '5. Nature de la violation',
    data: '6. Catégories de données concernées',
    people: '7. Personnes et enregistrements concernés',
    consequences: '8. Conséquences probables pour les personnes',
    severity: '9. Gravité proposée',
    measures: '10. Mesures prises',
    information: '11. Information des personnes concernées',
    crossBorder: '12. Aspects transfrontaliers',
  },
  fields: {
    'notification.type': 'Type de notification',
    'notification.initialReference': 'Référence de la notification initiale',
    'organisation.name': 'Raison sociale',
    'organisation.siren': 'Numéro SIREN',
    'organisation.sector': 'Secteur d’activité',
    'organisation.headcount': 'Effectif',
    'organisation.address': 'Adresse',
    'organisation.representative': 'Représentant légal',
    'organisation.contact.name': 'Personne à contacter : nom',
    'organisation.contact.email': 'Personne à contacter : e-mail',
    'organisation.contact.phone': 'Personne à contacter : téléphone',
    'organisation.dpo.name': 'Délégué à la protection des données : nom',
    'organisation.dpo.email': 'Délégué à la protection des données : e-mail',
    'organisation.processors': 'Sous-traitants impliqués',
    'organisation.jointControllers': 'Responsables conjoints',
    'timeline.started': 'Début de la violation',
    'timeline.ended': 'Fin de la violation',
    'timeline.aware': 'Prise de connaissance par l’organisme',
    'timeline.deadline': 'Échéance de notification (72 heures)',
    'timeline.discovery': 'Comment la violation a été découverte',
    'timeline.delayReasons': 'Motifs du retard (au-delà de 72 heures)',
    origin: 'Origine de l’incident',
    cause: 'Cause de l’incident',
    nature: 'Nature de la violation',
    'people.categories': 'Catégories de personnes',
    'people.approximate': 'Nombre approximatif de personnes',
    'people.records': 'Nombre approximatif d’enregistrements',
    'people.identifiers': 'Identifiants distincts mesurés',
    'people.skipped': 'Enregistrements illisibles écartés',
    'measures.before': 'Mesures de sécurité en place avant la violation',
    'measures.after': 'Mesures prises ou envisagées après la violation',
    'information.informed': 'Les personnes ont-elles été informées ?',
    'information.notInformedGround': 'Motif de non-information (art. 34.3)',
    'crossBorder.crossBorder': 'Personnes concernées dans d’autres pays de l’UE/EEE',
    'crossBorder.countries': 'Pays concernés',
  },
  types: {
    initial: 'Notification initiale (compléments à venir)',
    complementary: 'Notification complémentaire',
    complete: 'Notification complète (en une seule fois)',
  },
  origins: {
    'lost-equipment': 'Équipement perdu',
    'stolen-equipment': 'Équipement volé',
    'lost-paper': 'Papier perdu, volé ou laissé accessible',
    hacking: 'Piratage, logiciel malveillant',
    ransomware: 'Rançongiciel',
    phishing: 'Hameçonnage',
    'wrong-recipient': 'Données envoyées au mauvais destinataire',
    'unintended-publication': 'Publication non volontaire d’informations',
    other: 'Autre',
  },
  causes: {
    'internal-malicious': 'Acte interne malveillant',
    'internal-accidental': 'Acte interne accidentel',
    'external-malicious': 'Acte externe malveillant',
    'external-accidental': 'Acte externe accidentel',
    unknown: 'Inconnue',
  },
  natures: {
    confidentiality: 'Perte de confidentialité (accès ou divulgation non autorisés)',
    integrity: 'Perte d’intégrité (modification non autorisée)',
    availability: 'Perte de disponibilité (destruction, perte ou indisponibilité)',
  },
  people: {
    customers: 'Clients',
    prospects: 'Prospects',
    users: 'Usagers',
    members: 'Adhérents',
    employees: 'Salariés',
    patients: 'Patients',
    students: 'Élèves, étudiants',
    minors: 'Mineurs',
    vulnerable: 'Personnes vulnérables',
    other: 'Autres',
  },
  informed: {
    yes: 'Oui, les personnes ont été informées',
    planned: 'Non, mais elles vont l’être',
    undetermined: 'Non, ce n’est pas encore déterminé',
    no: 'Non, elles ne seront pas informées',
  },
  grounds: {
    '34-3-a': 'Art. 34.3 a) : données rendues incompréhensibles (chiffrement)',
    '34-3-b': 'Art. 34.3 b) : mesures ultérieures rendant le risque élevé improbable',
    '34-3-c': 'Art. 34.3 c) : efforts disproportionnés, communication publique à la place',
  },
  categories: {
    'civil-status': 'État civil, identité, données d’identification',
    nir: 'Numéro de sécurité sociale (NIR)',
    'contact-details': 'Coordonnées (adresse postale ou électronique, téléphone)',
    'identification-access': 'Données d’identification ou d’accès (identifiant, mot de passe, adresse IP)',
    financial: 'Données économiques et financières (coordonnées bancaires, revenus, numéro fiscal)',
    'official-documents': 'Documents officiels (pièce d’identité, passeport, permis de conduire)',
    'professional-life': 'Vie professionnelle (employeur, SIREN/SIRET)',
    location: 'Données de localisation',
    offences: 'Infractions, condamnations, mesures de sûreté (art. 10)',
    health: 'Données de santé (art. 9)',
    'other-article-9': 'Autres données sensibles (art. 9 : origine, opinions, convictions, syndicat, génétique, biométrie, vie sexuelle)',
  },
  severities: { negligible: 'Négligeable', limited: 'Limitée', significant: 'Importante', maximum: 'Maximale' },
  rules: {
    health: 'des données de santé (article 9) sont exposées',
    'nir-identity': 'le NIR est exposé avec le nom ou la date de naissance : usurpation d’identité durable',
    'account-or-money': 'un mot de passe ou des coordonnées bancaires ouvrent un compte ou de l’argent',
    'identity-numbers': 'des numéros d’identité (NIR, pièces officielles, numéro fiscal) permettent de se faire passer pour la personne',
    'contact-or-identity': 'coordonnées et état civil rendent crédibles l’hameçonnage et les appels frauduleux',
    'little-on-its-own': 'ces données exposent peu à elles seules',
  },
  yes: 'Oui',
  no: 'Non',
  none: 'Aucun',
  notDetected: 'non détecté par Vigie (à vérifier)',
  ongoing: 'En cours',
  deadlinePassed: (h) => `dépassée depuis ${h} h : indiquez les motifs du retard`,
  deadlineLeft: (h) => `il reste ${h} h`,
  chartTitle: 'Enregistrements exposés, par donnée',
  chartDesc: (n) => `${n} classes de données mesurées dans le fichier ; la plus fréquente en premier.`,
  classHeaders: ['Donnée', 'Catégorie CNIL', 'Enregistrements', 'Valeurs invalides'],
  severityLead: (l) => `Gravité proposée : ${l}.`,
  severityNote:
    'Proposition calculée à partir des catégories exposées, selon les quatre niveaux de la CNIL (négligeable, limitée, importante, maximale) ; à confirmer par l’organisme au vu du contexte.',
  consequencesLead: 'Ce que chaque donnée exposée permet à un tiers malveillant :',
  number: (n) => frNumber.format(n),
  // French writes the first of the month as an ordinal: « 1er décembre ».
  dateTime: (s) => frDateTime.format(new Date(s)).replace(/^1 /, '1er '),
  date: (d) => frDay.format(new Date(`${d}T00:00:00Z`)).replace(/^1 /, '1er '),
};

const en: DraftTexts = {
  title: 'Personal data breach notification to the CNIL',
  subtitle: (b) => `Draft prepared by Vigie for the leak “${b}” (GDPR, article 33)`,
  toComplete: 'To be completed',
  todoTitle: 'Fields to complete before sending',
  todoNone: 'None: every field of the form is filled in.',
  generated: (at) => `Generated on ${at}. The numbers are Vigie's measurements of the leaked file; the rest is what the organisation stated.`,
  disclaimer:
    'This document is a draft: copy it section by section into the CNIL’s online notification service (notifications.cnil.fr); it is not a notification.',
  sections: {
    type: '1. Type of notification',
    organisation: '2. Organisation (controller)',
    dates: '3. Dates and discovery of the breach',
    circumstances: '4. Origin and cause of the incident',
    nature: '5. Nature of the breach',
    data: '6. Categories of data concerned',
    people: '7. People and records concerned',
    consequences: '8. Likely consequences for the people',
    severity: '9. Proposed severity',
    measures: '10. Measures taken',
    information: '11. Informing the people concerned',
    crossBorder: '12. Cross-border aspects',
  },
  fields: {
    'notification.type': 'Type of notification',
    'notification.initialReference': 'Reference of the initial notification',
    'organisation.name': 'Name',
    'organisation.siren': 'SIREN number',
    'organisation.sector': 'Sector',
    'organisation.headcount': 'Headcount',
    'organisation.address': 'Address',
    'organisation.representative': 'Legal representative',
    'organisation.contact.name': 'Contact person: name',
    'organisation.contact.email': 'Contact person: email',
    'organisation.contact.phone': 'Contact person: phone',
    'organisation.dpo.name': 'Data protection officer: name',
    'organisation.dpo.email': 'Data protection officer: email',
    'organisation.processors': 'Processors involved',
    'organisation.jointControllers': 'Joint controllers',
    'timeline.started': 'Start of the breach',
    'timeline.ended': 'End of the breach',
    'timeline.aware': 'Organisation became aware',
    'timeline.deadline': 'Notification deadline (72 hours)',
    'timeline.discovery': 'How the breach was discovered',
    'timeline.delayReasons': 'Reasons for the delay (past 72 hours)',
    origin: 'Origin of the incident',
    cause: 'Cause of the incident',
    nature: 'Nature of the breach',
    'people.categories': 'Categories of people',
    'people.approximate': 'Approximate number of people',
    'people.records': 'Approximate number of records',
    'people.identifiers': 'Distinct identifiers measured',
    'people.skipped': 'Unreadable records skipped',
    'measures.before': 'Security measures in place before the breach',
    'measures.after': 'Measures taken or planned after the breach',
    'information.informed': 'Have the people been informed?',
    'information.notInformedGround': 'Ground for not informing (art. 34(3))',
    'crossBorder.crossBorder': 'People concerned in other EU/EEA countries',
    'crossBorder.countries': 'Countries concerned',
  },
  types: { initial: 'Initial notification (more to follow)', complementary: 'Complementary notification', complete: 'Complete notification (all at once)' },
  origins: {
    'lost-equipment': 'Equipment lost',
    'stolen-equipment': 'Equipment stolen',
    'lost-paper': 'Paper lost, stolen or left accessible',
    hacking: 'Hacking, malware',
    ransomware: 'Ransomware',
    phishing: 'Phishing',
    'wrong-recipient': 'Data sent to the wrong recipient',
    'unintended-publication': 'Unintended publication',
    other: 'Other',
  },
  causes: {
    'internal-malicious': 'Internal, malicious',
    'internal-accidental': 'Internal, accidental',
    'external-malicious': 'External, malicious',
    'external-accidental': 'External, accidental',
    unknown: 'Unknown',
  },
  natures: {
    confidentiality: 'Loss of confidentiality (unauthorised access or disclosure)',
    integrity: 'Loss of integrity (unauthorised alteration)',
    availability: 'Loss of availability (destruction, loss or unavailability)',
  },
  people: {
    customers: 'Customers',
    prospects: 'Prospects',
    users: 'Users',
    members: 'Members',
    employees: 'Employees',
    patients: 'Patients',
    students: 'Pupils, students',
    minors: 'Minors',
    vulnerable: 'Vulnerable persons',
    other: 'Other',
  },
  informed: {
    yes: 'Yes, the people have been informed',
    planned: 'Not yet, but they will be',
    undetermined: 'Not yet determined',
    no: 'No, they will not be informed',
  },
  grounds: {
    '34-3-a': 'Art. 34(3)(a): data made unintelligible (encryption)',
    '34-3-b': 'Art. 34(3)(b): later measures make the high risk no longer likely',
    '34-3-c': 'Art. 34(3)(c): disproportionate effort, public communication instead',
  },
  categories: {
    'civil-status': 'Civil status, identity, identification data',
    nir: 'Social security number (NIR)',
    'contact-details': 'Contact details (postal or email address, phone)',
    'identification-access': 'Identification and access data (username, password, IP address)',
    financial: 'Economic and financial data (bank details, income, tax number)',
    'official-documents': 'Official documents (ID card, passport, driving licence)',
    'professional-life': 'Professional life (employer, SIREN/SIRET)',
    location: 'Location data',
    offences: 'Offences, convictions, security measures (art. 10)',
    health: 'Health data (art. 9)',
    'other-article-9': 'Other sensitive data (art. 9: origin, opinions, beliefs, union, genetic, biometric, sex life)',
  },
  severities: { negligible: 'Negligible', limited: 'Limited', significant: 'Significant', maximum: 'Maximum' },
  rules: {
    health: 'health data (article 9) is exposed',
    'nir-identity': 'the NIR is exposed with the name or date of birth: durable identity theft',
    'account-or-money': 'a password or bank details open an account or money',
    'identity-numbers': 'identity numbers (NIR, official documents, tax number) let someone pose as the person',
    'contact-or-identity': 'contact details and civil status make phishing and fraudulent calls convincing',
    'little-on-its-own': 'these data expose little on their own',
  },
  yes: 'Yes',
  no: 'No',
  none: 'None',
  notDetected: 'not detected by Vigie (to check)',
  ongoing: 'Ongoing',
  deadlinePassed: (h) => `passed ${h} h ago: give the reasons for the delay`,
  deadlineLeft: (h) => `${h} h left`,
  chartTitle: 'Records exposed per data class',
  chartDesc: (n) => `${n} data classes measured in the file; the most frequent first.`,
  classHeaders: ['Data', 'CNIL category', 'Records', 'Invalid values'],
  severityLead: (l) => `Proposed severity: ${l}.`,
  severityNote:
    'Computed from the exposed categories, on the CNIL’s four levels (negligible, limited, significant, maximum); for the organisation to confirm in its context.',
  consequencesLead: 'What each exposed data class lets a malicious third party do:',
  number: (n) => enNumber.format(n),
  dateTime: (s) => enDateTime.format(new Date(s)),
  date: (d) => enDay.format(new Date(`${d}T00:00:00Z`)),
};

export const DRAFT_TEXTS: Record<Lang, DraftTexts> = { fr, en };
