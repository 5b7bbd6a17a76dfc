import type { Knex } from 'knex';
import { z } from 'zod';
import { recordAudit } from '../audit/store.ts';
import type { Actor } from '../access/principal.ts';
import { type Db, withTransaction } from '../db/knex.ts';
import { IdempotencyKeyReusedError, InputError, UnprocessableError } from '../errors.ts';
import { amountSchema, toAmountString, toDecimalString } from '../money/index.ts';
import { coverageYear } from '../registry/index.ts';
import { lockMemberOfLpa } from '../registry/index.ts';
import { canonicalJson, sha256Hex } from '../hash.ts';
import type { RuleBook } from '../rules/load.ts';
import { isoDateSchema, refuseFutureDates } from '../dates.ts';
import type { LoanApplicationFacts } from '../savings/index.ts';
import { loanOffer, termProblems } from './products.ts';
import { enrolmentInCover, insertLoan, loanByIdempotencyKey, loanStandingOn, savingsStandingOn, toLoan } from './store.ts';
import { type Loan } from './model.ts';

export const loanApplicationSchema = z.strictObject({
  product: z.string().regex(/^[a-z][a-z0-9-]{1,63}$/, 'must be a product name such as "modal-usaha"'),
  amount: amountSchema({ allowZero: false }),
  termMonths: z.int().min(1).max(120),
  graceMonths: z.int().min(0).max(24).default(0),
  purpose: z.string().trim().min(1).max(500).meta({ description: 'What the member borrows for, in their words.' }),
  appliedOn: isoDateSchema,
});
export type LoanApplication = z.output<typeof loanApplicationSchema>;

// An application is decided when it is made, by the savings rules in force
// on its day and the member's standing that day (months saved, savings
// behind, loans out, days in arrears): approved, or refused with every
// reason the rules give. Terms outside what the product allows are a
// mistake in the application, answered field by field and not kept.
export async function applyForLoan(
  db: Db,
  book: RuleBook,
  request: {
    lpaId: string;
    participantId: string;
    input: LoanApplication;
    idempotencyKey: string;
    today: string;
    fieldPrefix: string;
  },
  actor: Actor,
): Promise<{ loan: Loan; replayed: boolean }> {
  const { input, fieldPrefix } = request;
  refuseFutureDates(request.today, { [`${fieldPrefix}appliedOn`]: input.appliedOn });
  const fingerprint = sha256Hex(
    canonicalJson({ participantId: request.participantId, ...input, amount: toAmountString(input.amount) }),
  );
  return withTransaction(db, async (trx) => {
    await lockMemberOfLpa(trx, request.participantId, request.lpaId);
    const earlier = await loanByIdempotencyKey(trx, request.lpaId, request.idempotencyKey);
    if (earlier !== null) {
      if (earlier.fingerprint !== fingerprint)
        throw new IdempotencyKeyReusedError(request.idempotencyKey, `the application for loan ${earlier.id}, with another body`);
      return { loan: await toLoan(trx, earlier, request.today), replayed: true };
    }
    const cover = await enrolmentInCover(trx, request.participantId, input.appliedOn);
    if (cover === null)
      throw new UnprocessableError('not-in-cover', `The member is not in cover on ${input.appliedOn}; loans are for members.`);
    const facts = await loanFacts(trx, request.participantId, input.appliedOn);
    const offer = loanOffer(book, {
      scheme: cover.rule_scheme,
      date: input.appliedOn,
      coverageYear: coverageYear(cover.enrolled_on, input.appliedOn),
      facts,
    });
    if (offer === null)
      throw new UnprocessableError(
        'no-loans-offered',
        `The savings rules of ${cover.rule_scheme} in force on ${input.appliedOn} offer no loans.`,
      );
    const problems = termProblems(offer.products, input);
    if (input.amount.decimalPlaces() > offer.rounding.decimalPlaces)
      problems.push({ field: 'amount', message: `must be in whole units of ${offer.rounding.decimalPlaces} decimal places` });
    if (problems.length > 0)
      throw new InputError(problems.map((problem) => ({ ...problem, field: `${fieldPrefix}${problem.field}` })));
    const product = offer.products.find((offered) => offered.product === input.product);
    if (product === undefined) throw new Error(`loan product ${input.product} passed the checks but is not offered`);
    const row = await insertLoan(trx, {
      participant_id: request.participantId,
      lpa_id: request.lpaId,
      status: offer.refusals.length > 0 ? 'refused' : 'approved',
      product: product.product,
      amount: toAmountString(input.amount),
      term_months: input.termMonths,
      grace_months: input.graceMonths,
      method: product.method,
      repayment: product.repayment,
      monthly_rate: toDecimalString(product.monthlyRate),
      penalty_rate: toDecimalString(product.penaltyMonthlyRate),
      purpose: input.purpose,
      applied_on: input.appliedOn,
      facts: JSON.stringify(offer.facts),
      reasons: JSON.stringify(offer.refusals),
      rule_scheme: cover.rule_scheme,
      rule_version: offer.version,
      rule_hash: offer.hash,
      idempotency_key: request.idempotencyKey,
      fingerprint,
      recorded_by: actor.actor,
    });
    await recordAudit(trx, actor, {
      action: 'loan.apply',
      entityType: 'loan',
      entityId: row.id,
      detail: { status: row.status, product: row.product, amount: row.amount, reasons: offer.refusals.map((r) => r.reason) },
    });
    return { loan: await toLoan(trx, row, request.today), replayed: false };
  });
}

// A member's standing for the savings rules on a day: months of mandatory
// savings their deposits cover (oldest due first) and those before the
// month not covered; loans approved or out; days the oldest unpaid
// instalment is past due.
export async function loanFacts(trx: Knex.Transaction | Db, participantId: string, date: string): Promise<LoanApplicationFacts> {
  const savings = await savingsStandingOn(trx, participantId, date);
  const loans = await loanStandingOn(trx, participantId, date);
  return {
    savingsMonthsPaid: savings.monthsPaid,
    savingsMonthsBehind: savings.monthsBehind,
    loansOutstanding: loans.outstanding,
    loanDaysInArrears: loans.daysInArrears,
  };
}
