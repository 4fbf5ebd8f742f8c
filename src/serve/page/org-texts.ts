/**
 * The organisation view's words, French first: the operator's login with an API key, the leaks
 * with their measured counts, and the CNIL notification draft of each (whose own words live in
 * src/notify).
 */
import type { Lang } from '../../guidance/index.js';

export const ORG_PATHS = {
  fr: { view: '/organisation', login: '/organisation/connexion', logout: '/organisation/deconnexion', leak: '/organisation/fuites' },
  en: { view: '/en/organisation', login: '/en/organisation/login', logout: '/en/organisation/logout', leak: '/en/organisation/breaches' },
} as const satisfies Record<Lang, { view: string; login: string; logout: string; leak: string }>;

interface OrgTexts {
  footerLink: string;
  title: string;
  loginIntro: string;
  keyLabel: string;
  keyHint: string;
  login: string;
  badKey: string;
  signedIn(name: string): string;
  logout: string;
  intro: string;
  empty: string;
  tableCaption: string;
  /** Leak, then the three counts. */
  headers: readonly [string, string, string, string];
  draftLink(title: string): string;
  /** The visible text of the link to a leak's draft (its accessible name adds the leak's title). */
  draftShort: string;
  back: string;
  noSuchLeak: string;
}

export const ORG_TEXTS: Record<Lang, OrgTexts> = {
  fr: {
    footerLink: 'Espace organisation',
    title: 'Espace organisation',
    loginIntro:
      'Réservé à l’équipe qui exploite ce service : saisissez une clé d’API (créée avec « vigie apikey create »). Elle ouvre une session de 8 heures dans ce navigateur ; la clé elle-même n’y est pas conservée.',
    keyLabel: 'Clé d’API',
    keyHint: '32 caractères hexadécimaux, tels qu’affichés à leur création.',
    login: 'Se connecter',
    badKey: 'Cette clé n’est pas reconnue : elle est inconnue ou a été révoquée.',
    signedIn: (name) => `Connecté avec la clé « ${name} ».`,
    logout: 'Se déconnecter',
    intro:
      'Pour chaque fuite : ce que Vigie a mesuré, et le projet de notification à la CNIL (article 33 du RGPD) établi à partir de ces mesures, du profil de l’organisation et de ce qui a été déclaré sur l’incident.',
    empty: 'Aucune fuite n’a encore été publiée.',
    tableCaption: 'Fuites publiées et comptes mesurés',
    headers: ['Fuite', 'Personnes', 'Enregistrements', 'Identifiants distincts'],
    draftLink: (title) => `Projet de notification : ${title}`,
    draftShort: 'Voir le projet de notification à la CNIL',
    back: 'Retour à la liste des fuites',
    noSuchLeak: 'Aucune fuite ne porte ce nom.',
  },
  en: {
    footerLink: 'Organisation area',
    title: 'Organisation area',
    loginIntro:
      'For the team that runs this service: enter an API key (made with “vigie apikey create”). It opens an 8-hour session in this browser; the key itself is not kept there.',
    keyLabel: 'API key',
    keyHint: '32 hexadecimal characters, as shown when it was created.',
    login: 'Sign in',
    badKey: 'This key is not recognised: it is unknown or was revoked.',
    signedIn: (name) => `Signed in with the key “${name}”.`,
    logout: 'Sign out',
    intro:
      'For each leak: what Vigie measured, and the draft notification to the CNIL (GDPR article 33) built from those measures, the organisation profile and what was stated about the incident.',
    empty: 'No leak has been published yet.',
    tableCaption: 'Published leaks and measured counts',
    headers: ['Leak', 'People', 'Records', 'Distinct identifiers'],
    draftLink: (title) => `Draft notification: ${title}`,
    draftShort: 'Open the draft notification to the CNIL',
    back: 'Back to the list of leaks',
    noSuchLeak: 'No leak has this name.',
  },
};
