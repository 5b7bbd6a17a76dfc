import { z } from 'zod';
import type { Cover, ClaimHistory } from '../claims/index.ts';
import type { NewClaim } from '../claims/index.ts';
import { isoDateSchema } from '../dates.ts';
import type { Amount } from '../money/index.ts';
import type { EligibilityPerson } from '../registry/index.ts';

// What `askesos rules impact` reads and answers: the live portfolio replayed
// under a proposed rule version beside the rules in force.

// Claims are replayed from this many months before today; the money is projected as many months ahead.
export const lookbackMonths = 12;
export const projectionMonths = 12;
// Names shown of those who gain cover, and of those who lose it.
export const samplePerDirectionMax = 10;
// Rows read per query of the snapshot: enrolments and claims come in pages of this many.
export const impactChunkRowsMax = 10_000;

// A scheme's and a version's folder names: never a path of their own.
const schemeName = '[a-z][a-z0-9-]{1,39}';
const versionName = '[0-9A-Za-z][0-9A-Za-z._-]{0,31}';

export const impactOptionsSchema = z.strictObject({
  reference: z.string().regex(new RegExp(`^${schemeName}/${versionName}$`), 'must be scheme/version, e.g. standalone/2027.3'),
  today: isoDateSchema,
});
export type ImpactOptions = z.output<typeof impactOptionsSchema>;

// POST /v1/rules/{scheme}/{version}/impact.
export const impactRunParamsSchema = z.strictObject({
  scheme: z.string().regex(new RegExp(`^${schemeName}$`), 'must be a scheme name such as "standalone"'),
  version: z.string().regex(new RegExp(`^${versionName}$`), 'must be a version name such as "2027.3"'),
});

export const impactRunRequestSchema = z
  .strictObject({
    today: isoDateSchema.optional().meta({ description: 'The day to replay as of; the service’s today when absent.' }),
  })
  .optional();

export const impactRunStatuses = ['running', 'succeeded', 'failed'] as const;
export type ImpactRunStatus = (typeof impactRunStatuses)[number];

export const impactRunSchema = z.object({
  id: z.uuid(),
  scheme: z.string(),
  version: z.string(),
  versionHash: z.string().meta({ description: 'The hash of the version’s files as the run read them.' }),
  today: z.string().meta({ description: 'The day replayed as of.' }),
  status: z.enum(impactRunStatuses),
  progress: z
    .object({ done: z.number().int(), total: z.number().int().nullable() })
    .nullable()
    .meta({ description: 'People and claims replayed, of how many; null until the first page is read.' }),
  error: z.string().nullable().meta({ description: 'Why a failed run failed.' }),
  requestedBy: z.string(),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
});
export type ImpactRun = z.infer<typeof impactRunSchema>;

// Where an LPA works, for grouping.
export interface Place {
  readonly lpaId: string;
  readonly lpaName: string;
  readonly regencyCode: string;
  readonly regencyName: string;
  readonly provinceCode: string;
  readonly provinceName: string;
}

// A person's latest decided enrolment under the scheme (the active one, else the latest refusal).
export interface EnrolmentRow {
  readonly participantId: string;
  readonly name: string;
  readonly lpaId: string;
  readonly status: 'active' | 'rejected';
  readonly enrolledOn: string;
  readonly person: EligibilityPerson;
}

// A claim as filed, with the cover it was filed under and what earlier
// claims still standing left behind when it was filed.
export interface ClaimRow {
  readonly id: string;
  readonly lpaId: string;
  readonly claim: NewClaim;
  readonly cover: Cover;
  readonly history: ClaimHistory;
}

export interface Reason {
  readonly reason: string;
  readonly explanation: string;
}

// Those whose decision one rule set gives and the other does not.
export interface Shift {
  readonly people: number;
  readonly byReason: ReadonlyMap<string, number>;
  readonly byProvince: ReadonlyMap<string, number>;
  readonly byRegency: ReadonlyMap<string, number>;
  readonly byLpa: ReadonlyMap<string, number>;
  readonly sample: readonly { participantId: string; name: string; reasons: readonly string[] }[];
}

export interface EligibilityImpact {
  readonly decided: number;
  readonly activeInForce: number;
  readonly activeProposed: number;
  // Refused by the rules in force, accepted by the proposal; the reasons are those the proposal lifts.
  readonly gain: Shift;
  // Accepted by the rules in force, refused by the proposal; the reasons are the proposal's.
  readonly lose: Shift;
}

// Claims of a group, and what each rule set pays them (approved or referred, at the amount decided).
export interface ClaimTally {
  readonly claims: number;
  // Claims whose status or amount differ between the two rule sets.
  readonly changed: number;
  readonly inForce: Amount;
  readonly proposed: Amount;
}

export interface ClaimsImpact {
  readonly replayed: number;
  readonly statusChanges: ReadonlyMap<string, number>;
  readonly total: ClaimTally;
  readonly byClaimType: ReadonlyMap<string, ClaimTally>;
  readonly byProvince: ReadonlyMap<string, ClaimTally>;
  readonly byRegency: ReadonlyMap<string, ClaimTally>;
  readonly byLpa: ReadonlyMap<string, ClaimTally>;
}

// Members in cover by LPA and month of enrolment (YYYY-MM): all a month's
// premium, honorarium and strengthening depend on.
export type Population = ReadonlyMap<string, { readonly lpaId: string; readonly enrolledIn: string; readonly members: number }>;

export interface MonthFigures {
  readonly members: number;
  readonly premium: Amount;
  readonly subsidy: Amount;
  readonly ownShare: Amount;
  readonly honorarium: Amount;
  readonly strengthening: Amount;
  readonly expectedClaims: Amount;
}

export interface BudgetMonth {
  readonly month: string;
  readonly inForce: MonthFigures;
  readonly proposed: MonthFigures;
}

export interface Impact {
  readonly scheme: string;
  readonly version: string;
  readonly hash: string;
  readonly today: string;
  // The versions in force over the claims window and the projection, by name.
  readonly versionsInForce: readonly string[];
  readonly claimsFrom: string;
  readonly memberMonths: number;
  readonly eligibility: EligibilityImpact;
  readonly claims: ClaimsImpact;
  readonly budget: readonly BudgetMonth[];
}
