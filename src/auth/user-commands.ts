import type { Command } from 'commander';
import { operatorActor } from '../access/principal.ts';
import { systemClock } from '../clock.ts';
import type { AccountSettings } from '../config.ts';
import type { Db } from '../db/knex.ts';
import { InputError } from '../errors.ts';
import { failWithInputError, printTable } from '../shared/cli/output.ts';
import { newUserSchema, passwordSchema, usernameSchema, type User } from './model.ts';
import { findUserIdByUsername, listUsers } from './user-store.ts';
import { createUser, disableUser, enableUser, resetPassword, type UserWithPassword } from './users.ts';

const usersListedMax = 10_000;
// A password piped in is one line; more than this is not a password.
const stdinBytesMax = 4096;

// People's accounts from the command line, on the database directly: the
// first directorate user of a fresh install is made here.
export function registerUserCommands(
  program: Command,
  withDb: <T>(work: (db: Db) => Promise<T>) => Promise<T>,
  settings: () => AccountSettings,
): void {
  const users = program.command('users').description('People’s accounts: create, list, disable, enable, reset-password');

  users
    .command('create')
    .description('Create a person’s account; a generated password is printed once')
    .requiredOption('--username <username>', 'what they sign in with, e.g. "maria.dingu"')
    .requiredOption('--name <name>', 'their name as shown, e.g. "Maria Dingu"')
    .requiredOption('--role <role>', 'directorate | dinsos | lpa | finance | auditor')
    .option('--regency <code>', '4-digit regency code (dinsos users)')
    .option('--lpa <uuid>', 'LPA id (lpa users)')
    .option('--locale <locale>', 'id (Bahasa Indonesia) or en', 'id')
    .option('--password-stdin', 'read the first password from standard input instead of generating one')
    .action(
      async (options: {
        username: string;
        name: string;
        role: string;
        regency?: string;
        lpa?: string;
        locale: string;
        passwordStdin?: boolean;
      }) => {
        const parsed = newUserSchema(settings().passwordLengthMin).safeParse({
          username: options.username,
          name: options.name,
          role: options.role,
          locale: options.locale,
          ...(options.regency === undefined ? {} : { regencyCode: options.regency }),
          ...(options.lpa === undefined ? {} : { lpaId: options.lpa }),
          ...(options.passwordStdin === true ? { password: await readPassword() } : {}),
        });
        if (!parsed.success) {
          failWithInputError(
            new InputError(
              parsed.error.issues.map((issue) => ({ field: optionName(String(issue.path[0] ?? '')), message: issue.message })),
              'The user was not created:',
            ),
          );
        }
        const created = await withDb((db) => createUser(db, parsed.data, operatorActor(), systemClock));
        process.stdout.write(`Created ${describe(created.user)}.\n${passwordNotice(created)}`);
      },
    );

  users
    .command('list')
    .description('List people’s accounts (never their passwords)')
    .option('--all', 'include disabled accounts')
    .option('--json', 'print JSON')
    .action(async (options: { all?: boolean; json?: boolean }) => {
      const rows = await withDb((db) => listUsers(db, { includeDisabled: options.all === true, limit: usersListedMax }));
      if (options.json === true) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      else printTable(rows, ['username', 'name', 'role', 'regencyCode', 'lpaId', 'locale', 'status', 'lockedUntil', 'id']);
    });

  users
    .command('disable')
    .description('Disable an account: it cannot sign in, and its sessions end at once')
    .argument('<username>')
    .action(async (username: string) => {
      const user = await withDb(async (db) => disableUser(db, await userId(db, username), operatorActor(), systemClock));
      process.stdout.write(`Disabled ${describe(user)}.\n`);
    });

  users
    .command('enable')
    .description('Enable a disabled account again')
    .argument('<username>')
    .action(async (username: string) => {
      const user = await withDb(async (db) => enableUser(db, await userId(db, username), operatorActor()));
      process.stdout.write(`Enabled ${describe(user)}.\n`);
    });

  users
    .command('reset-password')
    .description('Give an account a new password (printed once when generated); its lock lifts and its sessions end')
    .argument('<username>')
    .option('--password-stdin', 'read the new password from standard input instead of generating one')
    .action(async (username: string, options: { passwordStdin?: boolean }) => {
      let password: string | undefined;
      if (options.passwordStdin === true) {
        const parsed = passwordSchema(settings().passwordLengthMin).safeParse(await readPassword());
        if (!parsed.success)
          failWithInputError(
            new InputError(
              [{ field: 'password', message: parsed.error.issues[0]?.message ?? 'is invalid' }],
              'Nothing was changed:',
            ),
          );
        password = parsed.data;
      }
      const reset = await withDb(async (db) =>
        resetPassword(db, await userId(db, username), password, operatorActor(), systemClock),
      );
      process.stdout.write(`Reset the password of ${describe(reset.user)}.\n${passwordNotice(reset)}`);
    });
}

async function userId(db: Db, username: string): Promise<string> {
  const parsed = usernameSchema.safeParse(username);
  const id = parsed.success ? await findUserIdByUsername(db, parsed.data) : null;
  if (id === null)
    throw new InputError(
      [{ field: 'username', message: `no user is named ${JSON.stringify(username)}` }],
      'Nothing was changed:',
    );
  return id;
}

function describe(user: User): string {
  const scope = user.regencyCode ?? user.lpaId;
  return `${user.role} user ${user.username} ("${user.name}"${scope === null ? '' : `, ${scope}`})`;
}

function passwordNotice(answer: UserWithPassword): string {
  return answer.password === undefined
    ? ''
    : `Their password is shown this once; pass it on now and ask them to change it:\n\n    ${answer.password}\n\n`;
}

// The whole of standard input, less the line end a shell or `echo` adds.
async function readPassword(): Promise<string> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > stdinBytesMax)
      failWithInputError(
        new InputError([{ field: 'password', message: `must be at most ${stdinBytesMax} bytes` }], 'Nothing was changed:'),
      );
    chunks.push(chunk);
  }
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

function optionName(field: string): string {
  const names: Record<string, string> = {
    regencyCode: '--regency',
    lpaId: '--lpa',
    name: '--name',
    role: '--role',
    username: '--username',
    locale: '--locale',
    password: 'password (standard input)',
  };
  return names[field] ?? field;
}
