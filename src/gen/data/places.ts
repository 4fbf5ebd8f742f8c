/**
 * Real communes with their real postcodes (La Poste), metropolitan, Corsican and overseas,
 * plus street vocabulary and birth places for NIRs (INSEE codes). `phone` is the landline
 * zone of the commune: ARCEP's 01–05 regions in metropolitan France, or the overseas
 * territory whose numbers its residents have.
 */

export type PhoneZone = '1' | '2' | '3' | '4' | '5' | 'GP' | 'MQ' | 'GF' | 'RE' | 'YT';

export interface Commune {
  city: string;
  postcodes: readonly string[];
  /** Relative share of residents. */
  weight: number;
  phone: PhoneZone;
}

function range(prefix: string, from: number, to: number): string[] {
  const out: string[] = [];
  for (let i = from; i <= to; i++) out.push(prefix + String(i).padStart(2, '0'));
  return out;
}

export const COMMUNES: readonly Commune[] = [
  { city: 'Paris', postcodes: range('750', 1, 20), weight: 22, phone: '1' },
  { city: 'Marseille', postcodes: range('130', 1, 16), weight: 9, phone: '4' },
  { city: 'Lyon', postcodes: range('690', 1, 9), weight: 6, phone: '4' },
  { city: 'Toulouse', postcodes: ['31000', '31100', '31200', '31300', '31400', '31500'], weight: 5, phone: '5' },
  { city: 'Nice', postcodes: ['06000', '06100', '06200', '06300'], weight: 3.5, phone: '4' },
  { city: 'Nantes', postcodes: ['44000', '44100', '44200', '44300'], weight: 3, phone: '2' },
  { city: 'Strasbourg', postcodes: ['67000', '67100', '67200'], weight: 3, phone: '3' },
  { city: 'Montpellier', postcodes: ['34000', '34070', '34080', '34090'], weight: 3, phone: '4' },
  { city: 'Bordeaux', postcodes: ['33000', '33100', '33200', '33300', '33800'], weight: 3, phone: '5' },
  { city: 'Lille', postcodes: ['59000', '59800'], weight: 2.5, phone: '3' },
  { city: 'Rennes', postcodes: ['35000', '35200', '35700'], weight: 2.2, phone: '2' },
  { city: 'Reims', postcodes: ['51100'], weight: 1.8, phone: '3' },
  { city: 'Saint-Étienne', postcodes: ['42000', '42100'], weight: 1.7, phone: '4' },
  { city: 'Toulon', postcodes: ['83000', '83100', '83200'], weight: 1.7, phone: '4' },
  { city: 'Le Havre', postcodes: ['76600'], weight: 1.6, phone: '2' },
  { city: 'Grenoble', postcodes: ['38000', '38100'], weight: 1.6, phone: '4' },
  { city: 'Dijon', postcodes: ['21000'], weight: 1.5, phone: '3' },
  { city: 'Angers', postcodes: ['49000', '49100'], weight: 1.5, phone: '2' },
  { city: 'Nîmes', postcodes: ['30000', '30900'], weight: 1.4, phone: '4' },
  { city: 'Villeurbanne', postcodes: ['69100'], weight: 1.4, phone: '4' },
  { city: 'Clermont-Ferrand', postcodes: ['63000', '63100'], weight: 1.4, phone: '4' },
  { city: 'Aix-en-Provence', postcodes: ['13090', '13100'], weight: 1.3, phone: '4' },
  { city: 'Le Mans', postcodes: ['72000', '72100'], weight: 1.3, phone: '2' },
  { city: 'Brest', postcodes: ['29200'], weight: 1.3, phone: '2' },
  { city: 'Tours', postcodes: ['37000', '37100', '37200'], weight: 1.3, phone: '2' },
  { city: 'Amiens', postcodes: ['80000', '80080', '80090'], weight: 1.2, phone: '3' },
  { city: 'Limoges', postcodes: ['87000', '87100', '87280'], weight: 1.2, phone: '5' },
  { city: 'Annecy', postcodes: ['74000'], weight: 1.1, phone: '4' },
  { city: 'Perpignan', postcodes: ['66000'], weight: 1.1, phone: '4' },
  { city: 'Metz', postcodes: ['57000', '57050', '57070'], weight: 1.1, phone: '3' },
  { city: 'Besançon', postcodes: ['25000'], weight: 1.1, phone: '3' },
  { city: 'Orléans', postcodes: ['45000'], weight: 1.1, phone: '2' },
  { city: 'Rouen', postcodes: ['76000', '76100'], weight: 1.1, phone: '2' },
  { city: 'Caen', postcodes: ['14000'], weight: 1, phone: '2' },
  { city: 'Nancy', postcodes: ['54000'], weight: 1, phone: '3' },
  { city: 'Mulhouse', postcodes: ['68100', '68200'], weight: 1, phone: '3' },
  { city: 'Saint-Denis', postcodes: ['93200'], weight: 1.1, phone: '1' },
  { city: 'Boulogne-Billancourt', postcodes: ['92100'], weight: 1.1, phone: '1' },
  { city: "L'Haÿ-les-Roses", postcodes: ['94240'], weight: 0.6, phone: '1' },
  { city: 'Neuilly-sur-Seine', postcodes: ['92200'], weight: 0.6, phone: '1' },
  { city: 'Montreuil', postcodes: ['93100'], weight: 1, phone: '1' },
  { city: 'Créteil', postcodes: ['94000'], weight: 0.9, phone: '1' },
  { city: 'Cergy', postcodes: ['95000'], weight: 0.7, phone: '1' },
  { city: 'Évry-Courcouronnes', postcodes: ['91000'], weight: 0.7, phone: '1' },
  { city: 'Versailles', postcodes: ['78000'], weight: 0.8, phone: '1' },
  { city: 'Melun', postcodes: ['77000'], weight: 0.5, phone: '1' },
  { city: 'Pau', postcodes: ['64000'], weight: 0.7, phone: '5' },
  { city: 'Bayonne', postcodes: ['64100'], weight: 0.5, phone: '5' },
  { city: 'La Rochelle', postcodes: ['17000'], weight: 0.7, phone: '5' },
  { city: 'Poitiers', postcodes: ['86000'], weight: 0.8, phone: '5' },
  { city: 'Niort', postcodes: ['79000'], weight: 0.5, phone: '5' },
  { city: 'Vannes', postcodes: ['56000'], weight: 0.5, phone: '2' },
  { city: 'Lorient', postcodes: ['56100'], weight: 0.5, phone: '2' },
  { city: 'Quimper', postcodes: ['29000'], weight: 0.5, phone: '2' },
  { city: 'Saint-Brieuc', postcodes: ['22000'], weight: 0.4, phone: '2' },
  { city: 'Cherbourg-en-Cotentin', postcodes: ['50100'], weight: 0.5, phone: '2' },
  { city: 'Arras', postcodes: ['62000'], weight: 0.4, phone: '3' },
  { city: 'Calais', postcodes: ['62100'], weight: 0.5, phone: '3' },
  { city: 'Dunkerque', postcodes: ['59140'], weight: 0.6, phone: '3' },
  { city: 'Charleville-Mézières', postcodes: ['08000'], weight: 0.4, phone: '3' },
  { city: 'Troyes', postcodes: ['10000'], weight: 0.5, phone: '3' },
  { city: 'Épinal', postcodes: ['88000'], weight: 0.3, phone: '3' },
  { city: 'Belfort', postcodes: ['90000'], weight: 0.4, phone: '3' },
  { city: 'Chambéry', postcodes: ['73000'], weight: 0.5, phone: '4' },
  { city: 'Gap', postcodes: ['05000'], weight: 0.3, phone: '4' },
  { city: 'Digne-les-Bains', postcodes: ['04000'], weight: 0.2, phone: '4' },
  { city: 'Avignon', postcodes: ['84000'], weight: 0.7, phone: '4' },
  { city: 'Valence', postcodes: ['26000'], weight: 0.5, phone: '4' },
  { city: 'Privas', postcodes: ['07000'], weight: 0.1, phone: '4' },
  { city: 'Mende', postcodes: ['48000'], weight: 0.1, phone: '4' },
  { city: 'Rodez', postcodes: ['12000'], weight: 0.2, phone: '5' },
  { city: 'Cahors', postcodes: ['46000'], weight: 0.2, phone: '5' },
  { city: 'Albi', postcodes: ['81000'], weight: 0.4, phone: '5' },
  { city: 'Tarbes', postcodes: ['65000'], weight: 0.3, phone: '5' },
  { city: 'Foix', postcodes: ['09000'], weight: 0.1, phone: '5' },
  { city: 'Carcassonne', postcodes: ['11000'], weight: 0.4, phone: '4' },
  { city: 'Mont-de-Marsan', postcodes: ['40000'], weight: 0.3, phone: '5' },
  { city: 'Périgueux', postcodes: ['24000'], weight: 0.3, phone: '5' },
  { city: 'Brive-la-Gaillarde', postcodes: ['19100'], weight: 0.4, phone: '5' },
  { city: 'Guéret', postcodes: ['23000'], weight: 0.1, phone: '5' },
  { city: 'Montluçon', postcodes: ['03100'], weight: 0.3, phone: '4' },
  { city: 'Bourg-en-Bresse', postcodes: ['01000'], weight: 0.4, phone: '4' },
  { city: 'Saint-Quentin', postcodes: ['02100'], weight: 0.4, phone: '3' },
  { city: 'Beauvais', postcodes: ['60000'], weight: 0.4, phone: '3' },
  { city: 'Ajaccio', postcodes: ['20000', '20090'], weight: 0.6, phone: '4' },
  { city: 'Bastia', postcodes: ['20200', '20600'], weight: 0.5, phone: '4' },
  { city: 'Corte', postcodes: ['20250'], weight: 0.1, phone: '4' },
  { city: 'Porto-Vecchio', postcodes: ['20137'], weight: 0.1, phone: '4' },
  { city: 'Pointe-à-Pitre', postcodes: ['97110'], weight: 1.2, phone: 'GP' },
  { city: 'Les Abymes', postcodes: ['97139'], weight: 1.2, phone: 'GP' },
  { city: 'Basse-Terre', postcodes: ['97100'], weight: 0.6, phone: 'GP' },
  { city: 'Fort-de-France', postcodes: ['97200'], weight: 1.6, phone: 'MQ' },
  { city: 'Le Lamentin', postcodes: ['97232'], weight: 0.8, phone: 'MQ' },
  { city: 'Cayenne', postcodes: ['97300'], weight: 1.2, phone: 'GF' },
  { city: 'Kourou', postcodes: ['97310'], weight: 0.5, phone: 'GF' },
  { city: 'Saint-Denis', postcodes: ['97400', '97490'], weight: 2, phone: 'RE' },
  { city: 'Saint-Pierre', postcodes: ['97410'], weight: 1, phone: 'RE' },
  { city: 'Saint-Paul', postcodes: ['97460'], weight: 1, phone: 'RE' },
  { city: 'Le Tampon', postcodes: ['97430'], weight: 0.8, phone: 'RE' },
  { city: 'Mamoudzou', postcodes: ['97600'], weight: 1, phone: 'YT' },
];

/** Street types with their relative frequency. `lieu-dit` is handled apart: it has no number. */
export const STREET_TYPES: readonly string[] = [
  'rue', 'avenue', 'boulevard', 'impasse', 'allée', 'chemin', 'place', 'quai', 'route', 'square', 'cours',
];
export const STREET_TYPE_WEIGHTS: readonly number[] = [50, 12, 6, 6, 7, 6, 3, 2, 5, 1, 1];

export const STREET_NAMES: readonly string[] = [
  'de la République', 'Victor Hugo', 'Jean Jaurès', 'du Général de Gaulle', 'de la Paix', 'des Lilas',
  'Pasteur', 'de la Gare', 'du Moulin', 'des Écoles', "de l'Église", 'du Château', 'Gambetta',
  'Jules Ferry', 'Émile Zola', 'des Tilleuls', 'du Stade', 'de Verdun', 'Carnot', 'Voltaire',
  'Pierre et Marie Curie', 'Anatole France', 'du 8 Mai 1945', 'du 11 Novembre 1918', 'des Acacias',
  'du Maréchal Foch', 'Jean Moulin', 'de la Libération', 'du Port', 'de Bretagne', 'des Peupliers',
  'des Roses', 'du Bourg', 'Saint-Exupéry', "d'Alsace-Lorraine", "de l'Abbé Pierre", 'des Mimosas',
  'Frédéric Mistral', 'Albert Camus', 'du Cœur Volant', 'de la Fontaine', 'des Vignes', 'du Lavoir',
  'de Provence', 'des Cerisiers', "de l'Hôtel de Ville", 'Aimé Césaire', 'Lucie Aubrac', 'Simone Veil',
  'des Frères Lumière', 'de la Mairie', 'du Calvaire', 'Henri IV', 'des Bleuets', 'de Normandie',
  'du Commandant Charcot', 'de la Croix Rouge', 'Pablo Neruda', 'Louise Michel', 'des Œillets',
];

export const LIEUX_DITS: readonly string[] = [
  'Les Granges', 'Kerbrat', 'Le Moulin Neuf', 'La Croix Blanche', 'Le Bourg', 'La Métairie',
  'Les Quatre Chemins', 'Le Pré Vert', 'La Fontaine aux Loups', 'Kerhuel', 'Le Haut-Bois',
  'Les Écarts', 'La Grange Rouge', "Mas de l'Étang", 'Les Bruyères', 'La Borde',
];

/** Metropolitan departments of birth in a NIR (Corsica apart: 20 before 1976, 2A/2B after). */
export const METRO_DEPARTMENTS: readonly string[] = range('', 1, 95).filter((d) => d !== '20');

/** Corsican birth communes (INSEE commune numbers within 2A / 2B). */
export const CORSICA_BIRTH: readonly { dept: '2A' | '2B'; commune: string }[] = [
  { dept: '2A', commune: '004' }, // Ajaccio
  { dept: '2B', commune: '033' }, // Bastia
  { dept: '2A', commune: '247' }, // Porto-Vecchio
  { dept: '2B', commune: '096' }, // Corte
  { dept: '2B', commune: '050' }, // Calvi
  { dept: '2A', commune: '272' }, // Sartène
];

/** Overseas departments of birth: 3-digit department, then a 2-digit commune up to `communes`. */
export const OVERSEAS_BIRTH: readonly { dept: string; communes: number }[] = [
  { dept: '971', communes: 32 },
  { dept: '972', communes: 34 },
  { dept: '973', communes: 22 },
  { dept: '974', communes: 24 },
];

/** INSEE country codes (the 3 digits after `99`) for births abroad. */
export const BIRTH_COUNTRIES: readonly string[] = [
  '350', // Maroc
  '352', // Algérie
  '351', // Tunisie
  '139', // Portugal
  '134', // Espagne
  '127', // Italie
  '109', // Allemagne
  '131', // Belgique
  '132', // Royaume-Uni
  '208', // Turquie
  '341', // Sénégal
  '243', // Viêt Nam
];
