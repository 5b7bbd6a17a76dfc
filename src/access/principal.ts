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

// What vouched for the caller: an API key (a system), or the session of a
// person who signed in with a password.
export type Credential =
  | { readonly via: 'api-key'; readonly keyId: string }
  | {
      readonly via: 'session';
      readonly userId: string;
      readonly username: string;
      readonly sessionId: string;
      // The session's CSRF token, for the person's pages to send back.
      readonly csrfToken: string;
    };

// Who is calling: derived from the API key or the session, never from the
// request body. The role and scope are the same for both.
export type Principal = Credential & {
  readonly name: string;
} & (
    | { readonly role: 'dinsos'; readonly regencyCode: string }
    | { readonly role: 'lpa'; readonly lpaId: string }
    | { readonly role: 'directorate' | 'finance' | 'auditor' }
  );

// A person signed in, with the session they act through.
export type SessionPrincipal = Principal & { readonly via: 'session' };

// Who wrote: an API key's holder, a signed-in person, an operator at the
// command line, or (for a failed sign-in under an unknown name) nobody known.
export interface Actor {
  readonly actor: string;
  readonly actorRole: Role | 'operator' | 'anonymous';
  readonly actorKeyId: string | null;
  readonly requestId: string | null;
}

// The operator at the command line, named by their login.
export function operatorActor(): Actor {
  return { actor: `cli:${userInfo().username}`, actorRole: 'operator', actorKeyId: null, requestId: null };
}

// The actor a request's writes record.
export function actorOf(principal: Principal, requestId: string | null): Actor {
  return principal.via === 'api-key'
    ? { actor: `key:${principal.name}`, actorRole: principal.role, actorKeyId: principal.keyId, requestId }
    : { actor: `user:${principal.username}`, actorRole: principal.role, actorKeyId: null, requestId };
}

// A name for the caller that stays the same across requests, for what is
// kept per caller (an Idempotency-Key belongs to the key or person that sent it).
export function callerOf(principal: Principal): { readonly kind: 'api-key' | 'user'; readonly id: string } {
  return principal.via === 'api-key' ? { kind: 'api-key', id: principal.keyId } : { kind: 'user', id: principal.userId };
}
