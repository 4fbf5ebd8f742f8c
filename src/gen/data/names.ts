/**
 * Given names and surnames common in France, chosen to exercise what real files contain:
 * accents (é è ë ï ô ç), ligatures (æ œ), hyphens, particles, apostrophes, names from the
 * Maghreb, West Africa, Portugal, Italy, Vietnam, Poland and Germany. They are lists of
 * names, not of people: every person is a random combination.
 *
 * Constraints checked by names.test.ts: no two entries fold to the same key, no word is both
 * a given name and a surname (so a name keyed by its sorted folded words identifies the pair
 * whatever the column order), and every character exists in Windows-1252.
 */

/** Female given names. */
export const FEMALE_FIRST_NAMES: readonly string[] = [
  'Éloïse', 'Maëlle', 'Anaïs', 'Zoé', 'Chloé', 'Léa', 'Manon', 'Camille', 'Inès', 'Jade', 'Louise',
  'Emma', 'Léna', 'Lina', 'Mila', 'Ambre', 'Alice', 'Rose', 'Anna', 'Juliette', 'Clémence',
  'Margaux', 'Océane', 'Mathilde', 'Pauline', 'Sarah', 'Laura', 'Julie', 'Nathalie', 'Isabelle',
  'Sylvie', 'Catherine', 'Françoise', 'Monique', 'Martine', 'Christine', 'Valérie', 'Sandrine',
  'Stéphanie', 'Céline', 'Aurélie', 'Émilie', 'Élodie', 'Hélène', 'Agnès', 'Brigitte', 'Danièle',
  'Josiane', 'Geneviève', 'Jacqueline', 'Annie', 'Odile', 'Thérèse', 'Bernadette', 'Ginette',
  'Yvette', 'Paulette', 'Noémie', 'Héloïse', 'Gaëlle', 'Nolwenn', 'Solène', 'Maïwenn', 'Capucine',
  'Apolline', 'Bérénice', 'Joséphine', 'Marie-Claire', 'Anne-Sophie', 'Marie-Hélène', 'Marie-Noëlle',
  'Fatima', 'Aïcha', 'Yasmina', 'Amina', 'Khadija', 'Mélissa', 'Awa', 'Aminata', 'Fatoumata',
  'Lætitia', 'Cécile', 'Béatrice', 'Véronique', 'Mireille', 'Colette', 'Élise', 'Constance',
  'Victoire', 'Adèle', 'Salomé', 'Zélie', 'Maud', 'Soizic', 'Nour', 'Lucie', 'Charlotte', 'Margot',
  'Clara', 'Eva', 'Romane', 'Agathe', 'Jeanne', 'Nadia', 'Leïla', 'Samia', 'Sabrina', 'Karine',
  'Corinne', 'Florence', 'Virginie', 'Delphine', 'Caroline', 'Laurence', 'Patricia', 'Dominique',
  'Ophélie', 'Gwenaëlle', 'Maryvonne', 'Huguette', 'Raymonde', 'Éliane', 'Lydie', 'Ségolène',
];

/** Male given names. */
export const MALE_FIRST_NAMES: readonly string[] = [
  'Jean-Baptiste', 'François', 'Noël', 'Jean', 'Pierre', 'Michel', 'André', 'Philippe', 'Alain',
  'Jacques', 'Daniel', 'Patrick', 'Christian', 'Nicolas', 'Laurent', 'Frédéric', 'Stéphane', 'Éric',
  'Olivier', 'Thierry', 'Sébastien', 'Julien', 'Christophe', 'Pascal', 'David', 'Guillaume', 'Jérôme',
  'Vincent', 'Mathieu', 'Antoine', 'Maxime', 'Alexandre', 'Thomas', 'Hugo', 'Lucas', 'Louis',
  'Gabriel', 'Raphaël', 'Arthur', 'Jules', 'Léo', 'Adam', 'Maël', 'Noé', 'Timothée', 'Benoît',
  'Gérard', 'René', 'Roger', 'Marcel', 'Raymond', 'Henri', 'Gilles', 'Didier', 'Serge', 'Yves',
  'Hervé', 'Loïc', 'Yann', 'Gwenaël', 'Erwan', 'Killian', 'Mohamed', 'Karim', 'Mehdi', 'Youssef',
  'Rachid', 'Samir', 'Mamadou', 'Moussa', 'Ibrahima', 'Cheikh', 'Jean-Pierre', 'Jean-Luc',
  'Jean-Marc', 'Jean-Claude', 'Jean-François', 'Pierre-Yves', 'Jean-Michel', 'Marc-Antoine',
  'Paul', 'Joël', 'Aurélien', 'Cédric', 'Grégory', 'Jérémy', 'Kévin', 'Anthony', 'Florian', 'Romain',
  'Clément', 'Quentin', 'Bastien', 'Théo', 'Enzo', 'Nathan', 'Ethan', 'Mathis', 'Tom', 'Baptiste',
  'Valentin', 'Corentin', 'Gaël', 'Anselme', 'Honoré', 'Émile', 'Gaston', 'Lucien', 'Marius',
  'Achille', 'Côme', 'Benjamin', 'Samuel', 'Simon', 'Victor', 'Xavier', 'Yannick', 'Fabrice',
  'Ludovic', 'Arnaud', 'Franck', 'Bruno', 'Claude', 'Maurice', 'Albert', 'Georges', 'Ahmed',
];

/** Surnames, including particles (Le, Da, De, Dos), apostrophes and non-French spellings. */
export const SURNAMES: readonly string[] = [
  'Martin', 'Bernard', 'Dubois', 'Durand', 'Lefèvre', 'Lefebvre', 'Leroy', 'Moreau', 'Fournier',
  'Girard', 'Bonnet', 'Dupont', 'Lambert', 'Fontaine', 'Rousseau', 'Blanc', 'Guérin', 'Müller',
  'Henry', 'Roussel', 'Perrin', 'Morin', 'Gauthier', 'Dumont', 'Lopez', 'Chevalier', 'Robin',
  'Masson', 'Sanchez', 'Nguyen', 'Boyer', 'Denis', 'Lemaire', 'Duval', 'Joly', 'Gautier', 'Roche',
  'Rouxel', 'Meyer', 'Meunier', 'Pérez', 'Marchand', 'Dufour', 'Blanchard', 'Barbier', 'Bruneau', 'Dumas',
  'Brunet', 'Schmitt', 'Colin', 'Fernandez', 'Renard', 'Rolland', 'Caron', 'Aubert',
  'Giraud', 'Leclerc', 'Vidal', 'Bourgeois', 'Renaud', 'Lemoine', 'Picard', 'Gaillard', 'Leclercq',
  'Lacroix', 'Fabre', 'Dupuis', 'Rodriguez', 'Da Silva', 'Hubert', 'Charpentier', 'Guillot',
  'Rivière', 'Le Gall', 'Rey', 'Moulin', 'Gonzalez', 'Berger', 'Lecomte', 'Ménard', 'Fleury',
  'Deschamps', 'Carpentier', 'Maillard', 'Marchal', 'Aubry', 'Vasseur', 'Le Roux', 'Renault',
  'Jacquet', 'Collet', 'Prévost', 'Poirier', 'Royer', 'Huet', 'Baron', 'Dupuy', 'Pons', 'Carré',
  'Breton', 'Rémy', 'Schneider', 'Perrot', 'Guyot', 'Barre', 'Marty', 'Cousin', 'Le Goff',
  'Le Bihan', 'Le Floch', 'Kervella', 'Tanguy', 'Quéméner', "N'Diaye", 'Diallo', 'Traoré', 'Diop',
  'Camara', 'Sow', 'Koné', 'Cissé', 'Benali', 'Haddad', 'Bensaïd', 'Mansouri', 'Belkacem',
  'Chaouch', "D'Angelo", "D'Amico", 'De Sousa', 'Dos Santos', 'Ferreira', 'Pereira', 'Rodrigues',
  'Gomes', 'Lopes', 'Oliveira', 'Costa', 'Fernandes', 'Tran', 'Pham', 'Truong', 'Huynh', 'Rossi',
  'Russo', 'Bianchi', 'Esposito', 'Ricci', 'Kowalski', 'Nowak', 'Wójcik', 'Schäfer', 'Weiß',
  'Boulanger', 'Delacroix', 'Desmoulins', 'Cœurdevey', "L'Hermite", "D'Hondt", 'De La Fontaine',
  'Le Bris', 'Béranger', 'Bouvier', 'Lebrun', 'Marchetti', 'Ollivier', 'Texier', 'Bouchet',
  'Régnier', 'Grégoire', 'Chauvin', 'Ferrand', 'Poulain', 'Bailly', 'Lemaître-Dupuy', 'Saint-Martin',
];
