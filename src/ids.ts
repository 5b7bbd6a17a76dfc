import { z } from 'zod';

// Regency codes are the 4-digit BPS codes (province 2 + regency 2), the same
// digits a NIK starts with.
export const regencyCodeSchema = z.string().regex(/^[0-9]{4}$/, 'must be a 4-digit regency code such as "6210"');
export const uuidSchema = z.uuid('must be a UUID');
