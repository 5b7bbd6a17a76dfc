import type { Command } from 'commander';
import { operatorActor } from '../access/principal.ts';
import { todayIn } from '../clock.ts';
import { loadRuleBook } from '../rules/load.ts';
import { uuidArgument } from '../shared/cli/output.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/knex.ts';
import { InputError, NotFoundError } from '../errors.ts';
import { formatRupiah, fromNumeric } from '../money/index.ts';
import { explainClaim } from './explain.ts';
import { canonicalJson, sha256Hex } from '../hash.ts';
import { isoDateSchema } from '../dates.ts';
import { claimReviewSchema } from './model.ts';
import { payClaim } from './pay.ts';
import { reviewClaim } from './review.ts';
import { findClaim, findDecision, listPastDeadline } from './store.ts';

// A report for a person to read; GET /v1/claims/past-deadline takes a limit.
const pastDeadlineListedMax = 1000;

const claimId = (id: string) => uuidArgument('id', id, 'must be a claim id (a UUID)');

// `askesos claims …`: what an operator at the fund reads and does by hand.
export function registerClaimCommands(
  program: Command,
  config: () => Config,
  withDb: <T>(work: (db: Db) => Promise<T>) => Promise<T>,
): void {
  const claims = program
    .command('claims')
    .description('Claims: show one with its explanation, review or pay one, list those past their payment deadline');
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
      process.stdout.write(
        [
          `Claim ${claim.id}: ${claim.claimType}, incident ${claim.incidentDate}, reported ${claim.reportDate}`,
          `Participant ${claim.participantId}, LPA ${claim.lpaId}`,
          explanation.summary,
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
    .option('--paid-on <date>', 'the day the money left the fund (YYYY-MM-DD), when not today')
    .action(async (id: string, options: { reference: string; paidOn?: string }) => {
      const reference = options.reference.trim();
      if (reference === '' || reference.length > 100)
        throw new InputError([{ field: '--reference', message: 'must be 1 to 100 characters' }]);
      const paidOn = options.paidOn === undefined ? undefined : isoDateSchema.safeParse(options.paidOn);
      if (paidOn?.success === false) throw new InputError([{ field: '--paid-on', message: 'must be a date as YYYY-MM-DD' }]);
      const { claim, replayed } = await withDb((db) =>
        payClaim(
          db,
          // The reference is the operator's own key: paying again with it answers the payment.
          {
            claimId: claimId(id),
            reference,
            paidOn: paidOn?.data,
            paidOnField: '--paid-on',
            idempotencyKey: `cli:${reference}`,
            today: todayIn(config().TIMEZONE),
          },
          operatorActor(),
        ),
      );
      process.stdout.write(
        `${replayed ? 'Already paid' : 'Paid'}: claim ${claim.id}, ${formatRupiah(fromNumeric(claim.amount ?? '0'))}, reference ${claim.payoutReference ?? ''}, on ${claim.paidOn ?? ''}.\n`,
      );
    });
  claims
    .command('review')
    .description('Approve or reject a claim the rules referred to the directorate, with the reason')
    .argument('<id>', 'claim id')
    .option('--approve', 'approve it: the case reserve is booked at the amount the rules set')
    .option('--reject', 'reject it')
    .requiredOption('--reason <reason>', 'why, in words the LPA can pass on')
    .action(async (id: string, options: { approve?: boolean; reject?: boolean; reason: string }) => {
      if ((options.approve === true) === (options.reject === true))
        throw new InputError([{ field: '--approve', message: 'give exactly one of --approve and --reject' }]);
      const parsed = claimReviewSchema.safeParse({
        outcome: options.approve === true ? 'approved' : 'rejected',
        reason: options.reason,
      });
      if (!parsed.success) throw new InputError([{ field: '--reason', message: 'must be 3 to 500 characters' }]);
      const { claim, replayed } = await withDb((db) =>
        reviewClaim(
          db,
          loadRuleBook(config().RULES_DIR),
          // Running the same command again answers the first review; another
          // outcome or reason is told the claim was already reviewed.
          {
            claimId: claimId(id),
            ...parsed.data,
            idempotencyKey: `cli:review:${id}:${sha256Hex(canonicalJson(parsed.data))}`,
            today: todayIn(config().TIMEZONE),
          },
          operatorActor(),
        ),
      );
      const due = claim.paymentDueOn === null ? '' : `, to be paid by ${claim.paymentDueOn}`;
      process.stdout.write(
        `${replayed ? 'Already reviewed' : 'Reviewed'}: claim ${claim.id} ${claim.review?.outcome ?? claim.status}${claim.status === 'approved' ? ` for ${formatRupiah(fromNumeric(claim.amount ?? '0'))}${due}` : ''}.\n`,
      );
    });
  claims
    .command('past-deadline')
    .description('Approved claims not paid by the deadline their rules set, oldest deadline first')
    .option('--date <date>', 'as of this day (YYYY-MM-DD) instead of today')
    .option('--json', 'print JSON')
    .action(async (options: { date?: string; json?: boolean }) => {
      const parsed = isoDateSchema.safeParse(options.date ?? todayIn(config().TIMEZONE));
      if (!parsed.success) throw new InputError([{ field: '--date', message: 'must be a date as YYYY-MM-DD' }]);
      const today = parsed.data;
      const found = await withDb((db) => listPastDeadline(db, { today, limit: pastDeadlineListedMax + 1 }));
      const overdue = found.slice(0, pastDeadlineListedMax);
      const more = found.length > overdue.length;
      if (options.json === true) {
        process.stdout.write(`${JSON.stringify({ today, claims: overdue, more }, null, 2)}\n`);
        return;
      }
      if (overdue.length === 0) {
        process.stdout.write(`No approved claim is past its payment deadline on ${today}.\n`);
        return;
      }
      const count = more ? `More than ${pastDeadlineListedMax}` : String(overdue.length);
      process.stdout.write(
        [
          `${count} approved claim(s) past their payment deadline on ${today}${more ? ` (the ${pastDeadlineListedMax} oldest shown)` : ''}:`,
          ...overdue.map(
            (claim) =>
              `  ${claim.id}  ${claim.claimType}  ${formatRupiah(fromNumeric(claim.amount ?? '0'))}  due ${claim.paymentDueOn ?? ''}  ${claim.daysOverdue} day(s) late  LPA ${claim.lpaId}`,
          ),
          '',
        ].join('\n'),
      );
    });
}
