/**
 * French date and number formats, built once: an Intl formatter costs far more to create than to use, and lists
 * format a date per row on every render.
 */
const shortDate = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short' });
const shortDateTime = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'short' });

/** 29/11/2026 */
export const formatDate = (iso: string): string => shortDate.format(new Date(iso));
/** 29/11/2026 14:05 */
export const formatDateTime = (iso: string): string => shortDateTime.format(new Date(iso));
