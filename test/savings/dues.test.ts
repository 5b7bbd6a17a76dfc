import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { down, up } from '../../migrations/20261203000200_savings_dues_running.ts';
import { addMonths } from '../../src/dates.ts';
import { jobDefinitions, scheduledJobs } from '../../src/app/jobs.ts';
import { amount, toAmountString } from '../../src/money/index.ts';
import { bookSavingsDues } from '../../src/savings/dues.ts';
import type { SavingsDuesSummary } from '../../src/savings/model.ts';
import { mandatorySavings } from '../../src/savings/mandatory.ts';
import { depositSavings } from '../../src/savings/transactions.ts';
import { shippedRules, testActor } from '../support/api.ts';
import type { TestDatabase } from '../support/db.ts';
import { enrolmentSince } from '../support/enrolment.ts';
import { openLpaFixture } from '../support/fixture.ts';

// What is owed is booked once, whenever it becomes known: a member entered
// after the month's savings-dues run, or dated months back, owes each of
// those months, each booked for its own month under the savings rules of
// that month. And marking who is behind reads each account's running
// totals, never its whole history, yet says what a count from scratch says.

let database: TestDatabase;
let lpaId: string;
let serial = 7000;
let deposits = 0;

beforeAll(async () => {
  ({ database, lpaId } = await openLpaFixture(() => '2027-12-31'));
});
afterAll(async () => database.close());

const deps = (today: string) => ({ db: database.db, book: shippedRules, timezone: 'Asia/Jakarta', today: () => today });
const runJob = async (period: string): Promise<SavingsDuesSummary> => {
  const outcome = await jobDefinitions(deps(`${period}-28`))['savings-dues']!.run(period, testActor);
  if (!outcome.ran) throw new Error(`savings-dues ${period} did not run: ${outcome.why}`);
  return outcome.detail as SavingsDuesSummary;
};
const enrol = async (enrolledOn: string, lapsedOn?: string) =>
  enrolmentSince(database.db, {
    lpaId,
    scheme: 'standalone',
    enrolledOn,
    serial: (serial += 1),
    ...(lapsedOn === undefined ? {} : { lapsedOn }),
  });
const deposit = (participantId: string, saved: string) =>
  depositSavings(
    database.db,
    {
      lpaId,
      participantId,
      input: { kind: 'mandatory', amount: amount(saved), date: '2027-12-01', reference: `SW-${(deposits += 1)}` },
      idempotencyKey: `dues-test-${deposits}`,
      today: '2027-12-31',
      fieldPrefix: '',
    },
    testActor,
  );
const duesOf = (participantId: string) =>
  database
    .db('savings_dues as d')
    .join('savings_accounts as s', 's.id', 'd.account_id')
    .where({ 's.participant_id': participantId, 's.kind': 'mandatory' })
    .orderBy('d.period')
    .select<{ period: string; amount: string; coverage_year: number; rule_version: string }[]>(
      'd.period',
      'd.amount',
      'd.coverage_year',
      'd.rule_version',
    );
const standingOf = (participantId: string) =>
  database
    .db('savings_accounts')
    .where({ participant_id: participantId, kind: 'mandatory' })
    .first<{ months_behind: number; amount_behind: string }>('months_behind', 'amount_behind');

// The marking as the job made it before running totals: every due of every
// account read from the start by a window, the oracle the stored marking
// must equal.
async function markingFromScratch(period: string) {
  const rows = await database.db.raw<{ rows: { id: string; months: number; behind: string }[] }>(
    `with running as (
       select d.account_id, sum(d.amount) over (partition by d.account_id order by d.period) as due_to_date,
         la.credits_posted - la.debits_posted as saved
       from savings_dues d
       join savings_accounts s on s.id = d.account_id
       join ledger_accounts la on la.id = s.ledger_account_id
       where d.period < ?::date
     ), standing as (
       select account_id, count(*) filter (where due_to_date > saved)::int as months,
         greatest(max(due_to_date) - min(saved), 0) as behind
       from running group by account_id
     )
     select s.id, coalesce(standing.months, 0) as months, coalesce(standing.behind, 0)::numeric(17, 2) as behind
     from savings_accounts s left join standing on standing.account_id = s.id
     where s.kind = 'mandatory' order by s.id`,
    [`${period}-01`],
  );
  return rows.rows;
}
const marking = () =>
  database
    .db('savings_accounts')
    .where({ kind: 'mandatory' })
    .orderBy('id')
    .select<{ id: string; months: number; behind: string }[]>('id', 'months_behind as months', 'amount_behind as behind');
// Dues whose running totals differ from a window over all the account's
// dues, and accounts whose totals differ from their dues'.
async function runningTotalsAmiss(): Promise<number> {
  const rows = await database.db.raw<{ rows: { amiss: string }[] }>(
    `select (select count(*) from savings_dues d
             join (select account_id, period, sum(amount) over w as due_to_date, row_number() over w as months_to_date
                   from savings_dues window w as (partition by account_id order by period)) as running
               on running.account_id = d.account_id and running.period = d.period
             where d.due_to_date <> running.due_to_date or d.months_to_date <> running.months_to_date)
       + (select count(*) from savings_accounts s
          left join (select account_id, max(period) as period, sum(amount) as total, count(*) as months
                     from savings_dues group by account_id) as dues on dues.account_id = s.id
          where (s.dues_through, s.dues_total, s.dues_months)
            is distinct from (dues.period, coalesce(dues.total, 0), coalesce(dues.months, 0))) as amiss`,
  );
  return Number(rows.rows[0]?.amiss);
}

describe('mandatory savings dues known late', () => {
  let regular: string;
  let backdated: string;

  it('are booked at the next run for a member entered after the month’s run, and as four dues for a member dated four months back', async () => {
    ({ participantId: regular } = await enrol('2027-01-10'));
    for (const period of ['2027-01', '2027-02', '2027-03', '2027-04', '2027-05', '2027-06'])
      expect(await runJob(period)).toMatchObject({ duesBooked: 1, bookedLate: 0 });
    const { participantId: late } = await enrol('2027-06-12');
    ({ participantId: backdated } = await enrol('2027-03-20'));
    // The next run: June again, as the next night's trigger runs it.
    expect(await runJob('2027-06')).toMatchObject({ duesBooked: 5, bookedLate: 3, amountDue: '25000.00', accountsOpened: 2 });
    expect(await duesOf(late)).toEqual([{ period: '2027-06-01', amount: '5000.00', coverage_year: 1, rule_version: '2027.2' }]);
    // Each month under the savings rules in force on its first day: March under 2027.1, from April 2027.2.
    const ofItsMonth = (period: string) => {
      const due = mandatorySavings(shippedRules, { scheme: 'standalone', date: period, coverageYear: 1 });
      return { period, amount: toAmountString(due!.monthlyAmount), coverage_year: 1, rule_version: due!.version };
    };
    expect(await duesOf(backdated)).toEqual(['2027-03-01', '2027-04-01', '2027-05-01', '2027-06-01'].map(ofItsMonth));
    expect((await duesOf(backdated)).map((due) => due.rule_version)).toEqual(['2027.1', '2027.2', '2027.2', '2027.2']);
    const booked = await database.db('savings_dues').count<{ count: string }[]>({ count: '*' });
    expect(await runJob('2027-06')).toMatchObject({ duesBooked: 0, bookedLate: 0 });
    expect(await database.db('savings_dues').count<{ count: string }[]>({ count: '*' })).toEqual(booked);
  });

  it('leave the months and amount behind as a count from the first due would, once caught up', async () => {
    await deposit(backdated, '7500.00');
    await runJob('2027-06');
    // March, April and May are before June; Rp 7,500 covers March and half of April.
    expect(await standingOf(backdated)).toEqual({ months_behind: 2, amount_behind: '7500.00' });
    expect(await standingOf(regular)).toEqual({ months_behind: 5, amount_behind: '25000.00' });
    expect(await marking()).toEqual(await markingFromScratch('2027-06'));
  });

  it('are booked by the scheduled trigger the night after a member is entered', async () => {
    const { participantId } = await enrol('2027-06-05');
    const [trigger] = scheduledJobs(deps('2027-06-21')).filter((job) => job.name === 'savings-dues');
    await trigger!.runDue(new Date('2027-06-21T04:00:00+07:00'));
    expect((await duesOf(participantId)).map((due) => due.period)).toEqual(['2027-06-01']);
  });

  it('are booked before dues already booked when an earlier enrolment is recorded late, the running totals worked out again', async () => {
    const { enrolmentId, participantId } = await enrol('2027-05-10');
    await runJob('2027-06');
    await database.db.raw(
      `insert into enrolments (participant_id, lpa_id, enrolled_on, status, lapsed_on, reasons, rule_scheme, rule_version,
         rule_hash, facts, events)
       select participant_id, lpa_id, date '2027-01-20', 'lapsed', date '2027-03-01', reasons, rule_scheme, rule_version,
         rule_hash, facts, events
       from enrolments where id = ?`,
      [enrolmentId],
    );
    await deposit(participantId, '5000.00');
    expect(await runJob('2027-06')).toMatchObject({ duesBooked: 2, bookedLate: 2 });
    // Lapsed on 1 March, the earlier enrolment owes January and February, not March.
    const running = await database
      .db('savings_dues as d')
      .join('savings_accounts as s', 's.id', 'd.account_id')
      .where({ 's.participant_id': participantId })
      .orderBy('d.period')
      .select('d.period', 'd.due_to_date', 'd.months_to_date');
    expect(running).toEqual([
      { period: '2027-01-01', due_to_date: '5000.00', months_to_date: 1 },
      { period: '2027-02-01', due_to_date: '10000.00', months_to_date: 2 },
      { period: '2027-05-01', due_to_date: '15000.00', months_to_date: 3 },
      { period: '2027-06-01', due_to_date: '20000.00', months_to_date: 4 },
    ]);
    expect(await standingOf(participantId)).toEqual({ months_behind: 2, amount_behind: '10000.00' });
    expect(await runningTotalsAmiss()).toBe(0);
    // April run again by hand: the dues before it are January and February, though May's and June's are booked.
    await bookSavingsDues(database.db, shippedRules, '2027-04', testActor);
    expect(await standingOf(participantId)).toEqual({ months_behind: 1, amount_behind: '5000.00' });
    expect(await marking()).toEqual(await markingFromScratch('2027-04'));
  });

  it('are marked from running totals as a count from scratch marks them, whatever members, deposits and months come', async () => {
    const start = '2027-02';
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            enrolledMonth: fc.integer({ min: 0, max: 6 }),
            enrolledDay: fc.constantFrom(1, 14, 28),
            // The run before which the member is entered; the last one means after every run.
            entered: fc.integer({ min: 0, max: 6 }),
            lapse: fc.option(fc.record({ months: fc.integer({ min: 1, max: 4 }), day: fc.constantFrom(1, 20) })),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 6, maxLength: 6 }),
        fc.array(
          fc.record({
            member: fc.nat(),
            before: fc.integer({ min: 0, max: 5 }),
            saved: fc.constantFrom('2500.00', '5000.00', '7500.00', '12500.00'),
          }),
          { maxLength: 8 },
        ),
        async (members, steps, payments) => {
          const periods = steps.map((_, index) =>
            addMonths(
              start,
              steps.slice(0, index + 1).reduce((sum, step) => sum + step, 0),
            ),
          );
          const entered: (string | undefined)[] = members.map(() => undefined);
          for (const [run, period] of periods.entries()) {
            for (const [index, member] of members.entries()) {
              if (member.entered !== run) continue;
              const month = addMonths('2027-01', member.enrolledMonth);
              const lapsedOn =
                member.lapse === null
                  ? undefined
                  : `${addMonths(month, member.lapse.months)}-${member.lapse.day === 1 ? '01' : '20'}`;
              entered[index] = (await enrol(`${month}-${String(member.enrolledDay).padStart(2, '0')}`, lapsedOn)).participantId;
            }
            for (const payment of payments.filter((each) => each.before === run)) {
              const participantId = entered[payment.member % members.length];
              if (participantId !== undefined) await deposit(participantId, payment.saved);
            }
            await bookSavingsDues(database.db, shippedRules, period, testActor);
            expect(await marking()).toEqual(await markingFromScratch(period));
          }
          expect(await runningTotalsAmiss()).toBe(0);
          // Every month each member's cover was in force on a day of, up to the last run after they were entered.
          const last = periods.at(-1)!;
          for (const [index, member] of members.entries()) {
            const participantId = entered[index];
            if (participantId === undefined) continue;
            const month = addMonths('2027-01', member.enrolledMonth);
            const owed = Array.from({ length: 7 }, (_, offset) => addMonths(month, offset)).filter(
              (owing) =>
                owing <= last &&
                (member.lapse === null ||
                  `${addMonths(month, member.lapse.months)}-${member.lapse.day === 1 ? '01' : '20'}` > `${owing}-01`),
            );
            expect((await duesOf(participantId)).map((due) => due.period)).toEqual(owed.map((owing) => `${owing}-01`));
          }
        },
      ),
      { numRuns: 12 },
    );
  });
});

describe('the migration to running totals', () => {
  it('works the running totals of dues already booked out, settles nothing, and the next run books none of them again', async () => {
    const period = '2027-07';
    await bookSavingsDues(database.db, shippedRules, period, testActor);
    const dues = () => database.db('savings_dues').orderBy(['account_id', 'period']).select('*');
    const before = await dues();
    const marked = await marking();
    const totals = () => database.db('savings_accounts').orderBy('id').select('id', 'dues_through', 'dues_total', 'dues_months');
    const accountTotals = await totals();
    await down(database.db);
    expect(await database.db.schema.hasColumn('savings_dues', 'due_to_date')).toBe(false);
    expect(await database.db.schema.hasTable('savings_dues_settled')).toBe(false);
    await up(database.db);
    expect(await dues()).toEqual(before);
    expect(await totals()).toEqual(accountTotals);
    expect(await database.db('savings_dues_settled').count<{ count: string }[]>({ count: '*' })).toEqual([{ count: '0' }]);
    expect(await bookSavingsDues(database.db, shippedRules, period, testActor)).toMatchObject({ duesBooked: 0 });
    expect(await marking()).toEqual(marked);
  });
});
