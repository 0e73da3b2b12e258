/** Name and place lists for the synthetic academy: French spellings with accents, compound and double names. */
export const FEMALE_FIRST_NAMES = [
  'Emma', 'Jade', 'Louise', 'Alice', 'Chloé', 'Léa', 'Manon', 'Inès', 'Léna', 'Zoé', 'Camille', 'Élise', 'Héloïse',
  'Anaïs', 'Maëlys', 'Noémie', 'Clémence', 'Océane', 'Agathe', 'Salomé', 'Mathilde', 'Juliette', 'Lou', 'Romane',
  'Ambre', 'Rose', 'Anna', 'Mila', 'Julia', 'Sarah', 'Yasmine', 'Aïcha', 'Fatoumata', 'Maryam', 'Nour', 'Hélène',
  'Céline', 'Sophie', 'Nathalie', 'Isabelle', 'Sandrine', 'Stéphanie', 'Valérie', 'Aurélie', 'Émilie', 'Laëtitia',
  'Marie-Ève', 'Anne-Sophie', 'Marie-Claire', 'Marie-Hélène', 'Anne-Laure', 'Lou-Anne', 'Marie-Noëlle', 'Éloïse',
];

export const MALE_FIRST_NAMES = [
  'Gabriel', 'Léo', 'Raphaël', 'Louis', 'Arthur', 'Jules', 'Adam', 'Lucas', 'Hugo', 'Noé', 'Éthan', 'Maël', 'Timéo',
  'Nathan', 'Théo', 'Sacha', 'Enzo', 'Mathéo', 'Clément', 'Benoît', 'Jérôme', 'Stéphane', 'Frédéric', 'Sébastien',
  'François', 'Grégoire', 'Rémi', 'Loïc', 'Anaël', 'Yanis', 'Mohamed', 'Ibrahima', 'Karim', 'Mehdi', 'Thomas',
  'Nicolas', 'Julien', 'Olivier', 'Laurent', 'Thierry', 'Pascal', 'Éric', 'Hervé', 'Joël', 'Gaël', 'Noël',
  'Jean-Baptiste', 'Jean-François', 'Pierre-Louis', 'Jean-Marc', 'Paul-Émile', 'Jean-Noël', 'Marc-Antoine',
];

export const LAST_NAMES = [
  'Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon',
  'Laurent', 'Lefèvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier', 'Morel', 'Girard',
  'André', 'Lefebvre', 'Mercier', 'Dupont', 'Lambert', 'Bonnet', 'François', 'Martinez', 'Légaré', 'Bélanger',
  'Gaillard', 'Chevalier', 'Brunet', 'Boyer', 'Rivière', 'Lacôte', 'Féraud', 'Hénault', 'Béranger', 'Cazenave',
  'Larrieu', 'Castéra', 'Pujol', 'Sarrazin', 'Delmas', 'Cabanès', 'Estève', 'Jaurès', 'Ménard', 'Noël', 'Benoît',
  'Da Silva', 'Dos Santos', 'Nguyen', 'Traoré', 'Diallo', 'Ben Ali', 'Haddad', 'Kaya', 'Le Goff', 'Le Gall',
  "D'Almeida", 'De La Fontaine', 'Saint-Martin', 'Besançon', 'Nœl', 'Lætitia',
];

export interface City {
  name: string;
  postalCode: string;
  /** Département code as used in UAIs (3 digits). */
  department: string;
}

/** Cities of the académie de Toulouse. */
export const CITIES: readonly City[] = [
  { name: 'Toulouse', postalCode: '31000', department: '031' },
  { name: 'Colomiers', postalCode: '31770', department: '031' },
  { name: 'Tournefeuille', postalCode: '31170', department: '031' },
  { name: 'Muret', postalCode: '31600', department: '031' },
  { name: 'Saint-Gaudens', postalCode: '31800', department: '031' },
  { name: 'Montauban', postalCode: '82000', department: '082' },
  { name: 'Albi', postalCode: '81000', department: '081' },
  { name: 'Castres', postalCode: '81100', department: '081' },
  { name: 'Rodez', postalCode: '12000', department: '012' },
  { name: 'Millau', postalCode: '12100', department: '012' },
  { name: 'Cahors', postalCode: '46000', department: '046' },
  { name: 'Figeac', postalCode: '46100', department: '046' },
  { name: 'Tarbes', postalCode: '65000', department: '065' },
  { name: 'Lourdes', postalCode: '65100', department: '065' },
  { name: 'Auch', postalCode: '32000', department: '032' },
  { name: 'Foix', postalCode: '09000', department: '009' },
  { name: 'Pamiers', postalCode: '09100', department: '009' },
];

export const BIRTH_CITIES = [
  'Toulouse', 'Paris 14e Arrondissement', 'Montauban', 'Albi', 'Rodez', 'Tarbes', 'Béziers', 'Perpignan', 'Lyon',
  'Bordeaux', 'Pau', 'Agen', 'Nîmes', 'Montpellier', 'Saint-Étienne', 'Besançon', 'Fort-de-France', 'Pointe-à-Pitre',
  'Saint-Denis', 'Casablanca', 'Dakar', 'Lisbonne', 'Bucarest',
];

export const STREETS = [
  'rue Victor Hugo', 'avenue de la République', 'chemin des Vignes', 'allée des Châtaigniers', 'rue Pierre-Paul Riquet',
  'boulevard de Strasbourg', 'impasse des Lilas', 'route de Narbonne', "rue de l'Église", 'place du Capitole',
  'rue des Écoles', 'avenue Jean Jaurès', 'rue Gambetta', 'chemin de la Côte Pavée', 'rue du Général de Gaulle',
];

export const PATRONS = [
  'Jean Jaurès', 'Pierre de Fermat', 'Olympe de Gouges', 'Jules Ferry', 'Marie Curie', 'Victor Hugo', 'George Sand',
  'Simone Veil', 'Claude Nougaro', 'Toulouse-Lautrec', 'Émile Zola', 'Germaine Tillion', 'Antoine de Saint-Exupéry',
  'Rosa Parks', 'Jean Moulin', 'Lucie Aubrac', 'Pierre-Paul Riquet', 'Françoise Dolto',
];

export const EMAIL_DOMAINS = ['gmail.com', 'orange.fr', 'free.fr', 'laposte.net', 'sfr.fr', 'hotmail.fr', 'yahoo.fr', 'wanadoo.fr'];

/** "Hélène D'Almeida" → "helene.dalmeida": the ASCII, lowercase form used in logins and emails. */
export function asciiSlug(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/œ/g, 'oe')
    .replace(/Œ/g, 'OE')
    .replace(/æ/g, 'ae')
    .replace(/Æ/g, 'AE')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** Removes accents but keeps letters' case and separators: "Hélène" → "Helene". */
export const stripAccents = (value: string): string => value.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');
