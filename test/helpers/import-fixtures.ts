/**
 * The import fixtures of test/fixtures/imports/, written by hand in the real formats and kept here as text so that
 * they can be read and reviewed; the committed files are these texts encoded as the real files are (ISO-8859-15 with
 * numeric character references for SIECLE, Latin-1 for ONDE, UTF-8 with a byte-order mark for the spreadsheet CSV).
 * `npx tsx test/helpers/import-fixtures.ts` rewrites them; a unit test checks that they have not drifted.
 *
 * The establishment is 0310001H (a valid UAI). ONDE writes Windows-1252 (Latin-1 with Œ and the curly apostrophe).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { latin9 } from './siecle';
import { zipArchive } from './zip';

export const FIXTURE_UAI = '0310001H';
export const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/imports/', import.meta.url));

const PARAMETRES = (uai = FIXTURE_UAI) => `  <PARAMETRES>
    <UAJ>${uai}</UAJ>
    <ANNEE_SCOLAIRE>2025</ANNEE_SCOLAIRE>
    <DATE_EXPORT>15/09/2025</DATE_EXPORT>
    <HORODATAGE>15/09/2025 08:30:12</HORODATAGE>
  </PARAMETRES>`;

/**
 * Today's ElevesSansAdresses: names with Œ, É, ï, apostrophes (the curly one and the letters outside Latin-9 travel as
 * character references), a pupil who left (DATE_SORTIE), one in « Inactifs », one without INE, one with a malformed
 * INE, an impossible birth date, a duplicated ELEVE_ID, and last year's CODE_MEF nested in SCOLARITE_AN_DERNIER.
 */
export const ELEVES_CURRENT = `<?xml version="1.0" encoding="ISO-8859-15"?>
<BEE_ELEVES VERSION="3.2">
${PARAMETRES()}
  <DONNEES>
    <ELEVES>
      <ELEVE ELEVE_ID="1001" ELENOET="1">
        <ID_NATIONAL>123456789AB</ID_NATIONAL>
        <ELENOET>1</ELENOET>
        <NOM_DE_FAMILLE>ŒUVRARD</NOM_DE_FAMILLE>
        <NOM_USAGE>ŒUVRARD</NOM_USAGE>
        <PRENOM>Anaïs</PRENOM>
        <PRENOM2>Élodie</PRENOM2>
        <DATE_NAISS>14/03/2013</DATE_NAISS>
        <DOUBLEMENT>0</DOUBLEMENT>
        <CODE_SEXE>2</CODE_SEXE>
        <CODE_PAYS>100</CODE_PAYS>
        <CODE_COMMUNE_INSEE_NAISS>31555</CODE_COMMUNE_INSEE_NAISS>
        <VILLE_NAISS>Toulouse</VILLE_NAISS>
        <CODE_REGIME>2</CODE_REGIME>
        <DATE_ENTREE>01/09/2025</DATE_ENTREE>
        <CODE_MEF>10010012110</CODE_MEF>
        <CODE_STATUT>ST</CODE_STATUT>
        <SCOLARITE_AN_DERNIER>
          <CODE_MEF>20010018110</CODE_MEF>
          <CODE_RNE>0310999Z</CODE_RNE>
          <DENOM_COMPL>ÉCOLE ÉLÉMENTAIRE</DENOM_COMPL>
        </SCOLARITE_AN_DERNIER>
      </ELEVE>
      <ELEVE ELEVE_ID="1002" ELENOET="2">
        <ID_NATIONAL>0123456789K</ID_NATIONAL>
        <ELENOET>2</ELENOET>
        <NOM_DE_FAMILLE>D'ALMEIDA</NOM_DE_FAMILLE>
        <NOM_USAGE>D'ALMEIDA</NOM_USAGE>
        <PRENOM>Héloïse</PRENOM>
        <DATE_NAISS>02/11/2012</DATE_NAISS>
        <CODE_SEXE>2</CODE_SEXE>
        <CODE_PAYS>100</CODE_PAYS>
        <VILLE_NAISS>Colomiers</VILLE_NAISS>
        <DATE_ENTREE>01/09/2025</DATE_ENTREE>
        <CODE_MEF>10110001110</CODE_MEF>
        <CODE_STATUT>ST</CODE_STATUT>
        <MEL>heloise.dalmeida@laposte.net</MEL>
      </ELEVE>
      <ELEVE ELEVE_ID="1003" ELENOET="3">
        <ID_NATIONAL>2345678901D</ID_NATIONAL>
        <ELENOET>3</ELENOET>
        <NOM_DE_FAMILLE>NGUYỄN</NOM_DE_FAMILLE>
        <NOM_USAGE>NGUYỄN</NOM_USAGE>
        <PRENOM>Minh-Châu</PRENOM>
        <DATE_NAISS>30/06/2013</DATE_NAISS>
        <CODE_SEXE>1</CODE_SEXE>
        <CODE_PAYS>100</CODE_PAYS>
        <DATE_ENTREE>01/09/2025</DATE_ENTREE>
        <CODE_MEF>10010012110</CODE_MEF>
        <CODE_STATUT>ST</CODE_STATUT>
      </ELEVE>
      <ELEVE ELEVE_ID="1004" ELENOET="4">
        <ID_NATIONAL>3456789012E</ID_NATIONAL>
        <ELENOET>4</ELENOET>
        <NOM_DE_FAMILLE>DVOŘÁK</NOM_DE_FAMILLE>
        <NOM_USAGE>N’DIAYE</NOM_USAGE>
        <PRENOM>Łukasz</PRENOM>
        <PRENOM2>Zoë</PRENOM2>
        <DATE_NAISS>05/01/2012</DATE_NAISS>
        <CODE_SEXE>1</CODE_SEXE>
        <CODE_PAYS>100</CODE_PAYS>
        <DATE_ENTREE>01/09/2025</DATE_ENTREE>
        <DATE_SORTIE>12/09/2025</DATE_SORTIE>
        <CODE_MEF>10110001110</CODE_MEF>
        <CODE_STATUT>ST</CODE_STATUT>
      </ELEVE>
      <ELEVE ELEVE_ID="1005" ELENOET="5">
        <ELENOET>5</ELENOET>
        <NOM_DE_FAMILLE>BÉRANGER</NOM_DE_FAMILLE>
        <NOM_USAGE>BÉRANGER</NOM_USAGE>
        <PRENOM>Noël</PRENOM>
        <DATE_NAISS>31/02/2013</DATE_NAISS>
        <CODE_SEXE>1</CODE_SEXE>
        <DATE_ENTREE>01/09/2025</DATE_ENTREE>
        <CODE_MEF>10010012110</CODE_MEF>
      </ELEVE>
      <ELEVE ELEVE_ID="1006" ELENOET="6">
        <ID_NATIONAL>12345</ID_NATIONAL>
        <ELENOET>6</ELENOET>
        <NOM_DE_FAMILLE>LEFÈVRE</NOM_DE_FAMILLE>
        <NOM_USAGE>LEFÈVRE</NOM_USAGE>
        <PRENOM>Chloé</PRENOM>
        <DATE_NAISS>09/09/2013</DATE_NAISS>
        <CODE_SEXE>2</CODE_SEXE>
        <DATE_ENTREE>01/09/2025</DATE_ENTREE>
        <CODE_MEF>10010012110</CODE_MEF>
      </ELEVE>
      <ELEVE ELEVE_ID="1007" ELENOET="7">
        <ID_NATIONAL>4567890123F</ID_NATIONAL>
        <ELENOET>7</ELENOET>
        <NOM_DE_FAMILLE>LEFÈVRE</NOM_DE_FAMILLE>
        <NOM_USAGE>LEFÈVRE</NOM_USAGE>
        <PRENOM>Maël</PRENOM>
        <DATE_NAISS>21/04/2012</DATE_NAISS>
        <CODE_SEXE>1</CODE_SEXE>
        <DATE_ENTREE>01/09/2025</DATE_ENTREE>
        <CODE_MEF>10110001110</CODE_MEF>
      </ELEVE>
      <ELEVE ELEVE_ID="1008" ELENOET="8">
        <ID_NATIONAL>5678901234G</ID_NATIONAL>
        <ELENOET>8</ELENOET>
        <NOM_DE_FAMILLE>SAINT-MARTIN</NOM_DE_FAMILLE>
        <NOM_USAGE>SAINT-MARTIN</NOM_USAGE>
        <PRENOM>Jean-Noël</PRENOM>
        <DATE_NAISS>17/08/2011</DATE_NAISS>
        <CODE_SEXE>1</CODE_SEXE>
        <DATE_ENTREE>01/09/2024</DATE_ENTREE>
        <CODE_MEF>10210001110</CODE_MEF>
      </ELEVE>
      <ELEVE ELEVE_ID="1008" ELENOET="9">
        <ID_NATIONAL>6789012345H</ID_NATIONAL>
        <NOM_DE_FAMILLE>DOUBLON</NOM_DE_FAMILLE>
        <PRENOM>Fiche</PRENOM>
        <DATE_NAISS>01/01/2012</DATE_NAISS>
        <CODE_SEXE>1</CODE_SEXE>
      </ELEVE>
    </ELEVES>
    <OPTIONS>
      <OPTION ELEVE_ID="1001">
        <NUM_OPTION>1</NUM_OPTION>
        <CODE_MATIERE>030201</CODE_MATIERE>
      </OPTION>
    </OPTIONS>
    <STRUCTURES>
      <STRUCTURES_ELEVE ELEVE_ID="1001" ELENOET="1">
        <STRUCTURE>
          <CODE_STRUCTURE>6A</CODE_STRUCTURE>
          <TYPE_STRUCTURE>D</TYPE_STRUCTURE>
        </STRUCTURE>
        <STRUCTURE>
          <CODE_STRUCTURE>LATIN</CODE_STRUCTURE>
          <TYPE_STRUCTURE>G</TYPE_STRUCTURE>
        </STRUCTURE>
      </STRUCTURES_ELEVE>
      <STRUCTURES_ELEVE ELEVE_ID="1002" ELENOET="2">
        <STRUCTURE>
          <CODE_STRUCTURE>5B</CODE_STRUCTURE>
          <TYPE_STRUCTURE>D</TYPE_STRUCTURE>
        </STRUCTURE>
      </STRUCTURES_ELEVE>
      <STRUCTURES_ELEVE ELEVE_ID="1003" ELENOET="3">
        <STRUCTURE>
          <CODE_STRUCTURE>6A</CODE_STRUCTURE>
          <TYPE_STRUCTURE>D</TYPE_STRUCTURE>
        </STRUCTURE>
      </STRUCTURES_ELEVE>
      <STRUCTURES_ELEVE ELEVE_ID="1004" ELENOET="4">
        <STRUCTURE>
          <CODE_STRUCTURE>5B</CODE_STRUCTURE>
          <TYPE_STRUCTURE>D</TYPE_STRUCTURE>
        </STRUCTURE>
      </STRUCTURES_ELEVE>
      <STRUCTURES_ELEVE ELEVE_ID="1005" ELENOET="5">
        <STRUCTURE>
          <CODE_STRUCTURE>6A</CODE_STRUCTURE>
          <TYPE_STRUCTURE>D</TYPE_STRUCTURE>
        </STRUCTURE>
      </STRUCTURES_ELEVE>
      <STRUCTURES_ELEVE ELEVE_ID="1006" ELENOET="6">
        <STRUCTURE>
          <CODE_STRUCTURE>6A</CODE_STRUCTURE>
          <TYPE_STRUCTURE>D</TYPE_STRUCTURE>
        </STRUCTURE>
      </STRUCTURES_ELEVE>
      <STRUCTURES_ELEVE ELEVE_ID="1007" ELENOET="7">
        <STRUCTURE>
          <CODE_STRUCTURE>5B</CODE_STRUCTURE>
          <TYPE_STRUCTURE>D</TYPE_STRUCTURE>
        </STRUCTURE>
      </STRUCTURES_ELEVE>
      <STRUCTURES_ELEVE ELEVE_ID="1008" ELENOET="8">
        <STRUCTURE>
          <CODE_STRUCTURE>Inactifs</CODE_STRUCTURE>
          <TYPE_STRUCTURE>D</TYPE_STRUCTURE>
        </STRUCTURE>
      </STRUCTURES_ELEVE>
    </STRUCTURES>
  </DONNEES>
</BEE_ELEVES>
`;

/**
 * Today's ResponsablesAvecAdresses: two parents of Anaïs (mother with a usage name, father), a single mother of the
 * LEFÈVRE siblings, a tutor, a grandmother to contact (level 3), a malformed mobile and email, a mobile shared by
 * two families, a link to an unknown pupil, and Noël BÉRANGER left without a legal guardian.
 */
export const RESPONSABLES_CURRENT = `<?xml version="1.0" encoding="ISO-8859-15"?>
<BEE_RESPONSABLES VERSION="1.8">
${PARAMETRES()}
  <DONNEES>
    <PERSONNES>
      <PERSONNE PERSONNE_ID="2001">
        <NOM_DE_FAMILLE>MÉNARD</NOM_DE_FAMILLE>
        <NOM_USAGE>ŒUVRARD</NOM_USAGE>
        <PRENOM>Hélène</PRENOM>
        <LC_CIVILITE>MME</LC_CIVILITE>
        <TEL_PORTABLE>06 12 34 56 78</TEL_PORTABLE>
        <MEL>helene.oeuvrard@orange.fr</MEL>
        <ACCEPTE_SMS>1</ACCEPTE_SMS>
        <ADRESSE_ID>3001</ADRESSE_ID>
        <CODE_PROFESSION>38</CODE_PROFESSION>
      </PERSONNE>
      <PERSONNE PERSONNE_ID="2002">
        <NOM_DE_FAMILLE>ŒUVRARD</NOM_DE_FAMILLE>
        <NOM_USAGE>ŒUVRARD</NOM_USAGE>
        <PRENOM>François</PRENOM>
        <LC_CIVILITE>M.</LC_CIVILITE>
        <TEL_PORTABLE>0798765432</TEL_PORTABLE>
        <TEL_PROFESSIONNEL>05 61 00 11 22</TEL_PROFESSIONNEL>
        <ACCEPTE_SMS>1</ACCEPTE_SMS>
        <ADRESSE_ID>3001</ADRESSE_ID>
      </PERSONNE>
      <PERSONNE PERSONNE_ID="2003">
        <NOM_DE_FAMILLE>D'ALMEIDA</NOM_DE_FAMILLE>
        <NOM_USAGE>D'ALMEIDA</NOM_USAGE>
        <PRENOM>Inês</PRENOM>
        <LC_CIVILITE>MME</LC_CIVILITE>
        <TEL_PORTABLE>06 11 22 33</TEL_PORTABLE>
        <MEL>ines.dalmeida@free</MEL>
        <ADRESSE_ID>3002</ADRESSE_ID>
      </PERSONNE>
      <PERSONNE PERSONNE_ID="2004">
        <NOM_DE_FAMILLE>NGUYỄN</NOM_DE_FAMILLE>
        <NOM_USAGE>NGUYỄN</NOM_USAGE>
        <PRENOM>Thị Lan</PRENOM>
        <LC_CIVILITE>MME</LC_CIVILITE>
        <TEL_PORTABLE>+33 6 55 44 33 22</TEL_PORTABLE>
        <MEL>lan.nguyen@gmail.com</MEL>
        <ADRESSE_ID>3003</ADRESSE_ID>
      </PERSONNE>
      <PERSONNE PERSONNE_ID="2005">
        <NOM_DE_FAMILLE>DVOŘÁK</NOM_DE_FAMILLE>
        <NOM_USAGE>DVOŘÁK</NOM_USAGE>
        <PRENOM>Jiří</PRENOM>
        <LC_CIVILITE>M.</LC_CIVILITE>
        <TEL_PORTABLE>07 00 11 22 33</TEL_PORTABLE>
      </PERSONNE>
      <PERSONNE PERSONNE_ID="2006">
        <NOM_DE_FAMILLE>LEFÈVRE</NOM_DE_FAMILLE>
        <NOM_USAGE>LEFÈVRE</NOM_USAGE>
        <PRENOM>Sandrine</PRENOM>
        <LC_CIVILITE>MME</LC_CIVILITE>
        <TEL_PERSONNEL>05 62 00 00 01</TEL_PERSONNEL>
        <TEL_PORTABLE>06 55 44 33 22</TEL_PORTABLE>
        <MEL>sandrine.lefevre@laposte.net</MEL>
        <ADRESSE_ID>3004</ADRESSE_ID>
      </PERSONNE>
      <PERSONNE PERSONNE_ID="2007">
        <NOM_DE_FAMILLE>SAINT-MARTIN</NOM_DE_FAMILLE>
        <NOM_USAGE>SAINT-MARTIN</NOM_USAGE>
        <PRENOM>Marc-Antoine</PRENOM>
        <LC_CIVILITE>M.</LC_CIVILITE>
        <TEL_PORTABLE>06 01 02 03 04</TEL_PORTABLE>
      </PERSONNE>
      <PERSONNE PERSONNE_ID="2008">
        <NOM_DE_FAMILLE>ŒUVRARD</NOM_DE_FAMILLE>
        <NOM_USAGE>ŒUVRARD</NOM_USAGE>
        <PRENOM>Geneviève</PRENOM>
        <LC_CIVILITE>MME</LC_CIVILITE>
        <TEL_PERSONNEL>05 61 99 88 77</TEL_PERSONNEL>
      </PERSONNE>
    </PERSONNES>
    <RESPONSABLES>
      <RESPONSABLE_ELEVE>
        <ELEVE_ID>1001</ELEVE_ID>
        <PERSONNE_ID>2001</PERSONNE_ID>
        <NIVEAU_RESPONSABILITE>1</NIVEAU_RESPONSABILITE>
        <CODE_PARENTE>10</CODE_PARENTE>
        <RESP_FINANCIER>1</RESP_FINANCIER>
        <PERS_PAIMENT>1</PERS_PAIMENT>
        <PERS_CONTACT>1</PERS_CONTACT>
      </RESPONSABLE_ELEVE>
      <RESPONSABLE_ELEVE>
        <ELEVE_ID>1001</ELEVE_ID>
        <PERSONNE_ID>2002</PERSONNE_ID>
        <NIVEAU_RESPONSABILITE>1</NIVEAU_RESPONSABILITE>
        <CODE_PARENTE>20</CODE_PARENTE>
        <RESP_FINANCIER>0</RESP_FINANCIER>
        <PERS_CONTACT>1</PERS_CONTACT>
      </RESPONSABLE_ELEVE>
      <RESPONSABLE_ELEVE>
        <ELEVE_ID>1001</ELEVE_ID>
        <PERSONNE_ID>2008</PERSONNE_ID>
        <NIVEAU_RESPONSABILITE>3</NIVEAU_RESPONSABILITE>
        <CODE_PARENTE>38</CODE_PARENTE>
        <RESP_FINANCIER>0</RESP_FINANCIER>
        <PERS_CONTACT>1</PERS_CONTACT>
      </RESPONSABLE_ELEVE>
      <RESPONSABLE_ELEVE>
        <ELEVE_ID>1002</ELEVE_ID>
        <PERSONNE_ID>2003</PERSONNE_ID>
        <NIVEAU_RESPONSABILITE>1</NIVEAU_RESPONSABILITE>
        <CODE_PARENTE>10</CODE_PARENTE>
        <RESP_FINANCIER>1</RESP_FINANCIER>
        <PERS_CONTACT>1</PERS_CONTACT>
      </RESPONSABLE_ELEVE>
      <RESPONSABLE_ELEVE>
        <ELEVE_ID>1003</ELEVE_ID>
        <PERSONNE_ID>2004</PERSONNE_ID>
        <NIVEAU_RESPONSABILITE>1</NIVEAU_RESPONSABILITE>
        <CODE_PARENTE>10</CODE_PARENTE>
        <RESP_FINANCIER>1</RESP_FINANCIER>
        <PERS_CONTACT>1</PERS_CONTACT>
      </RESPONSABLE_ELEVE>
      <RESPONSABLE_ELEVE>
        <ELEVE_ID>1004</ELEVE_ID>
        <PERSONNE_ID>2005</PERSONNE_ID>
        <NIVEAU_RESPONSABILITE>1</NIVEAU_RESPONSABILITE>
        <CODE_PARENTE>20</CODE_PARENTE>
        <RESP_FINANCIER>1</RESP_FINANCIER>
        <PERS_CONTACT>1</PERS_CONTACT>
      </RESPONSABLE_ELEVE>
      <RESPONSABLE_ELEVE>
        <ELEVE_ID>1006</ELEVE_ID>
        <PERSONNE_ID>2006</PERSONNE_ID>
        <NIVEAU_RESPONSABILITE>1</NIVEAU_RESPONSABILITE>
        <CODE_PARENTE>10</CODE_PARENTE>
        <RESP_FINANCIER>1</RESP_FINANCIER>
        <PERS_CONTACT>1</PERS_CONTACT>
      </RESPONSABLE_ELEVE>
      <RESPONSABLE_ELEVE>
        <ELEVE_ID>1007</ELEVE_ID>
        <PERSONNE_ID>2006</PERSONNE_ID>
        <NIVEAU_RESPONSABILITE>1</NIVEAU_RESPONSABILITE>
        <CODE_PARENTE>10</CODE_PARENTE>
        <RESP_FINANCIER>1</RESP_FINANCIER>
        <PERS_CONTACT>1</PERS_CONTACT>
      </RESPONSABLE_ELEVE>
      <RESPONSABLE_ELEVE>
        <ELEVE_ID>1008</ELEVE_ID>
        <PERSONNE_ID>2007</PERSONNE_ID>
        <NIVEAU_RESPONSABILITE>1</NIVEAU_RESPONSABILITE>
        <CODE_PARENTE>50</CODE_PARENTE>
        <RESP_FINANCIER>1</RESP_FINANCIER>
        <PERS_CONTACT>1</PERS_CONTACT>
      </RESPONSABLE_ELEVE>
      <RESPONSABLE_ELEVE>
        <ELEVE_ID>9999</ELEVE_ID>
        <PERSONNE_ID>2007</PERSONNE_ID>
        <NIVEAU_RESPONSABILITE>1</NIVEAU_RESPONSABILITE>
        <CODE_PARENTE>50</CODE_PARENTE>
      </RESPONSABLE_ELEVE>
    </RESPONSABLES>
    <ADRESSES>
      <ADRESSE ADRESSE_ID="3001">
        <LIGNE1_ADRESSE>12 rue des Lilas</LIGNE1_ADRESSE>
        <LIGNE2_ADRESSE>Résidence Les Tilleuls, bât. B</LIGNE2_ADRESSE>
        <CODE_POSTAL>31000</CODE_POSTAL>
        <LIBELLE_POSTAL>TOULOUSE</LIBELLE_POSTAL>
        <LL_PAYS>FRANCE</LL_PAYS>
        <CODE_PAYS>100</CODE_PAYS>
      </ADRESSE>
      <ADRESSE ADRESSE_ID="3002">
        <LIGNE1_ADRESSE>3 chemin de l'Église</LIGNE1_ADRESSE>
        <CODE_POSTAL>31770</CODE_POSTAL>
        <LIBELLE_POSTAL>COLOMIERS</LIBELLE_POSTAL>
        <LL_PAYS>FRANCE</LL_PAYS>
      </ADRESSE>
      <ADRESSE ADRESSE_ID="3003">
        <LIGNE1_ADRESSE>45 allée Jean Jaurès</LIGNE1_ADRESSE>
        <CODE_POSTAL>31000</CODE_POSTAL>
        <LIBELLE_POSTAL>TOULOUSE</LIBELLE_POSTAL>
        <LL_PAYS>FRANCE</LL_PAYS>
      </ADRESSE>
      <ADRESSE ADRESSE_ID="3004">
        <LIGNE1_ADRESSE>8 impasse du Moulin</LIGNE1_ADRESSE>
        <CODE_POSTAL>31600</CODE_POSTAL>
        <LIBELLE_POSTAL>MURET</LIBELLE_POSTAL>
        <LL_PAYS>FRANCE</LL_PAYS>
      </ADRESSE>
    </ADRESSES>
  </DONNEES>
</BEE_RESPONSABLES>
`;

export const NOMENCLATURE = `<?xml version="1.0" encoding="ISO-8859-15"?>
<BEE_NOMENCLATURES VERSION="1.4">
${PARAMETRES()}
  <DONNEES>
    <MEFS>
      <MEF CODE_MEF="10010012110">
        <FORMATION>6EME</FORMATION>
        <LIBELLE_LONG>6EME</LIBELLE_LONG>
        <LIBELLE_EDITION>6ème</LIBELLE_EDITION>
        <MEF_RATTACHEMENT>10010012110</MEF_RATTACHEMENT>
      </MEF>
      <MEF CODE_MEF="10110001110">
        <FORMATION>5EME</FORMATION>
        <LIBELLE_LONG>5EME</LIBELLE_LONG>
        <LIBELLE_EDITION>5ème</LIBELLE_EDITION>
        <MEF_RATTACHEMENT>10110001110</MEF_RATTACHEMENT>
      </MEF>
      <MEF CODE_MEF="10210001110">
        <FORMATION>4EME</FORMATION>
        <LIBELLE_LONG>4EME</LIBELLE_LONG>
        <LIBELLE_EDITION>4ème</LIBELLE_EDITION>
        <MEF_RATTACHEMENT>10210001110</MEF_RATTACHEMENT>
      </MEF>
    </MEFS>
  </DONNEES>
</BEE_NOMENCLATURES>
`;

export const STRUCTURES = `<?xml version="1.0" encoding="ISO-8859-15"?>
<BEE_STRUCTURES VERSION="1.1">
${PARAMETRES()}
  <DONNEES>
    <DIVISIONS>
      <DIVISION CODE_STRUCTURE="6A">
        <LIBELLE_LONG>6ème A</LIBELLE_LONG>
        <MEFS_APPARTENANCE>
          <MEF_APPARTENANCE>
            <CODE_MEF>10010012110</CODE_MEF>
          </MEF_APPARTENANCE>
        </MEFS_APPARTENANCE>
      </DIVISION>
      <DIVISION CODE_STRUCTURE="5B">
        <LIBELLE_LONG>5ème B</LIBELLE_LONG>
        <MEFS_APPARTENANCE>
          <MEF_APPARTENANCE>
            <CODE_MEF>10110001110</CODE_MEF>
          </MEF_APPARTENANCE>
        </MEFS_APPARTENANCE>
      </DIVISION>
    </DIVISIONS>
  </DONNEES>
</BEE_STRUCTURES>
`;

/** An older export: INE_RNIE / INE_BEA, a single NOM, RESPONSABLE and RESP_LEGAL (1 or 2: legal, 0: contact). */
export const ELEVES_LEGACY = `<?xml version="1.0" encoding="ISO-8859-15"?>
<BEE_ELEVES VERSION="2.1">
${PARAMETRES()}
  <DONNEES>
    <ELEVES>
      <ELEVE ELEVE_ID="1001" ELENOET="1">
        <INE_RNIE>123456789AB</INE_RNIE>
        <NOM>ŒUVRARD</NOM>
        <PRENOM>Anaïs</PRENOM>
        <DATE_NAISS>14/03/2013</DATE_NAISS>
        <CODE_SEXE>2</CODE_SEXE>
        <CODE_MEF>10010012110</CODE_MEF>
      </ELEVE>
      <ELEVE ELEVE_ID="1002" ELENOET="2">
        <INE_BEA>0123456789K</INE_BEA>
        <NOM>D'ALMEIDA</NOM>
        <PRENOM>Héloïse</PRENOM>
        <DATE_NAISS>02/11/2012</DATE_NAISS>
        <CODE_SEXE>2</CODE_SEXE>
        <CODE_MEF>10110001110</CODE_MEF>
      </ELEVE>
    </ELEVES>
    <STRUCTURES>
      <STRUCTURES_ELEVE ELEVE_ID="1001">
        <STRUCTURE>
          <CODE_STRUCTURE>6A</CODE_STRUCTURE>
          <TYPE_STRUCTURE>D</TYPE_STRUCTURE>
        </STRUCTURE>
      </STRUCTURES_ELEVE>
      <STRUCTURES_ELEVE ELEVE_ID="1002">
        <STRUCTURE>
          <CODE_STRUCTURE>5B</CODE_STRUCTURE>
          <TYPE_STRUCTURE>D</TYPE_STRUCTURE>
        </STRUCTURE>
      </STRUCTURES_ELEVE>
    </STRUCTURES>
  </DONNEES>
</BEE_ELEVES>
`;

export const RESPONSABLES_LEGACY = `<?xml version="1.0" encoding="ISO-8859-15"?>
<BEE_RESPONSABLES VERSION="1.2">
${PARAMETRES()}
  <DONNEES>
    <PERSONNES>
      <PERSONNE PERSONNE_ID="2001">
        <NOM>ŒUVRARD</NOM>
        <PRENOM>Hélène</PRENOM>
        <LC_CIVILITE>MME</LC_CIVILITE>
        <TEL_PORTABLE>06 12 34 56 78</TEL_PORTABLE>
      </PERSONNE>
      <PERSONNE PERSONNE_ID="2003">
        <NOM>D'ALMEIDA</NOM>
        <PRENOM>Inês</PRENOM>
        <LC_CIVILITE>MME</LC_CIVILITE>
      </PERSONNE>
      <PERSONNE PERSONNE_ID="2008">
        <NOM>ŒUVRARD</NOM>
        <PRENOM>Geneviève</PRENOM>
        <LC_CIVILITE>MME</LC_CIVILITE>
      </PERSONNE>
    </PERSONNES>
    <RESPONSABLES>
      <RESPONSABLE>
        <ELEVE_ID>1001</ELEVE_ID>
        <PERSONNE_ID>2001</PERSONNE_ID>
        <RESP_LEGAL>1</RESP_LEGAL>
        <CODE_PARENTE>10</CODE_PARENTE>
      </RESPONSABLE>
      <RESPONSABLE>
        <ELEVE_ID>1001</ELEVE_ID>
        <PERSONNE_ID>2008</PERSONNE_ID>
        <RESP_LEGAL>0</RESP_LEGAL>
        <CODE_PARENTE>38</CODE_PARENTE>
      </RESPONSABLE>
      <RESPONSABLE>
        <ELEVE_ID>1002</ELEVE_ID>
        <PERSONNE_ID>2003</PERSONNE_ID>
        <RESP_LEGAL>2</RESP_LEGAL>
        <CODE_PARENTE>10</CODE_PARENTE>
      </RESPONSABLE>
    </RESPONSABLES>
  </DONNEES>
</BEE_RESPONSABLES>
`;

/** ONDE's pupils' extraction: semicolons, a header with " Cycle" (leading space), a footer line. */
export const ONDE_ELEVES = `Nom élève;Nom d'usage élève;Prénom élève;Date naissance;Sexe;INE;Adresse1;Cp1;Commune1;Pays1;Adresse2;Cp2;Commune2;Pays2; Cycle;Niveau;Libellé classe;Identifiant classe;Attestation fournie;Autorisation associations;Autorisation photo;Décision de passage
ŒUVRARD;;Anaïs;14/03/2018;F;123456789AB;12 rue des Lilas;31000;Toulouse;FRANCE;;;;;CYCLE II;CP;CP Mme Rivière;100001;Non;Oui;Oui;
D'ALMEIDA;;Héloïse;02/11/2017;F;0123456789K;3 chemin de l'Église;31770;Colomiers;FRANCE;;;;;CYCLE II;CE1;CE1 M. Noël;100002;Oui;Oui;Non;
LEFÈVRE;;Chloé;09/09/2016;F;4567890123F;8 impasse du Moulin;31600;Muret;FRANCE;;;;;CYCLE II;CE2;CE2-CM1 Mme Béranger;100003;Non;Non;Oui;
LEFÈVRE;;Maël;21/04/2015;M;5678901234G;8 impasse du Moulin;31600;Muret;FRANCE;;;;;CYCLE III;CM1;CE2-CM1 Mme Béranger;100003;Non;Non;Oui;
Nombre d'élèves : 4
`;

/** ONDE's guardians' extraction: one row per guardian, each child by name, repeated column groups. */
export const ONDE_RESPONSABLES = `Civilité Responsable;Nom usage responsable;Nom responsable;Prénom responsable;Adresse responsable;CP responsable;Commune responsable;Pays;Courriel;Téléphone domicile;Téléphone travail;Téléphone portable;Nom d'usage enfant;Nom de famille enfant;Prénom enfant;Classes enfants;Nom d'usage enfant;Nom de famille enfant;Prénom enfant;Classes enfants
MME;ŒUVRARD;MÉNARD;Hélène;12 rue des Lilas;31000;Toulouse;FRANCE;helene.oeuvrard@orange.fr;;;06 12 34 56 78;;ŒUVRARD;Anaïs;CP Mme Rivière;;;;
M.;;D'ALMEIDA;José;3 chemin de l'Église;31770;Colomiers;FRANCE;;05 61 12 34 56;;07 98 76 54 32;;D'ALMEIDA;Héloïse;CE1 M. Noël;;;;
MME;;LEFÈVRE;Sandrine;8 impasse du Moulin;31600;Muret;FRANCE;sandrine.lefevre@laposte.net;;;06 55 44 33 22;;LEFÈVRE;Chloé;CE2-CM1 Mme Béranger;;LEFÈVRE;Maël;CE2-CM1 Mme Béranger
MME;;ROUX;Ambre;1 place du Capitole;31000;Toulouse;FRANCE;;;;06 00 00 00 0;;ROUX;Lou;CP Mme Rivière;;;;
Nombre de responsables : 4
`;

/** A private school's own software export: commas, UTF-8 with a byte-order mark, its own column names. */
export const GENERIC_CSV = `Numéro,Nom,Prénom,Né(e) le,Sexe,INE,Classe,Nom responsable 1,Prénom responsable 1,Courriel responsable 1,Portable responsable 1,Nom responsable 2,Prénom responsable 2,Portable responsable 2
E-001,ŒUVRARD,Anaïs,14/03/2013,F,123456789AB,6A,MÉNARD,Hélène,helene.oeuvrard@orange.fr,06 12 34 56 78,ŒUVRARD,François,07 98 76 54 32
E-002,D'ALMEIDA,Héloïse,02/11/2012,F,0123456789K,5B,D'ALMEIDA,Inês,ines.dalmeida@free.fr,06 11 22 33 44,,,
E-003,LEFÈVRE,Chloé,09/09/2013,F,4567890123F,6A,LEFÈVRE,Sandrine,sandrine.lefevre@laposte.net,06 55 44 33 22,,,
E-004,LEFÈVRE,Maël,21/04/2012,M,5678901234G,5B,LEFÈVRE,Sandrine,sandrine.lefevre@laposte.net,06 55 44 33 22,,,
`;

/** The mapping an establishment saves for GENERIC_CSV. */
export const GENERIC_MAPPING = {
  'pupil.id': 'Numéro',
  'pupil.lastName': 'Nom',
  'pupil.firstName': 'Prénom',
  'pupil.birthDate': 'Né(e) le',
  'pupil.sex': 'Sexe',
  'pupil.ine': 'INE',
  'pupil.division': 'Classe',
  'guardian1.lastName': 'Nom responsable 1',
  'guardian1.firstName': 'Prénom responsable 1',
  'guardian1.email': 'Courriel responsable 1',
  'guardian1.mobile': 'Portable responsable 1',
  'guardian2.lastName': 'Nom responsable 2',
  'guardian2.firstName': 'Prénom responsable 2',
  'guardian2.mobile': 'Portable responsable 2',
} as const;

const ONE_PUPIL = (prolog: string, uai = FIXTURE_UAI) => `${prolog}
<BEE_ELEVES VERSION="3.2">
${PARAMETRES(uai)}
  <DONNEES>
    <ELEVES>
      <ELEVE ELEVE_ID="1001" ELENOET="1">
        <ID_NATIONAL>123456789AB</ID_NATIONAL>
        <NOM_DE_FAMILLE>ŒUVRARD</NOM_DE_FAMILLE>
        <PRENOM>Anaïs</PRENOM>
        <DATE_NAISS>14/03/2013</DATE_NAISS>
        <CODE_SEXE>2</CODE_SEXE>
      </ELEVE>
    </ELEVES>
  </DONNEES>
</BEE_ELEVES>
`;
const LATIN9_PROLOG = '<?xml version="1.0" encoding="ISO-8859-15"?>';

/** Every fixture file: its path under test/fixtures/imports/ and its bytes. */
export function fixtureFiles(): Record<string, Buffer> {
  const siecle = {
    'ElevesSansAdresses.xml': latin9(ELEVES_CURRENT),
    'ResponsablesAvecAdresses.xml': latin9(RESPONSABLES_CURRENT),
    'Nomenclature.xml': latin9(NOMENCLATURE),
    'Structures.xml': latin9(STRUCTURES),
  };
  const billionLaughs = `<?xml version="1.0" encoding="ISO-8859-15"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<BEE_ELEVES><PARAMETRES><UAJ>${FIXTURE_UAI}</UAJ></PARAMETRES><DONNEES><ELEVES><ELEVE ELEVE_ID="1"><NOM>&lol3;</NOM></ELEVE></ELEVES></DONNEES></BEE_ELEVES>
`;
  const xxe = `<?xml version="1.0" encoding="ISO-8859-15"?>
<!DOCTYPE BEE_ELEVES [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<BEE_ELEVES><PARAMETRES><UAJ>${FIXTURE_UAI}</UAJ></PARAMETRES><DONNEES><ELEVES><ELEVE ELEVE_ID="1"><NOM>&xxe;</NOM></ELEVE></ELEVES></DONNEES></BEE_ELEVES>
`;
  const current = latin9(ELEVES_CURRENT);
  return {
    ...Object.fromEntries(Object.entries(siecle).map(([name, bytes]) => [`siecle/${name}`, bytes])),
    'siecle/ExportSiecle.zip': zipArchive([
      ...Object.entries(siecle).map(([name, data]) => ({ name: `export/${name}`, data })),
      { name: 'export/LISEZMOI.txt', data: Buffer.from('Exportation SIECLE — ne pas modifier.\n', 'utf8') },
    ]),
    'siecle-legacy/ElevesSansAdresses.xml': latin9(ELEVES_LEGACY),
    'siecle-legacy/ResponsablesAvecAdresses.xml': latin9(RESPONSABLES_LEGACY),
    'onde/CSVExtraction-eleves.csv': iconv.encode(ONDE_ELEVES.replace(/\n/g, '\r\n'), 'windows-1252'),
    'onde/CSVExtraction-responsables.csv': iconv.encode(ONDE_RESPONSABLES.replace(/\n/g, '\r\n'), 'windows-1252'),
    'csv/eleves-logiciel-prive.csv': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(GENERIC_CSV, 'utf8')]),
    'bad/empty.xml': Buffer.alloc(0),
    'bad/blank.xml': Buffer.from('  \n\n  ', 'latin1'),
    'bad/billion-laughs.xml': Buffer.from(billionLaughs, 'latin1'),
    'bad/xxe.xml': Buffer.from(xxe, 'latin1'),
    'bad/undefined-entity.xml': latin9(ONE_PUPIL(LATIN9_PROLOG).replace('<PRENOM>Anaïs</PRENOM>', '<PRENOM>&eacute;</PRENOM>')),
    'bad/truncated.xml': current.subarray(0, Math.floor(current.length * 0.6)),
    // Re-saved by an editor in UTF-8, still declaring ISO-8859-15.
    'bad/utf8-declared-latin9.xml': Buffer.from(ONE_PUPIL(LATIN9_PROLOG), 'utf8'),
    // Latin-9 bytes declaring UTF-8.
    'bad/latin9-declared-utf8.xml': latin9(ONE_PUPIL('<?xml version="1.0" encoding="UTF-8"?>')),
    // Windows-1252 punctuation (’ is 0x92) in a file declaring ISO-8859-15.
    'bad/cp1252-declared-latin9.xml': iconv.encode(ONE_PUPIL(LATIN9_PROLOG).replace("D'ALMEIDA", 'D’ALMEIDA').replace('ŒUVRARD', 'N’DIAYE'), 'windows-1252'),
    'bad/utf16.xml': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(ONE_PUPIL('<?xml version="1.0" encoding="UTF-16"?>'), 'utf16le')]),
    'bad/unknown-encoding.xml': latin9(ONE_PUPIL('<?xml version="1.0" encoding="EBCDIC-FR"?>')),
    'bad/other-establishment.xml': latin9(ONE_PUPIL(LATIN9_PROLOG, '0750654D')),
    'bad/uai-invalid.xml': latin9(ONE_PUPIL(LATIN9_PROLOG, '0750654A')),
    'bad/not-siecle.xml': Buffer.from('<?xml version="1.0"?>\n<html><body>Bonjour</body></html>\n', 'utf8'),
    'bad/malformed.xml': latin9(ONE_PUPIL(LATIN9_PROLOG).replace('</PRENOM>', '</PRENON>')),
    'bad/classeur.xlsx': zipArchive([
      { name: '[Content_Types].xml', data: Buffer.from('<?xml version="1.0"?><Types/>') },
      { name: 'xl/workbook.xml', data: Buffer.from('<?xml version="1.0"?><workbook/>') },
    ]),
    'bad/document.pdf': Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1'),
    'bad/image.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]),
  };
}

export function writeFixtures(dir = FIXTURES_DIR): void {
  for (const [path, bytes] of Object.entries(fixtureFiles())) {
    const target = join(dir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, bytes);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) writeFixtures();
