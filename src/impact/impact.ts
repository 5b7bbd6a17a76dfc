import { allowanceClaimTypes } from '../claims/index.ts';
import { addMonths } from '../dates.ts';
import type { Db } from '../db/knex.ts';
import { lastDayOfMonth } from '../ledger/periods.ts';
import { lpaFactsOn } from '../lpa/index.ts';
import type { RuleBook } from '../rules/load.ts';
import type { ReportProgress } from '../shared/progress.ts';
import { monthsAfter, populationTally, projectMoney } from './budget.ts';
import { claimsTally, readjudicate } from './claims.ts';
import { eligibilityTally, redecider } from './eligibility.ts';
import { type Impact, impactChunkRowsMax, lookbackMonths, projectionMonths } from './model.ts';
import { proposedVersion, withoutProposal, withProposedInForce } from './proposal.ts';
import { claimPage, countReplayed, enrolmentPage, listPlaces, memberMonths, withSnapshot } from './store.ts';

const idBeforeAll = '00000000-0000-0000-0000-000000000000';

// What publishing `version` of `scheme` would do to the fund, as of `today`:
// the portfolio read in one snapshot, page by page, and decided by the book
// in force and by the book the proposal would make, with the same pure
// decision functions. Nothing is written.
export async function impactOf(
  db: Db,
  book: RuleBook,
  request: { scheme: string; version: string; today: string },
  report: ReportProgress,
): Promise<Impact> {
  const { scheme, today } = request;
  const proposed = proposedVersion(book, scheme, request.version);
  const books = { inForce: withoutProposal(book, proposed), proposed: withProposedInForce(book, proposed) };
  const claimsFrom = `${addMonths(today, 1 - lookbackMonths)}-01`;
  const months = monthsAfter(today, projectionMonths);
  const [firstMonth, lastMonth] = [addMonths(today, 1), addMonths(today, projectionMonths)];
  const redecide = redecider(books, scheme, today);

  const read = await withSnapshot(db, async (trx) => {
    const places = await listPlaces(trx);
    const lpaFacts = await lpaFactsOn(trx, today);
    const total = await countReplayed(trx, scheme, claimsFrom, today);
    const eligibility = eligibilityTally(places);
    const population = populationTally(firstMonth);
    let done = 0;
    for (let after = idBeforeAll; ;) {
      const page = await enrolmentPage(trx, scheme, after, impactChunkRowsMax);
      for (const row of page) {
        const redecided = redecide(row);
        eligibility.add(redecided);
        population.add(redecided);
      }
      done += page.length;
      await report({ done, total: total.people + total.claims });
      const last = page.at(-1);
      if (last === undefined || page.length < impactChunkRowsMax) break;
      after = last.participantId;
    }
    const claims = claimsTally(places);
    const window = { scheme, from: claimsFrom, to: today, allowanceClaimTypes };
    for (let after = idBeforeAll; ;) {
      const page = await claimPage(trx, window, after, impactChunkRowsMax);
      for (const row of page) claims.add(row, readjudicate(books, row));
      done += page.length;
      await report({ done, total: total.people + total.claims });
      const last = page.at(-1);
      if (last === undefined || page.length < impactChunkRowsMax) break;
      after = last.id;
    }
    return {
      lpaFacts,
      eligibility: eligibility.result(),
      population: population.result(),
      claims: claims.result(),
      memberMonths: await memberMonths(trx, scheme, claimsFrom, today),
    };
  });

  const projection = (which: 'inForce' | 'proposed') =>
    projectMoney(books[which], {
      scheme,
      months,
      population: read.population[which],
      lpaFacts: read.lpaFacts,
      claimsPaid: read.claims.total[which],
      memberMonths: read.memberMonths,
    });
  const inForce = projection('inForce');
  const proposedMoney = projection('proposed');
  return {
    scheme,
    version: proposed.version,
    hash: proposed.hash,
    today,
    versionsInForce: versionsOver(books.inForce, scheme, claimsFrom, lastDayOfMonth(lastMonth)),
    claimsFrom,
    memberMonths: read.memberMonths,
    eligibility: read.eligibility,
    claims: read.claims,
    budget: months.map((month, index) => {
      const figures = inForce[index];
      const proposedFigures = proposedMoney[index];
      if (figures === undefined || proposedFigures === undefined) throw new Error(`no projection for ${month}`);
      return { month, inForce: figures, proposed: proposedFigures };
    }),
  };
}

// The versions of the scheme in force on any day from..to.
function versionsOver(book: RuleBook, scheme: string, from: string, to: string): string[] {
  return (book.schemes.get(scheme) ?? [])
    .filter((version) => version.effectiveFrom <= to && (version.effectiveTo === null || version.effectiveTo >= from))
    .map((version) => version.version);
}
