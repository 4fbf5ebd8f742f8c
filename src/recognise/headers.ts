import type { FieldKind } from './kinds.js';

/**
 * Header names → field kinds: French and English names, their usual abbreviations and
 * spellings as found in real exports (Excel, CRM, ERP, web APIs). Matching is done on the
 * folded form (lower case, no accents, punctuation to spaces), first on the whole name,
 * then on telling tokens.
 */
const EXACT: Record<FieldKind, string[]> = {
  email: [
    'email', 'e mail', 'mail', 'courriel', 'mel', 'adresse mail', 'adresse email', 'adresse e mail',
    'adresse electronique', 'adresse courriel', 'adr mail', 'email address', 'e mail address',
    'emailaddress', 'user email', 'mail perso', 'email perso', 'email pro', 'mail pro', 'emails',
  ],
  phone: [
    'tel', 'tél', 'telephone', 'phone', 'mobile', 'portable', 'gsm', 'tel portable', 'tel fixe', 'fixe',
    'telephone mobile', 'telephone portable', 'telephone fixe', 'num tel', 'numero telephone',
    'numero de telephone', 'no tel', 'n tel', 'n° tel', 'phone number', 'phonenumber', 'cell',
    'cellphone', 'tel domicile', 'tel pro', 'telephones', 'phones', 'mobile phone', 'tel mobile', 'msisdn',
  ],
  nir: [
    'nir', 'n secu', 'no secu', 'num secu', 'numero secu', 'numero securite sociale',
    'numero de securite sociale', 'securite sociale', 'secu', 'nss', 'insee', 'numero insee',
    'n insee', 'num ss', 'no ss', 'n ss', 'ssn', 'social security number', 'n° secu', 'n° ss', 'nir cle',
    'matricule secu',
  ],
  iban: ['iban', 'rib', 'code iban', 'compte bancaire', 'numero de compte', 'bank account', 'iban client'],
  siret: ['siret', 'n siret', 'num siret', 'numero siret', 'no siret'],
  siren: ['siren', 'n siren', 'num siren', 'numero siren'],
  dob: [
    'date de naissance', 'ddn', 'date naissance', 'naissance', 'dob', 'date of birth', 'birth date',
    'birthdate', 'birthday', 'ne le', 'nee le', 'ne e le', 'date nais', 'dt naiss', 'datenaissance',
    'date naiss', 'dnaiss', 'date de naiss',
  ],
  lastName: [
    'nom', 'nom de famille', 'nom usage', 'nom d usage', 'nom de naissance', 'nom naissance', 'last name',
    'lastname', 'surname', 'family name', 'nom patronymique', 'nom marital',
  ],
  firstName: ['prenom', 'prenoms', 'first name', 'firstname', 'given name', 'prenom usuel'],
  fullName: [
    'nom complet', 'full name', 'fullname', 'name', 'nom prenom', 'prenom nom', 'identite', 'titulaire',
    'display name', 'displayname', 'nom et prenom', 'nom prenoms', 'contact', 'common name',
  ],
  address: [
    'adresse', 'adresse postale', 'rue', 'voie', 'address', 'street', 'adresse1', 'adresse 1',
    'adresse ligne 1', 'ligne adresse', 'libelle voie', 'adr', 'address line 1', 'street address',
    'adresse domicile', 'complement adresse', 'adresse 2', 'adresse2',
  ],
  postcode: ['cp', 'code postal', 'codepostal', 'postcode', 'zip', 'zipcode', 'zip code', 'postal code', 'c p'],
  city: ['ville', 'commune', 'localite', 'city', 'town', 'ville naissance', 'lieu naissance', 'locality name'],
  password: [
    'password', 'mot de passe', 'mdp', 'pwd', 'pass', 'passwd', 'hash', 'password hash', 'motdepasse',
    'mot passe', 'pass hash', 'passwordhash', 'hashed password', 'secret',
  ],
  username: ['login', 'username', 'user name', 'pseudo', 'user', 'nom utilisateur', 'nom d utilisateur', 'handle', 'samaccountname'],
  accountId: [
    'identifiant', 'id compte', 'id client', 'client id', 'numero client', 'n client', 'customer id', 'user id',
    'userid', 'account id', 'accountid', 'num client', 'ref client', 'numero dossier', 'id dossier',
    'id usager', 'usager id', 'numero usager', 'no client', 'id utilisateur', 'utilisateur id', 'numero compte', 'account',
    'compte', 'num compte',
  ],
  ip: ['ip', 'adresse ip', 'ip address', 'ip addr', 'last ip', 'ip connexion', 'derniere ip', 'ipaddress'],
  gender: ['sexe', 'genre', 'civilite', 'gender', 'sex', 'titre', 'title', 'civ'],
  employer: ['employeur', 'entreprise', 'societe', 'raison sociale', 'company', 'employer', 'organisation', 'organization', 'organization name'],
  text: ['commentaire', 'commentaires', 'comment', 'comments', 'notes', 'note', 'remarque', 'remarques', 'message', 'observations', 'description', 'bio'],
};

/** Tokens that name a kind wherever they stand in a longer header, tried in this order. */
const TOKENS: [RegExp, FieldKind][] = [
  [/\b(e ?mail|courriel|mel)\b/, 'email'],
  [/\b(prenoms?|first ?name|given ?name)\b/, 'firstName'],
  [/\bdate\b.*\bnaiss|\bnaiss\w* date\b|\bbirth/, 'dob'],
  [/\b(tel|telephone|phone|portable|mobile|gsm|fixe)\b/, 'phone'],
  [/\b(nir|secu|insee|securite sociale)\b/, 'nir'],
  [/\biban\b/, 'iban'],
  [/\bsiret\b/, 'siret'],
  [/\bsiren\b/, 'siren'],
  [/\b(code postal|cp|zip|postcode)\b/, 'postcode'],
  [/\b(ville|commune|city|localite)\b/, 'city'],
  [/\b(adresse|address|rue|street)\b/, 'address'],
  [/\b(mot de passe|mdp|password|passwd|pwd|hash)\b/, 'password'],
  [/\b(nom|last ?name|surname)\b/, 'lastName'],
  [/\b(login|username|pseudo)\b/, 'username'],
  [/\b(ip)\b/, 'ip'],
  [/\b(sexe|civilite|gender)\b/, 'gender'],
  [/\b(employeur|entreprise|societe|employer|company)\b/, 'employer'],
  // A bare `id` is any table's key (an order, a row), not a person's account: only `identifiant`.
  [/\bidentifiant\b/, 'accountId'],
];

/**
 * Headers that name a date other than a birth date (`date_commande`, `created_at`,
 * `last_update`, `date_inscription`): their values validate as dates of birth, but they are
 * the record keeping's own timestamps, or an event's.
 */
export function namesOtherDate(header: string): boolean {
  const f = foldHeader(header.replace(/([a-z])([A-Z])/g, '$1 $2'));
  if (/naiss|birth|\bborn\b|\bddn\b|\bdob\b|\bnee?\b/.test(f)) return false;
  return /\b(date|dt|jour|created?|updated?|modified|deleted|inserted|insert|last|at|le|on|time|timestamp|ts|heure|echeance|expiration|validite|inscription|creation|modification|maj|connexion|login|visite|commande|order|paiement|payment|livraison|delivery|envoi|sent|rental|return|retour|import|export|sync|enregistrement)\b/.test(f);
}

/**
 * A key into another table (`address_id`, `city_id`, `id_adresse`, `ville_fk`): a number that
 * points at a row, not the address or city it is named after. Only the account identifiers'
 * own names (`id_client`, `customer_id`, `user_id`) are kept, by the exact list.
 */
const FOREIGN_KEY = /\b(id|fk|pk)\b/;

/** Lower case, accents removed, everything but letters and digits to single spaces. */
export function foldHeader(header: string): string {
  return header
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/([a-z])([0-9])/g, '$1 $2')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const exactMap = new Map<string, FieldKind>();
for (const [kind, names] of Object.entries(EXACT) as [FieldKind, string[]][]) {
  for (const n of names) {
    const f = foldHeader(n);
    if (!exactMap.has(f)) exactMap.set(f, kind);
    const joined = f.replace(/ /g, '');
    if (!exactMap.has(joined)) exactMap.set(joined, kind);
  }
}

/** Splits camelCase (`dateNaissance`, `firstName`) before folding. */
function splitCamel(s: string): string {
  return s.replace(/([a-z])([A-Z])/g, '$1 $2');
}

/**
 * The field kind a header names, or null.
 * JSON paths (`contact.telephones[0]`, `adresse.ville`) are tried by their last segment,
 * then with their parent (`telephones`).
 * @example kindFromHeader('N° Sécu') // 'nir'
 */
export function kindFromHeader(header: string): FieldKind | null {
  const segments = header
    .split('.')
    .map((s) => s.replace(/\[\d+\]/g, ''))
    .filter((s) => s.length > 0)
    .reverse();
  for (const seg of segments) {
    const f = foldHeader(splitCamel(seg));
    const exact = exactMap.get(f) ?? exactMap.get(f.replace(/ /g, ''));
    if (exact) return exact;
    if (FOREIGN_KEY.test(f)) return null;
    for (const [re, kind] of TOKENS) if (re.test(f)) return kind;
  }
  return null;
}

/**
 * The column name as reports may show it, or `column_N`. Headers come from the leak: a
 * headerless file's first record taken for a header, or JSON keyed by email
 * (`{"camille@exemple.fr": {...}}`), would otherwise print leaked values. A name is shown
 * only when each of its path segments names a known field, or is a lower-case identifier
 * (`statut`, `date_commande`) with no `@` and fewer than five digits.
 */
export function safeColumnName(name: string, index: number): string {
  const segments = name.split('.');
  const ok = segments.every((seg) => {
    const s = seg.replace(/\[\d+\]/g, '');
    if (s.length === 0 || s.length > 40 || s.includes('@')) return false;
    if ((s.match(/\d/g)?.length ?? 0) >= 5) return false;
    return kindFromHeader(s) !== null || /^[a-z_][a-z0-9_-]*$/.test(s);
  });
  return ok && segments.length <= 8 ? name : `column_${index + 1}`;
}
