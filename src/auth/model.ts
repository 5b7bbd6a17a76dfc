import { z } from 'zod';
import { roleSchema } from '../access/principal.ts';
import { regencyCodeSchema, uuidSchema } from '../ids.ts';

export const apiKeyNameSchema = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');

export const newApiKeySchema = z
  .strictObject({
    name: apiKeyNameSchema,
    role: roleSchema,
    regencyCode: regencyCodeSchema.optional(),
    lpaId: uuidSchema.optional(),
  })
  .superRefine((key, ctx) => {
    if (key.role === 'dinsos' && key.regencyCode === undefined) {
      ctx.addIssue({ code: 'custom', path: ['regencyCode'], message: 'is required for a dinsos key' });
    }
    if (key.role !== 'dinsos' && key.regencyCode !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['regencyCode'], message: 'is only allowed for a dinsos key' });
    }
    if (key.role === 'lpa' && key.lpaId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['lpaId'], message: 'is required for an lpa key' });
    }
    if (key.role !== 'lpa' && key.lpaId !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['lpaId'], message: 'is only allowed for an lpa key' });
    }
  });
export type NewApiKey = z.output<typeof newApiKeySchema>;

export const apiKeySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  role: roleSchema,
  regencyCode: z.string().nullable(),
  lpaId: z.string().nullable(),
  secretPrefix: z.string().meta({ description: 'The first characters of the secret, to recognise a key without revealing it.' }),
  createdAt: z.iso.datetime(),
  createdBy: z.string(),
  revokedAt: z.iso.datetime().nullable(),
  lastUsedAt: z.iso.datetime().nullable(),
});
export type ApiKey = z.infer<typeof apiKeySchema>;

export const createdApiKeySchema = z.object({
  key: apiKeySchema,
  secret: z.string().meta({ description: 'The API key itself. It is shown this once and cannot be recovered.' }),
});
