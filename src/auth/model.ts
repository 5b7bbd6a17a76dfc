import { z } from 'zod';
import { roleSchema } from '../access/principal.ts';
import { regencyCodeSchema, uuidSchema } from '../ids.ts';
import { passwordLengthMax } from './password.ts';

export const apiKeyNameSchema = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');

// The scope must match the role, for a key and for a person alike: a
// dinsos holder without a regency would see every regency.
function checkScope(holder: 'key' | 'user') {
  return (scoped: { role: string; regencyCode?: string | undefined; lpaId?: string | undefined }, ctx: z.RefinementCtx) => {
    if (scoped.role === 'dinsos' && scoped.regencyCode === undefined) {
      ctx.addIssue({ code: 'custom', path: ['regencyCode'], message: `is required for a dinsos ${holder}` });
    }
    if (scoped.role !== 'dinsos' && scoped.regencyCode !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['regencyCode'], message: `is only allowed for a dinsos ${holder}` });
    }
    if (scoped.role === 'lpa' && scoped.lpaId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['lpaId'], message: `is required for an lpa ${holder}` });
    }
    if (scoped.role !== 'lpa' && scoped.lpaId !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['lpaId'], message: `is only allowed for an lpa ${holder}` });
    }
  };
}

export const newApiKeySchema = z
  .strictObject({
    name: apiKeyNameSchema,
    role: roleSchema,
    regencyCode: regencyCodeSchema.optional(),
    lpaId: uuidSchema.optional(),
  })
  .superRefine(checkScope('key'));
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

export const locales = ['id', 'en'] as const;
export const localeSchema = z
  .enum(locales)
  .meta({ description: 'The language the console speaks to this person: id (Bahasa Indonesia) or en.' });

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^[a-z0-9][a-z0-9._-]{2,39}$/,
    'must be 3 to 40 characters: letters, digits, ".", "_" or "-", starting with a letter or digit',
  );

// The length policy is configuration (PASSWORD_LENGTH_MIN); the upper bound
// is ours, to bound the work one request can ask of scrypt.
export function passwordSchema(lengthMin: number) {
  return z
    .string()
    .min(lengthMin, `must be at least ${lengthMin} characters`)
    .max(passwordLengthMax, `must be at most ${passwordLengthMax} characters`);
}

export function newUserSchema(passwordLengthMin: number) {
  return z
    .strictObject({
      username: usernameSchema,
      name: apiKeyNameSchema,
      role: roleSchema,
      regencyCode: regencyCodeSchema.optional(),
      lpaId: uuidSchema.optional(),
      locale: localeSchema.default('id'),
      password: passwordSchema(passwordLengthMin)
        .optional()
        .meta({ description: 'The first password. Left out, one is generated and answered once.' }),
    })
    .superRefine(checkScope('user'));
}
export type NewUser = z.output<ReturnType<typeof newUserSchema>>;

export const userSchema = z.object({
  id: z.uuid(),
  username: z.string(),
  name: z.string(),
  role: roleSchema,
  regencyCode: z.string().nullable(),
  lpaId: z.string().nullable(),
  locale: localeSchema,
  status: z.enum(['active', 'disabled']),
  lockedUntil: z.iso
    .datetime()
    .nullable()
    .meta({ description: 'Until when wrong passwords locked the account; in the past once the lock has passed.' }),
  passwordChangedAt: z.iso.datetime(),
  createdAt: z.iso.datetime(),
  createdBy: z.string(),
  disabledAt: z.iso.datetime().nullable(),
});
export type User = z.infer<typeof userSchema>;

export const createdUserSchema = z.object({
  user: userSchema,
  password: z
    .string()
    .optional()
    .meta({ description: 'The generated first password, shown this once; absent when the request gave one.' }),
});
