import { createHash, randomBytes } from 'node:crypto';

// 32 random bytes make guessing hopeless, so a plain SHA-256 (not a slow
// password hash) is enough to store them, and lets us look a key up by hash.
const secretBytes = 32;
const secretPrefixLength = 12;

export function generateSecret(): string {
  return `ask_${randomBytes(secretBytes).toString('base64url')}`;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function secretPrefix(secret: string): string {
  return secret.slice(0, secretPrefixLength);
}
