// What the service shows against what the oracle says it should, one line
// each: the seed, the simulated day, who or what, expected and actual. The
// same fault seen again at a later check (a due still missing, a claim
// still wrong) counts once.

export interface Discrepancy {
  readonly kind: string;
  readonly day: string;
  readonly subject: string;
  readonly expected: string;
  readonly actual: string;
}

// Differences the spec leaves open: reported, never failing the run.
export interface Observation {
  readonly kind: string;
  readonly day: string;
  readonly subject: string;
  readonly detail: string;
}

// Kept in full for the first few of each kind; beyond, only counted, so that
// one bug seen in every member does not crowd out the next.
const keptPerKindMax = 50;

export class DiscrepancyLog {
  readonly discrepancies: Discrepancy[] = [];
  readonly observations: Observation[] = [];
  private readonly seen = new Set<string>();
  private readonly counts = new Map<string, number>();

  constructor(
    readonly seed: number,
    private readonly echo: ((line: string) => void) | null,
  ) {}

  // `key` names the fault for deduplication; by default the kind and subject.
  report(discrepancy: Discrepancy, key = `${discrepancy.kind}|${discrepancy.subject}`): void {
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const count = (this.counts.get(discrepancy.kind) ?? 0) + 1;
    this.counts.set(discrepancy.kind, count);
    if (count > keptPerKindMax) return;
    this.discrepancies.push(discrepancy);
    this.echo?.(formatDiscrepancy(this.seed, discrepancy));
  }

  get total(): number {
    return [...this.counts.values()].reduce((sum, count) => sum + count, 0);
  }

  observe(observation: Observation, key = `${observation.kind}|${observation.subject}`): void {
    if (this.seen.has(`observed|${key}`)) return;
    this.seen.add(`observed|${key}`);
    this.observations.push(observation);
  }

  countsByKind(): Map<string, number> {
    return new Map([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
  }

  observationCounts(): Map<string, number> {
    return countBy(this.observations.map((item) => item.kind));
  }
}

function countBy(kinds: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of kinds) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return new Map([...counts].sort(([a], [b]) => a.localeCompare(b)));
}

export function formatDiscrepancy(seed: number, item: Discrepancy): string {
  return `seed ${seed} ${item.day} ${item.kind} ${item.subject}: expected ${item.expected}, got ${item.actual}`;
}

// The first few of each kind, up to a total, oldest first: one bug's many
// instances must not hide another's first.
export function firstOfEachKind(items: readonly Discrepancy[], perKind: number, total: number): Discrepancy[] {
  const taken = new Map<string, number>();
  const chosen: Discrepancy[] = [];
  for (const item of items) {
    const count = taken.get(item.kind) ?? 0;
    if (count >= perKind) continue;
    taken.set(item.kind, count + 1);
    chosen.push(item);
  }
  return chosen.sort((a, b) => a.day.localeCompare(b.day)).slice(0, total);
}
