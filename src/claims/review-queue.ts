import { z } from 'zod';
import type { Principal } from '../access/principal.ts';
import { scopeFilter } from '../access/scope.ts';
import type { Db } from '../db/knex.ts';
import { uuidSchema } from '../ids.ts';
import { amountSchema, compareDecimals, toDecimalString } from '../money/index.ts';
import { claimTypes } from '../rules/catalogue.ts';
import { type Sampled, sampleClaims, type Sampling, unusualDefaults } from './review-sample.ts';
import { pastGrantedAmounts, type QueuedClaim, referredClaims } from './review-store.ts';

// The directorate's review queue: the referred claims the filters leave,
// narrowed by the sampling asked for (review-sample.ts), each with why it
// is listed. Read alike by GET /v1/claims/review-queue and the console.

// A queue longer than this is narrowed by its filters first.
export const reviewQueueMax = 500;
// The latest granted claims of an LPA for a benefit that make its past.
const pastClaimsPerBenefitMax = 1000;

// A form's untouched box is sent empty: as absent as a field left out.
export const emptyAsAbsent = (value: unknown) => (value === '' ? undefined : value);
// Rupiah as decimal text, as the store and the sampling compare it.
const rupiahText = () =>
  amountSchema()
    .transform((value) => toDecimalString(value))
    .optional();

const isDecimalText = (value: unknown): value is string => typeof value === 'string' && /^-?[0-9]+(\.[0-9]+)?$/.test(value);

// Every field is optional, and an empty one (a form's untouched box) is as absent.
export const reviewQueueQuerySchema = z
  .strictObject({
    lpaId: z.preprocess(emptyAsAbsent, uuidSchema.optional()),
    claimType: z.preprocess(emptyAsAbsent, z.enum(claimTypes).optional()),
    incidentMonth: z.preprocess(
      emptyAsAbsent,
      z
        .string()
        .regex(/^[0-9]{4}-(0[1-9]|1[0-2])$/, 'must be a month as YYYY-MM')
        .optional(),
    ),
    amountMin: z.preprocess(emptyAsAbsent, rupiahText()),
    amountMax: z.preprocess(emptyAsAbsent, rupiahText()),
    // Sampling: any of the three; a claim any of them picks is listed.
    randomPercent: z.preprocess(emptyAsAbsent, z.coerce.number().int().min(1).max(100).optional()),
    seed: z.preprocess(emptyAsAbsent, z.string().trim().min(1).max(100).optional()),
    above: z.preprocess(emptyAsAbsent, rupiahText()),
    unusual: z.preprocess(emptyAsAbsent, z.enum(['1']).optional()),
  })
  .superRefine((query, ctx) => {
    if (query.randomPercent !== undefined && query.seed === undefined)
      ctx.addIssue({ code: 'custom', path: ['seed'], message: 'is required with randomPercent, so the draw can be repeated' });
    // Run even when a field was refused, with what was sent: compared only when both are amounts.
    if (isDecimalText(query.amountMin) && isDecimalText(query.amountMax) && compareDecimals(query.amountMin, query.amountMax) > 0)
      ctx.addIssue({ code: 'custom', path: ['amountMax'], message: 'must not be below amountMin' });
  });
export type ReviewQueueQuery = z.output<typeof reviewQueueQuerySchema>;

export function samplingOf(query: ReviewQueueQuery): Sampling {
  return {
    ...(query.randomPercent !== undefined && query.seed !== undefined
      ? { random: { seed: query.seed, percent: query.randomPercent } }
      : {}),
    ...(query.above !== undefined ? { above: { amount: query.above } } : {}),
    ...(query.unusual !== undefined ? { unusual: unusualDefaults } : {}),
  };
}

export interface ReviewQueue {
  // Referred claims the filters left, before sampling.
  readonly considered: number;
  readonly claims: readonly Sampled<QueuedClaim>[];
}

export async function reviewQueue(db: Db, principal: Principal, query: ReviewQueueQuery): Promise<ReviewQueue> {
  const claims = await referredClaims(db, {
    lpaId: query.lpaId,
    claimType: query.claimType,
    incidentMonth: query.incidentMonth,
    amountMin: query.amountMin,
    amountMax: query.amountMax,
    ...scopeFilter(principal),
    limit: reviewQueueMax,
  });
  const sampling = samplingOf(query);
  const past =
    sampling.unusual === undefined
      ? new Map<string, readonly string[]>()
      : await pastGrantedAmounts(db, claims, pastClaimsPerBenefitMax);
  return { considered: claims.length, claims: sampleClaims(claims, sampling, past) };
}

const sampleReasonSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('referred') }),
  z.object({ kind: z.literal('random'), seed: z.string(), bucket: z.int(), basisPoints: z.int() }),
  z.object({ kind: z.literal('above'), threshold: z.string() }),
  z.object({ kind: z.literal('unusual'), percentile: z.int(), pastPercentile: z.string(), pastCount: z.int() }),
]);

export const queuedClaimSchema = z.object({
  id: z.uuid(),
  lpaId: z.uuid(),
  lpaName: z.string(),
  participantId: z.uuid(),
  participantName: z.string(),
  claimType: z.string(),
  benefit: z.string(),
  amount: z.string().meta({ description: 'Rupiah the rules would pay.' }),
  incidentDate: z.string(),
  reportDate: z.string(),
  reasons: z.array(z.object({ reason: z.string(), explanation: z.string() })).meta({ description: 'Why the rules referred it.' }),
  submittedAt: z.iso.datetime(),
  sampledFor: z.array(sampleReasonSchema).meta({ description: 'Why the queue lists it.' }),
});
