import type { Command } from 'commander';
import type { Db } from '../db/knex.ts';
import { InputError } from '../errors.ts';
import { failWithInputError, printTable } from '../shared/cli/output.ts';
import { createApiKey, revokeApiKey } from './keys.ts';
import { operatorActor } from '../access/principal.ts';
import { newApiKeySchema } from './model.ts';
import { uuidSchema } from '../ids.ts';
import { listApiKeys } from './store.ts';

const keysListedMax = 10_000;

export function registerKeyCommands(program: Command, withDb: <T>(work: (db: Db) => Promise<T>) => Promise<T>): void {
  const keys = program.command('keys').description('API keys: create, list, revoke');

  keys
    .command('create')
    .description('Create an API key; the secret is printed once')
    .requiredOption('--role <role>', 'directorate | dinsos | lpa | finance | auditor')
    .requiredOption('--name <name>', 'who holds the key, e.g. "Dinsos Gunung Mas"')
    .option('--regency <code>', '4-digit regency code (dinsos keys)')
    .option('--lpa <uuid>', 'LPA id (lpa keys)')
    .option('--json', 'print JSON')
    .action(async (options: { role: string; name: string; regency?: string; lpa?: string; json?: boolean }) => {
      const parsed = newApiKeySchema.safeParse({
        name: options.name,
        role: options.role,
        ...(options.regency === undefined ? {} : { regencyCode: options.regency }),
        ...(options.lpa === undefined ? {} : { lpaId: options.lpa }),
      });
      if (!parsed.success) {
        failWithInputError(
          new InputError(
            parsed.error.issues.map((issue) => ({ field: optionName(String(issue.path[0] ?? '')), message: issue.message })),
            'The key was not created:',
          ),
        );
      }
      const created = await withDb((db) => createApiKey(db, parsed.data, operatorActor()));
      if (options.json === true) {
        process.stdout.write(`${JSON.stringify(created, null, 2)}\n`);
        return;
      }
      process.stdout.write(
        `Created ${created.key.role} key "${created.key.name}" (id ${created.key.id}).\n` +
          `Its secret is shown this once; store it now:\n\n    ${created.secret}\n\n`,
      );
    });

  keys
    .command('list')
    .description('List API keys (never their secrets)')
    .option('--all', 'include revoked keys')
    .option('--json', 'print JSON')
    .action(async (options: { all?: boolean; json?: boolean }) => {
      const rows = await withDb((db) => listApiKeys(db, { includeRevoked: options.all === true, limit: keysListedMax }));
      if (options.json === true) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      else
        printTable(rows, ['id', 'role', 'name', 'regencyCode', 'lpaId', 'secretPrefix', 'createdAt', 'lastUsedAt', 'revokedAt']);
    });

  keys
    .command('revoke')
    .description('Revoke an API key by id; it stops working at once')
    .argument('<id>', 'key id, as shown by "keys list"')
    .action(async (id: string) => {
      const parsed = uuidSchema.safeParse(id);
      if (!parsed.success)
        failWithInputError(new InputError([{ field: 'id', message: 'must be a key id (a UUID)' }], 'Nothing was revoked:'));
      const key = await withDb((db) => revokeApiKey(db, parsed.data, operatorActor()));
      process.stdout.write(`Revoked ${key.role} key "${key.name}" (id ${key.id}).\n`);
    });
}

function optionName(field: string): string {
  const names: Record<string, string> = { regencyCode: '--regency', lpaId: '--lpa', name: '--name', role: '--role' };
  return names[field] ?? field;
}
