import type { EstablishmentItem } from '../../../../shared/api/contract';

/** French texts of the establishment switcher. */
export const establishmentStrings = {
  label: 'Établissement',
  none: 'Aucun établissement',
  loading: 'Chargement des établissements…',
  loadError: 'Établissements indisponibles',
  option: (e: Pick<EstablishmentItem, 'name' | 'uai'>) => `${e.name} (${e.uai})`,
} as const;
