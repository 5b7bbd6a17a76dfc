import { z } from 'zod';

export const roles = ['directorate', 'dinsos', 'lpa', 'finance', 'auditor'] as const;
export const roleSchema = z.enum(roles).meta({
  description:
    'directorate: national owner, all data; dinsos: regional social office, one regency; lpa: one implementing agency; finance: books and reports; auditor: reads everything, writes nothing.',
});
export type Role = z.infer<typeof roleSchema>;

// Regency codes are the 4-digit BPS codes (province 2 + regency 2), the same
// digits a NIK starts with.
export const regencyCodeSchema = z.string().regex(/^[0-9]{4}$/, 'must be a 4-digit regency code such as "6210"');
export const uuidSchema = z.uuid('must be a UUID');

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

// Who is calling: derived from the API key, never from the request body.
export type Principal = {
  readonly keyId: string;
  readonly name: string;
} & (
  | { readonly role: 'dinsos'; readonly regencyCode: string }
  | { readonly role: 'lpa'; readonly lpaId: string }
  | { readonly role: 'directorate' | 'finance' | 'auditor' }
);

// Who wrote: an API key's holder, or an operator at the command line.
export interface Actor {
  readonly actor: string;
  readonly actorRole: Role | 'operator';
  readonly actorKeyId: string | null;
  readonly requestId: string | null;
}
