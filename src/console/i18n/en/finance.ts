import type { financeId } from '../id/finance.ts';

// The same words in English, key for key.
export const financeEn: Readonly<Record<keyof typeof financeId, string>> = {};
