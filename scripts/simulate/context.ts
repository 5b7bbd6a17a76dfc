import type { Db } from '../../src/db/knex.ts';
import { DiscrepancyLog } from './discrepancies.ts';
import type { FundOracle } from './oracle/fund.ts';
import { Money } from './oracle/policy.ts';
import type { Prng } from './prng.ts';
import type { ApiClient } from './service/client.ts';
import type { SimClock } from './service/clock.ts';
import type { SimDatabase } from './service/database.ts';
import type { ServiceInstance } from './service/instance.ts';
import type { IncidentPlan, WorldPlan } from './world/plan.ts';
import type { Scenario } from './world/scenario.ts';

// What a run carries from day to day: the frame and plan, the oracle, the
// service and its keys, the agenda of things to do on later days, and what
// the service has taken in (which the oracle may have refused).

export interface Keys {
  directorate: string;
  finance: string;
  readonly dinsos: Map<string, string>;
  readonly lpa: Map<number, string>;
}

export type AgendaItem =
  | { readonly kind: 'lpa'; readonly lpa: number; readonly step: 'propose' | 'approve' }
  | { readonly kind: 'enter'; readonly people: readonly number[] }
  | { readonly kind: 'contribute'; readonly person: number; readonly how: 'owed' | 'over' }
  | { readonly kind: 'file'; readonly person: number; readonly incident: IncidentPlan; readonly why: string }
  | { readonly kind: 'review'; readonly claimId: string }
  | { readonly kind: 'pay'; readonly claimId: string }
  | { readonly kind: 'reverse'; readonly claimId: string };

// The order things happen in a day: LPAs first, the money last.
export const agendaOrder: readonly AgendaItem['kind'][] = ['lpa', 'enter', 'contribute', 'file', 'review', 'pay', 'reverse'];

export class Agenda {
  private readonly days = new Map<string, AgendaItem[]>();

  add(day: string, item: AgendaItem): void {
    const items = this.days.get(day);
    if (items === undefined) this.days.set(day, [item]);
    else items.push(item);
  }

  take(day: string): AgendaItem[] {
    const items = this.days.get(day) ?? [];
    this.days.delete(day);
    return items
      .map((item, position) => ({ item, position }))
      .sort((a, b) => agendaOrder.indexOf(a.item.kind) - agendaOrder.indexOf(b.item.kind) || a.position - b.position)
      .map(({ item }) => item);
  }
}

export interface Stats {
  enrolments: number;
  claims: number;
  contributions: number;
  receipts: number;
  restarts: number;
  kills: number;
  checks: number;
}

export interface Streams {
  readonly actions: Prng;
  readonly checks: Prng;
  readonly kills: Prng;
}

export class Sim {
  readonly agenda = new Agenda();
  readonly participants = new Map<number, string>();
  readonly personOf = new Map<string, number>();
  // Resumers who paid up after a lapse, and pay promptly from then on.
  readonly resumed = new Set<number>();
  readonly lpaIds = new Map<number, string>();
  readonly keys: Keys = { directorate: '', finance: '', dinsos: new Map(), lpa: new Map() };
  readonly stats: Stats = { enrolments: 0, claims: 0, contributions: 0, receipts: 0, restarts: 0, kills: 0, checks: 0 };
  // What the service took in, whether or not the oracle would have.
  serviceReceipts = new Money(0);
  serviceContributions = new Money(0);
  private keySequence = 0;

  constructor(
    readonly scenario: Scenario,
    readonly world: WorldPlan,
    readonly oracle: FundOracle,
    readonly clock: SimClock,
    readonly database: SimDatabase,
    readonly api: ApiClient,
    readonly log: DiscrepancyLog,
    readonly prng: Streams,
    public instance: ServiceInstance,
    readonly rulesDir: string,
  ) {}

  get db(): Db {
    return this.database.db;
  }

  get today(): string {
    return this.clock.today;
  }

  // Idempotency keys and references, unique in the run and the same in every replay of it.
  nextKey(what: string): string {
    this.keySequence += 1;
    return `sim-${this.scenario.seed}-${what}-${this.keySequence}`;
  }

  person(index: number) {
    const person = this.world.people[index];
    if (person === undefined) throw new Error(`no person ${index}`);
    return person;
  }

  // People whose every step is printed (--trace P12,P40): to see why a discrepancy came about.
  tracedLabels: ReadonlySet<string> = new Set();
  traceSink: (line: string) => void = () => undefined;

  traced(label: string): boolean {
    return this.tracedLabels.has(label);
  }

  trace(line: string): void {
    this.traceSink(`seed ${this.scenario.seed} ${this.today} ${line}`);
  }

  // Wall-clock seconds by phase (jobs, each kind of action, checks, restarts): where a run's time goes.
  readonly secondsByPhase = new Map<string, number>();

  async timed<T>(phase: string, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.secondsByPhase.set(phase, (this.secondsByPhase.get(phase) ?? 0) + (performance.now() - started) / 1000);
    }
  }

  report(kind: string, subject: string, expected: string, actual: string, key?: string): void {
    this.log.report({ kind, day: this.today, subject, expected, actual }, key);
  }
}
