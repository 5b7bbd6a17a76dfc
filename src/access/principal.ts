import { userInfo } from 'node:os';
import { z } from 'zod';

// Who may act and who did: the roles, the caller an API key stands for, and
// the actor every write records. Every layer names them, so they sit at the
// bottom with no store behind them.

export const roles = ['directorate', 'dinsos', 'lpa', 'finance', 'auditor'] as const;
export const roleSchema = z.enum(roles).meta({
  description:
    'directorate: national owner, all data; dinsos: regional social office, one regency; lpa: one implementing agency; finance: books and reports; auditor: reads everything, writes nothing.',
});
export type Role = z.infer<typeof roleSchema>;

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

// The operator at the command line, named by their login.
export function operatorActor(): Actor {
  return { actor: `cli:${userInfo().username}`, actorRole: 'operator', actorKeyId: null, requestId: null };
}
