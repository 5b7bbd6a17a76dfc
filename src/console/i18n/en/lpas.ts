import type { lpasId } from '../id/lpas.ts';

// The same words in English, key for key.
export const lpasEn: Readonly<Record<keyof typeof lpasId, string>> = {};
