// The premium-cycle benchmark: the cycle of one month for BENCH_PREMIUM_PARTICIPANTS
// (default 1,000,000) enrolments in cover on PostgreSQL, enrolled over four
// years so every coverage year and many months of cover meet the rules,
// beside a bare INSERT … SELECT of the same number of rows into a plain table
// in the same run, with the peak memory of this process; then a month three
// months on, when those who paid nothing lapse for arrears. Between the two,
// the mandatory savings dues of two months for the same members: the first
// opens every member's savings account. Run by `npm run bench`.
import { performance } from 'node:perf_hooks';
import { amount, formatRupiah } from '../src/money/index.ts';
import { runPremiumCycle } from '../src/premiums/cycle.ts';
import { bookSavingsDues } from '../src/savings/dues.ts';
import { recordFigures } from './bench-results.ts';
import { loadRuleBook } from '../src/rules/load.ts';
import { publishRuleBook } from '../src/rules/store.ts';
import { insertApprovedLpas, insertEnrolledParticipants, peakResidentMb, withScratchDatabase } from './bench-service.ts';

const participantsCount = Number(process.env.BENCH_PREMIUM_PARTICIPANTS ?? 1_000_000);
const period = '2026-11';
const arrearsPeriod = '2027-02';
const actor = { actor: 'bench', actorRole: 'operator' as const, actorKeyId: null, requestId: null };
const secondsMax = 30;

const lines = await withScratchDatabase('premiums', async ({ db }) => {
  const book = loadRuleBook(process.env.RULES_DIR ?? 'rules');
  await publishRuleBook(db, book, process.env.RULES_DIR ?? 'rules');
  const [lpaId = ''] = await insertApprovedLpas(db, 1);
  await insertEnrolledParticipants(db, lpaId, participantsCount, "date '2022-12-01' + (g % 1400)::int", '2026.1');

  const started = performance.now();
  const summary = await runPremiumCycle(db, book, period, actor, async () => {});
  const cycleSeconds = (performance.now() - started) / 1000;

  const savingsStarted = performance.now();
  const savings = await bookSavingsDues(db, book, period, actor);
  const savingsSeconds = (performance.now() - savingsStarted) / 1000;
  const secondSavingsStarted = performance.now();
  const secondSavings = await bookSavingsDues(db, book, '2026-12', actor);
  const secondSavingsSeconds = (performance.now() - secondSavingsStarted) / 1000;

  // A bad month: three months on, under 2027.1's three months of grace,
  // every member in coverage year 3 or later who paid nothing of November lapses.
  const arrearsStarted = performance.now();
  const arrears = await runPremiumCycle(db, book, arrearsPeriod, actor, async () => {});
  const arrearsSeconds = (performance.now() - arrearsStarted) / 1000;

  await db.raw(`create table bare_dues (enrolment_id uuid not null, period date not null, premium numeric(17, 2) not null,
    subsidy_share numeric(17, 2) not null, own_share numeric(17, 2) not null, primary key (enrolment_id, period))`);
  const bareStarted = performance.now();
  await db.raw(`insert into bare_dues select id, date '2026-11-01', 6000, 3000, 3000 from enrolments`);
  const bareSeconds = (performance.now() - bareStarted) / 1000;
  const bareLimit = { limit: bareSeconds, limitName: 'bare INSERT … SELECT', scale: participantsCount };
  recordFigures([
    {
      bench: 'premiums',
      name: 'premium cycle',
      value: cycleSeconds,
      unit: 's',
      ...bareLimit,
      target: `≤ ${secondsMax} s at 1,000,000`,
      met: cycleSeconds <= secondsMax,
    },
    { bench: 'premiums', name: 'premium cycle with lapses for arrears', value: arrearsSeconds, unit: 's', ...bareLimit },
    { bench: 'premiums', name: 'savings dues, first month (opens accounts)', value: savingsSeconds, unit: 's', ...bareLimit },
    { bench: 'premiums', name: 'savings dues, next month', value: secondSavingsSeconds, unit: 's', ...bareLimit },
    {
      bench: 'premiums',
      name: 'peak resident memory',
      value: peakResidentMb(),
      unit: 'MB',
      target: '< 300 MB',
      met: peakResidentMb() < 300,
    },
  ]);
  return [
    `Premium cycle of ${period}: ${participantsCount.toLocaleString('en')} enrolments in cover, PostgreSQL:`,
    `  runPremiumCycle (rules per month of cover, dues, ledger entries)  ${cycleSeconds.toFixed(1).padStart(6)} s   booked ${summary.booked.toLocaleString('en')}, premium ${formatRupiah(amount(summary.premium))}`,
    `  runPremiumCycle of ${arrearsPeriod}, lapsing cover in arrears first   ${arrearsSeconds.toFixed(1).padStart(6)} s   lapsed ${arrears.lapsedForArrears.toLocaleString('en')}, booked ${arrears.booked.toLocaleString('en')}`,
    `  bare INSERT … SELECT of as many rows                              ${bareSeconds.toFixed(1).padStart(6)} s   (the limit: no rules, no ledger)`,
    `  cycle / bare: ${(cycleSeconds / bareSeconds).toFixed(1)} ×; target ≤ ${secondsMax} s: ${cycleSeconds <= secondsMax ? 'met' : 'NOT met'}; peak resident memory ${peakResidentMb()} MB (target < 300 MB)`,
    `Mandatory savings dues, same members:`,
    `  bookSavingsDues ${period} (opens ${savings.accountsOpened.toLocaleString('en')} accounts)          ${savingsSeconds.toFixed(1).padStart(6)} s   ${savings.duesBooked.toLocaleString('en')} dues, ${formatRupiah(amount(savings.amountDue))}`,
    `  bookSavingsDues 2026-12 (accounts open; marks who is behind)     ${secondSavingsSeconds.toFixed(1).padStart(6)} s   ${secondSavings.duesBooked.toLocaleString('en')} dues, ${secondSavings.membersBehind.toLocaleString('en')} behind`,
    `  savings dues / bare: ${(savingsSeconds / bareSeconds).toFixed(1)} × and ${(secondSavingsSeconds / bareSeconds).toFixed(1)} ×`,
    '',
  ];
});
process.stdout.write(lines.join('\n'));
