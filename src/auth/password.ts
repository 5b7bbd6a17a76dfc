import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

// Passwords are hashed with scrypt, memory-hard and in Node's standard
// library. The stored text carries its own parameters and salt,
// 'scrypt$ln=15,r=8,p=1$<salt>$<hash>', so raising the cost later leaves
// every old hash readable; a person's hash is redone at their next sign-in.

export interface ScryptParameters {
  // log2 of scrypt's N (its CPU and memory cost).
  readonly ln: number;
  readonly r: number;
  readonly p: number;
}

// 2^15 × 8 × 128 bytes = 32 MiB and about a tenth of a second per hash: the
// OWASP floor for scrypt, affordable at the rate people sign in.
export const scryptParametersCurrent: ScryptParameters = { ln: 15, r: 8, p: 1 };

const saltBytes = 16;
const hashBytes = 32;
// A stored hash naming a cost past these is not ours; refusing it keeps a
// bad row from taking the process's memory.
const lnMax = 20;
const rMax = 32;
const pMax = 16;
// Enough for any pass phrase; bounds the work one request can ask for.
export const passwordLengthMax = 256;
// 20 characters of base64url: 120 random bits, typed once and then changed.
const generatedPasswordBytes = 15;

const storedPattern = /^scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

export async function hashPassword(password: string, parameters: ScryptParameters = scryptParametersCurrent): Promise<string> {
  const salt = randomBytes(saltBytes);
  const hash = await derive(password, salt, parameters, hashBytes);
  return `scrypt$ln=${parameters.ln},r=${parameters.r},p=${parameters.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseStored(stored);
  const hash = await derive(password, parsed.salt, parsed.parameters, parsed.hash.length);
  return timingSafeEqual(hash, parsed.hash);
}

// The hash was made with less work than we ask for today.
export function needsRehash(stored: string): boolean {
  const { parameters } = parseStored(stored);
  return (
    parameters.ln < scryptParametersCurrent.ln ||
    parameters.r < scryptParametersCurrent.r ||
    parameters.p < scryptParametersCurrent.p
  );
}

export function generatePassword(): string {
  return randomBytes(generatedPasswordBytes).toString('base64url');
}

// A hash of a password nobody has, to compare against when the username is
// unknown: the answer then takes as long as for a known one.
let decoy: Promise<string> | null = null;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(generatePassword());
  return decoy;
}

function parseStored(stored: string): { parameters: ScryptParameters; salt: Buffer; hash: Buffer } {
  const match = storedPattern.exec(stored);
  // The database's check holds every row to this shape; a mismatch is our bug.
  if (match === null) throw new Error('a stored password hash is not in the scrypt format');
  const [, ln, r, p, salt, hash] = match;
  const parameters = { ln: Number(ln), r: Number(r), p: Number(p) };
  if (parameters.ln > lnMax || parameters.r > rMax || parameters.p > pMax)
    throw new Error('a stored password hash asks for more work than allowed');
  return { parameters, salt: Buffer.from(salt ?? '', 'base64url'), hash: Buffer.from(hash ?? '', 'base64url') };
}

function derive(password: string, salt: Buffer, parameters: ScryptParameters, length: number): Promise<Buffer> {
  const N = 2 ** parameters.ln;
  // scrypt needs 128·N·r bytes; Node refuses past maxmem, whose default is just 32 MiB.
  const maxmem = 128 * N * parameters.r * 2;
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, length, { N, r: parameters.r, p: parameters.p, maxmem }, (error, key) =>
      error === null ? resolve(key) : reject(error),
    );
  });
}
