import { z } from 'zod';
import { uuidSchema } from '../../ids.ts';

// Query strings and path parameters arrive as text; these parse them into
// bounded values.

// A path that names one thing by its id: /v1/claims/:id.
export const idParams = z.strictObject({ id: uuidSchema });

// A whole number from min to max, the default when absent.
export function wholeNumberQuery(min: number, max: number, byDefault: number, description: string) {
  return z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`))
    .default(byDefault)
    .meta({ description });
}

export function pageLimit(limitMax: number, limitDefault: number) {
  return wholeNumberQuery(1, limitMax, limitDefault, `How many rows to return, 1 to ${limitMax}.`);
}

export const booleanFlag = z.enum(['true', 'false']).transform((text) => text === 'true');
