import { amount, type Amount, toDecimalString } from '../money/index.ts';

// How a repayment is split, as a pure function of the loan's instalments as
// they stand. Penalties first, then interest, then principal, of what is
// due by the repayment day, oldest instalment first; anything more repays
// ahead: the running instalment's interest, then principal of the
// instalments to come, oldest first. A repayment can never be more than
// the loan's payoff, so nothing is ever over-collected; when it repays the
// last of the principal, the interest not yet earned is waived.

export interface InstalmentState {
  readonly number: number;
  readonly dueOn: string;
  readonly principal: Amount;
  readonly interest: Amount;
  readonly penalty: Amount;
  readonly principalPaid: Amount;
  readonly interestPaid: Amount;
  readonly penaltyPaid: Amount;
  readonly interestWaived: Amount;
}

export interface InstalmentPayment {
  readonly number: number;
  readonly penalty: Amount;
  readonly interest: Amount;
  readonly principal: Amount;
  // Interest released when the loan is repaid before it was earned.
  readonly interestWaived: Amount;
}

export interface RepaymentSplit {
  readonly penalty: Amount;
  readonly interest: Amount;
  readonly principal: Amount;
  readonly interestWaived: Amount;
  readonly instalments: readonly InstalmentPayment[];
  readonly repaid: boolean;
}

const zero = amount('0');
const unpaid = (owed: Amount, paid: Amount, waived: Amount = zero) => owed.minus(paid).minus(waived);
const interestOpen = (instalment: InstalmentState) =>
  unpaid(instalment.interest, instalment.interestPaid, instalment.interestWaived);

// What settles the loan on a day: penalties, the interest due by then and
// the running instalment's, and all the principal still owed.
export function payoffOn(instalments: readonly InstalmentState[], date: string): Amount {
  const running = runningInstalment(instalments, date);
  return instalments.reduce(
    (total, instalment) =>
      total
        .plus(unpaid(instalment.penalty, instalment.penaltyPaid))
        .plus(instalment.dueOn <= date || instalment.number === running ? interestOpen(instalment) : zero)
        .plus(unpaid(instalment.principal, instalment.principalPaid)),
    zero,
  );
}

// What is due by a day and unpaid: the amount that keeps the loan current.
export function dueOn(instalments: readonly InstalmentState[], date: string): Amount {
  return instalments
    .filter((instalment) => instalment.dueOn <= date)
    .reduce(
      (total, instalment) =>
        total
          .plus(unpaid(instalment.penalty, instalment.penaltyPaid))
          .plus(interestOpen(instalment))
          .plus(unpaid(instalment.principal, instalment.principalPaid)),
      zero,
    );
}

// The first instalment not yet due on the day, whose interest an early
// repayment pays in full; null when every instalment is due.
function runningInstalment(instalments: readonly InstalmentState[], date: string): number | null {
  return instalments.find((instalment) => instalment.dueOn > date)?.number ?? null;
}

export function splitRepayment(instalments: readonly InstalmentState[], paid: Amount, date: string): RepaymentSplit {
  if (!paid.greaterThan(0)) throw new RangeError(`a repayment of ${toDecimalString(paid)}`);
  const payoff = payoffOn(instalments, date);
  if (paid.greaterThan(payoff))
    throw new RangeError(`a repayment of ${toDecimalString(paid)} is more than the payoff ${toDecimalString(payoff)}`);
  const ordered = [...instalments].sort((a, b) => a.number - b.number);
  const running = runningInstalment(ordered, date);
  const parts = new Map(ordered.map((instalment) => [instalment.number, { penalty: zero, interest: zero, principal: zero }]));
  let left = paid;
  const take = (number: number, kind: 'penalty' | 'interest' | 'principal', open: Amount) => {
    if (left.isZero() || !open.greaterThan(0)) return;
    const part = left.lessThan(open) ? left : open;
    const row = parts.get(number) as { penalty: Amount; interest: Amount; principal: Amount };
    row[kind] = row[kind].plus(part);
    left = left.minus(part);
  };
  const due = ordered.filter((instalment) => instalment.dueOn <= date);
  for (const instalment of ordered) take(instalment.number, 'penalty', unpaid(instalment.penalty, instalment.penaltyPaid));
  for (const instalment of due) take(instalment.number, 'interest', interestOpen(instalment));
  for (const instalment of due) take(instalment.number, 'principal', unpaid(instalment.principal, instalment.principalPaid));
  const ahead = ordered.find((instalment) => instalment.number === running);
  if (ahead !== undefined) take(ahead.number, 'interest', interestOpen(ahead));
  for (const instalment of ordered)
    if (instalment.dueOn > date) take(instalment.number, 'principal', unpaid(instalment.principal, instalment.principalPaid));
  if (!left.isZero()) throw new Error(`repayment split left ${toDecimalString(left)} unplaced below the payoff`);

  const repaid = ordered.every((instalment) =>
    unpaid(instalment.principal, instalment.principalPaid).equals(parts.get(instalment.number)?.principal ?? zero),
  );
  const payments = ordered.map((instalment) => {
    const part = parts.get(instalment.number) as { penalty: Amount; interest: Amount; principal: Amount };
    const interestWaived = repaid ? interestOpen(instalment).minus(part.interest) : zero;
    return { number: instalment.number, ...part, interestWaived };
  });
  const total = (pick: (payment: InstalmentPayment) => Amount) =>
    payments.reduce((sum, payment) => sum.plus(pick(payment)), zero);
  return {
    penalty: total((payment) => payment.penalty),
    interest: total((payment) => payment.interest),
    principal: total((payment) => payment.principal),
    interestWaived: total((payment) => payment.interestWaived),
    instalments: payments.filter(
      (payment) =>
        !(payment.penalty.isZero() && payment.interest.isZero() && payment.principal.isZero() && payment.interestWaived.isZero()),
    ),
    repaid,
  };
}
