import type { enrolmentId } from '../id/enrolment.ts';

// The same words in English, key for key.
export const enrolmentEn: Readonly<Record<keyof typeof enrolmentId, string>> = {};
