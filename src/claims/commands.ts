import type { Command } from 'commander';
import { operatorActor } from '../auth/commands.ts';
import { todayIn } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/knex.ts';
import { InputError, NotFoundError } from '../errors.ts';
import { amount, formatRupiah } from '../money/index.ts';
import { explainClaim } from './explain.ts';
import { payClaim } from './pay.ts';
import { findClaim, findDecision } from './store.ts';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function claimId(id: string): string {
  if (!uuidPattern.test(id)) throw new InputError([{ field: 'id', message: 'must be a claim id (a UUID)' }]);
  return id;
}

// `askesos claims …`: what an operator at the fund reads and does by hand.
export function registerClaimCommands(
  program: Command,
  config: () => Config,
  withDb: <T>(work: (db: Db) => Promise<T>) => Promise<T>,
): void {
  const claims = program.command('claims').description('Claims: show one with its explanation, pay one');
  claims
    .command('show')
    .description('A claim, its decision and why, in plain words')
    .argument('<id>', 'claim id')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }) => {
      const { claim, explanation } = await withDb(async (db) => {
        const found = await findClaim(db, claimId(id));
        const decision = found === null ? null : await findDecision(db, found.id);
        if (found === null || decision === null) throw new NotFoundError('claim', id);
        const { regencyCode: _scope, ...view } = found;
        return { claim: view, explanation: explainClaim(view, decision) };
      });
      if (options.json === true) {
        process.stdout.write(`${JSON.stringify({ claim, explanation }, null, 2)}\n`);
        return;
      }
      const paid = claim.status === 'paid' ? `, paid ${claim.paidOn ?? ''} (reference ${claim.payoutReference ?? ''})` : '';
      process.stdout.write(
        [
          `Claim ${claim.id}: ${claim.claimType}, incident ${claim.incidentDate}, reported ${claim.reportDate}`,
          `Participant ${claim.participantId}, LPA ${claim.lpaId}`,
          `${explanation.summary}${paid}`,
          ...explanation.lines.map((line) => `  ${line}`),
          '',
        ].join('\n'),
      );
    });
  claims
    .command('pay')
    .description('Pay an approved claim: claims payable against the fund’s cash')
    .argument('<id>', 'claim id')
    .requiredOption('--reference <reference>', 'the bank transfer or cash receipt reference')
    .action(async (id: string, options: { reference: string }) => {
      const reference = options.reference.trim();
      if (reference === '' || reference.length > 100)
        throw new InputError([{ field: '--reference', message: 'must be 1 to 100 characters' }]);
      const { claim, replayed } = await withDb((db) =>
        payClaim(
          db,
          // The reference is the operator's own key: paying again with it answers the payment.
          { claimId: claimId(id), reference, idempotencyKey: `cli:${reference}`, today: todayIn(config().TIMEZONE) },
          operatorActor(),
        ),
      );
      process.stdout.write(
        `${replayed ? 'Already paid' : 'Paid'}: claim ${claim.id}, ${formatRupiah(amount(claim.amount ?? '0'))}, reference ${claim.payoutReference ?? ''}, on ${claim.paidOn ?? ''}.\n`,
      );
    });
}
