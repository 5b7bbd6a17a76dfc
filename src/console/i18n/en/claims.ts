import type { claimsId } from '../id/claims.ts';

// The same words in English, key for key.
export const claimsEn: Readonly<Record<keyof typeof claimsId, string>> = {};
