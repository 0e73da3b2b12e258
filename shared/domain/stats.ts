/**
 * Pure rules of the activation statistics, shared by the core (dashboard, workbook) and the renderer: what a rate is,
 * the department of an establishment, the school year of a date. One definition, so the file and the screen agree.
 */

/** activated / total, or null when there is nobody to count (never 0/0 = 0 %). */
export const rate = (activated: number, total: number): number | null => (total > 0 ? activated / total : null);

/** A rate as the dashboard and the workbook show it: "54,3 %" (one decimal, French), "—" without a rate. */
const percent = new Intl.NumberFormat('fr-FR', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
export const formatRate = (value: number | null): string => (value === null ? '—' : percent.format(value));

/** The department of an establishment: the first 3 characters of its UAI ("0315673Y" → "031"). */
export const departmentOf = (uai: string): string => uai.slice(0, 3);

/**
 * Department names by the UAI's first 3 characters: "0" + the department number in metropolitan France, 620/720 for
 * Corse-du-Sud/Haute-Corse, 97x overseas.
 */
export const DEPARTMENT_NAMES: Readonly<Record<string, string>> = {
  '001': 'Ain', '002': 'Aisne', '003': 'Allier', '004': 'Alpes-de-Haute-Provence', '005': 'Hautes-Alpes',
  '006': 'Alpes-Maritimes', '007': 'Ardèche', '008': 'Ardennes', '009': 'Ariège', '010': 'Aube', '011': 'Aude',
  '012': 'Aveyron', '013': 'Bouches-du-Rhône', '014': 'Calvados', '015': 'Cantal', '016': 'Charente',
  '017': 'Charente-Maritime', '018': 'Cher', '019': 'Corrèze', '620': 'Corse-du-Sud', '720': 'Haute-Corse',
  '021': 'Côte-d’Or', '022': 'Côtes-d’Armor', '023': 'Creuse', '024': 'Dordogne', '025': 'Doubs', '026': 'Drôme',
  '027': 'Eure', '028': 'Eure-et-Loir', '029': 'Finistère', '030': 'Gard', '031': 'Haute-Garonne', '032': 'Gers',
  '033': 'Gironde', '034': 'Hérault', '035': 'Ille-et-Vilaine', '036': 'Indre', '037': 'Indre-et-Loire', '038': 'Isère',
  '039': 'Jura', '040': 'Landes', '041': 'Loir-et-Cher', '042': 'Loire', '043': 'Haute-Loire', '044': 'Loire-Atlantique',
  '045': 'Loiret', '046': 'Lot', '047': 'Lot-et-Garonne', '048': 'Lozère', '049': 'Maine-et-Loire', '050': 'Manche',
  '051': 'Marne', '052': 'Haute-Marne', '053': 'Mayenne', '054': 'Meurthe-et-Moselle', '055': 'Meuse', '056': 'Morbihan',
  '057': 'Moselle', '058': 'Nièvre', '059': 'Nord', '060': 'Oise', '061': 'Orne', '062': 'Pas-de-Calais',
  '063': 'Puy-de-Dôme', '064': 'Pyrénées-Atlantiques', '065': 'Hautes-Pyrénées', '066': 'Pyrénées-Orientales',
  '067': 'Bas-Rhin', '068': 'Haut-Rhin', '069': 'Rhône', '070': 'Haute-Saône', '071': 'Saône-et-Loire', '072': 'Sarthe',
  '073': 'Savoie', '074': 'Haute-Savoie', '075': 'Paris', '076': 'Seine-Maritime', '077': 'Seine-et-Marne',
  '078': 'Yvelines', '079': 'Deux-Sèvres', '080': 'Somme', '081': 'Tarn', '082': 'Tarn-et-Garonne', '083': 'Var',
  '084': 'Vaucluse', '085': 'Vendée', '086': 'Vienne', '087': 'Haute-Vienne', '088': 'Vosges', '089': 'Yonne',
  '090': 'Territoire de Belfort', '091': 'Essonne', '092': 'Hauts-de-Seine', '093': 'Seine-Saint-Denis',
  '094': 'Val-de-Marne', '095': 'Val-d’Oise', '971': 'Guadeloupe', '972': 'Martinique', '973': 'Guyane',
  '974': 'La Réunion', '976': 'Mayotte',
};

/** "Haute-Garonne (031)", or the code alone when it is not a known department. */
export const departmentLabel = (code: string): string => (DEPARTMENT_NAMES[code] ? `${DEPARTMENT_NAMES[code]} (${code})` : code);

/** Sept 1 of the school year containing `date` (YYYY-MM-DD). */
export function schoolYearStart(date: string): string {
  const year = Number(date.slice(0, 4));
  const september = `${year}-09-01`;
  return date >= september ? september : `${year - 1}-09-01`;
}

// One collator, built once: localeCompare with a locale builds one per call, a hundred times slower.
const divisions = new Intl.Collator('fr', { numeric: true, sensitivity: 'base' });
const names = new Intl.Collator('fr');

/** Classes in the order staff expect: 3A, 3B… 3A10 after 3A9 (numbers compared as numbers), accents ignored. */
export const compareDivisions = (a: string, b: string): number => divisions.compare(a, b);

/** Names in French alphabetical order. */
export const compareNames = (a: string, b: string): number => names.compare(a, b);
