import { z } from 'zod';
import { uuidSchema } from '../auth/model.ts';

// Query strings and path parameters arrive as text; these parse them into
// bounded values.

// A path that names one thing by its id: /v1/claims/:id.
export const idParams = z.strictObject({ id: uuidSchema });

export function pageLimit(limitMax: number, limitDefault: number) {
  return z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1, 'must be at least 1').max(limitMax, `must be at most ${limitMax}`))
    .default(limitDefault)
    .meta({ description: `How many rows to return, 1 to ${limitMax}.` });
}

export const booleanFlag = z.enum(['true', 'false']).transform((text) => text === 'true');
