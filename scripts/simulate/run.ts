import { addDays, monthOf } from './calendar.ts';
import { type AgendaItem, Sim } from './context.ts';
import { monthlyCheck } from './checks.ts';
import { DiscrepancyLog, type Discrepancy, type Observation } from './discrepancies.ts';
import { fileClaim, payClaim, reverseClaim, reviewClaim } from './actions/claims.ts';
import { enter } from './actions/enrol.ts';
import { contribute, planContributions, receiveSubsidy } from './actions/money.ts';
import { approveLpa, proposeLpa, setUpFund } from './actions/setup.ts';
import { businessHoursStart, firingsOn, runFirings, tryFutureCycle } from './jobs.ts';
import { fire, restart } from './lifecycle.ts';
import { FundOracle } from './oracle/fund.ts';
import { policyDrift } from './oracle/policy-data.ts';
import { Prng } from './prng.ts';
import { ApiClient } from './service/client.ts';
import { SimClock } from './service/clock.ts';
import { openSimDatabase } from './service/database.ts';
import { startInstance } from './service/instance.ts';
import { planWorld } from './world/plan.ts';
import { makeScenario, type Scenario, type ScenarioOptions } from './world/scenario.ts';

// One run: a seed's fund lived day by day through the real service on a
// simulated clock, checked against the oracle at every month's turn.

export interface SimulationOptions extends ScenarioOptions {
  readonly rulesDir?: string;
  // The run stops once it has this many discrepancies.
  readonly discrepanciesMax?: number;
  // Each discrepancy as it is found, and a line a simulated year.
  readonly echo?: (line: string) => void;
  // People (P12) whose every step is printed through echo.
  readonly trace?: readonly string[];
}

export interface SimulationResult {
  readonly scenario: Scenario;
  readonly discrepancies: readonly Discrepancy[];
  readonly observations: readonly Observation[];
  readonly countsByKind: ReadonlyMap<string, number>;
  readonly observationCounts: ReadonlyMap<string, number>;
  readonly members: number;
  readonly claims: number;
  readonly restarts: number;
  readonly kills: number;
  readonly requests: number;
  readonly seconds: number;
  readonly secondsByPhase: ReadonlyMap<string, number>;
  readonly database: string;
}

export async function runSimulation(options: SimulationOptions): Promise<SimulationResult> {
  const started = performance.now();
  const rulesDir = options.rulesDir ?? 'rules';
  const drift = policyDrift(rulesDir);
  if (drift.length > 0) throw new Error(`the oracle does not know the policy the rule files ship:\n${drift.join('\n')}`);
  const scenario = makeScenario(options);
  const world = planWorld(scenario);
  const database = await openSimDatabase();
  const clock = new SimClock(scenario.start);
  let instance = await startInstance(database.db, { rulesDir, scheme: scenario.scheme, clock });
  const log = new DiscrepancyLog(scenario.seed, options.echo ?? null);
  const prng = Prng.of(scenario.seed, 'run');
  const api = new ApiClient(() => sim.instance.baseUrl);
  const sim: Sim = new Sim(
    scenario,
    world,
    new FundOracle(scenario.scheme),
    clock,
    database,
    api,
    log,
    { actions: prng.fork('actions'), checks: prng.fork('checks'), kills: prng.fork('kills') },
    instance,
    rulesDir,
  );
  sim.tracedLabels = new Set(options.trace ?? []);
  sim.traceSink = options.echo ?? ((line) => process.stderr.write(`${line}\n`));
  try {
    await setUpFund(sim);
    planAgenda(sim);
    // The first start catches up whatever is due, as the scheduler does.
    for (const job of sim.instance.jobs) await fire(sim, job, clock.now, 'at the first start');
    await liveDays(sim, options.discrepanciesMax ?? 200, options.echo);
  } finally {
    instance = sim.instance;
    await instance.stop();
    api.dropConnections();
    await database.close();
  }
  return {
    scenario,
    discrepancies: log.discrepancies,
    observations: log.observations,
    countsByKind: log.countsByKind(),
    observationCounts: log.observationCounts(),
    members: sim.stats.enrolments,
    claims: sim.stats.claims,
    restarts: sim.stats.restarts,
    kills: sim.stats.kills,
    requests: api.requests,
    seconds: (performance.now() - started) / 1000,
    secondsByPhase: sim.secondsByPhase,
    database: database.describe,
  };
}

function planAgenda(sim: Sim): void {
  const batches = new Map<number, number[]>();
  for (const person of sim.world.people) {
    if (person.batch === null) sim.agenda.add(person.entryOn, { kind: 'enter', people: [person.index] });
    else {
      const batch = batches.get(person.batch);
      if (batch === undefined) {
        const members = [person.index];
        batches.set(person.batch, members);
        sim.agenda.add(person.entryOn, { kind: 'enter', people: members });
      } else batch.push(person.index);
    }
    for (const incident of [...person.incidents, ...(person.death === null ? [] : [person.death])])
      sim.agenda.add(incident.fileOn, { kind: 'file', person: person.index, incident, why: 'planned' });
  }
}

// Day after day to the end, and on to the next month's first for the last check.
async function liveDays(sim: Sim, discrepanciesMax: number, echo: ((line: string) => void) | undefined): Promise<void> {
  const { scenario } = sim;
  for (let day = scenario.start; ; day = addDays(day, 1)) {
    const firstOfMonth = day.endsWith('-01');
    sim.clock.set(day, 0);
    if (day !== scenario.start && sim.prng.kills.chance(1 / 40))
      await sim.timed('restarts', () => restart(sim, 'a restart between days'));
    if (day.endsWith('-01-01') && day !== scenario.start)
      echo?.(
        `seed ${scenario.seed}: ${day}, ${sim.stats.enrolments} enrolled, ${sim.stats.claims} claims, ${sim.log.discrepancies.length} discrepancies`,
      );
    sim.oracle.recheck(day);
    if (firstOfMonth) {
      sim.oracle.schemeEndings(monthOf(day));
      planResumers(sim, sim.oracle.arrearsLapses(monthOf(day)));
    }
    const firings = firingsOn(sim, day);
    await runFirings(
      sim,
      day,
      firings.filter((firing) => firing.minute < businessHoursStart),
    );
    sim.clock.set(day, businessHoursStart);
    if (firstOfMonth && day !== scenario.start) {
      await sim.timed('checks', () => monthlyCheck(sim));
      if (day > scenario.end || sim.log.discrepancies.length >= discrepanciesMax) return;
      await sim.timed('receipts', () => receiveSubsidy(sim));
      planContributions(sim);
    }
    if (day.endsWith('-15') && day <= scenario.end && sim.prng.actions.chance(0.08)) await tryFutureCycle(sim);
    for (const item of sim.agenda.take(day)) await sim.timed(item.kind, () => perform(sim, item));
    await runFirings(
      sim,
      day,
      firings.filter((firing) => firing.minute >= businessHoursStart),
    );
  }
}

function planResumers(sim: Sim, lapsed: readonly { participantId: string; label: string }[]): void {
  for (const member of lapsed) {
    if (sim.traced(member.label)) sim.trace(`${member.label} lapses for arrears`);
    const person = sim.personOf.get(member.participantId);
    if (person === undefined) continue;
    const plan = sim.person(person);
    const payOn = addDays(sim.today, plan.resumeAfterDays);
    if (plan.payer === 'resumer' && payOn <= sim.scenario.end) sim.agenda.add(payOn, { kind: 'contribute', person, how: 'owed' });
  }
}

async function perform(sim: Sim, item: AgendaItem): Promise<void> {
  const people = item.kind === 'enter' ? item.people : 'person' in item ? [item.person] : [];
  for (const person of people)
    if (sim.traced(sim.person(person).label)) sim.trace(`${sim.person(person).label}: ${JSON.stringify(item)}`);
  switch (item.kind) {
    case 'lpa':
      return item.step === 'propose' ? proposeLpa(sim, item.lpa) : approveLpa(sim, item.lpa);
    case 'enter':
      return enter(sim, item.people);
    case 'contribute':
      return contribute(sim, item.person, item.how);
    case 'file':
      return fileClaim(sim, item.person, item.incident, item.why);
    case 'review':
      return reviewClaim(sim, item.claimId);
    case 'pay':
      return payClaim(sim, item.claimId);
    case 'reverse':
      return reverseClaim(sim, item.claimId);
    default: {
      const unknown: never = item;
      throw new Error(`no such agenda item: ${JSON.stringify(unknown)}`);
    }
  }
}
