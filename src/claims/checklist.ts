import { z } from 'zod';
import { isoDateSchema } from '../dates.ts';
import { claimTypes, deathCauses } from '../rules/catalogue.ts';
import { decide } from '../rules/evaluate.ts';
import type { RuleBook } from '../rules/load.ts';
import { missingDocuments } from './adjudicate.ts';

// The papers an LPA must gather before filing a claim of a type, as the
// benefit rules in force on a day ask for them: read from the rules
// themselves, so the checklist an LPA prints is the one its claim is judged by.

export const checklistQuerySchema = z
  .strictObject({
    claimType: z.enum(claimTypes),
    deathCause: z
      .enum(deathCauses)
      .optional()
      .meta({ description: 'For a death claim, required: the rules ask more papers of some causes (a work accident).' }),
    date: isoDateSchema.optional().meta({ description: 'The incident date the rules are read for; today when absent.' }),
    scheme: z.string().trim().min(1).max(50).optional().meta({ description: 'The scheme; the default scheme when absent.' }),
  })
  .superRefine((query, ctx) => {
    if (query.claimType === 'death' && query.deathCause === undefined)
      ctx.addIssue({ code: 'custom', path: ['deathCause'], message: 'is required for a death claim' });
    if (query.claimType !== 'death' && query.deathCause !== undefined)
      ctx.addIssue({ code: 'custom', path: ['deathCause'], message: 'is for a death claim only' });
  });

export const checklistSchema = z.object({
  scheme: z.string(),
  version: z.string(),
  hash: z.string(),
  date: z.string(),
  claimType: z.enum(claimTypes),
  deathCause: z.enum(deathCauses).nullable(),
  documents: z.array(z.string()).meta({ description: 'The document kinds to file with the claim, as the rules name them.' }),
});
export type Checklist = z.infer<typeof checklistSchema>;

// Pure. The shipped checklists depend on the claim type and, for a death,
// its cause; the rest of what a claim would tell the rules is given a value
// that asks for nothing more: the first coverage year, no earlier claims, a
// report the same day, and no days, cost or wage (null, as for a claim type
// that has none). A checklist rule reading one of those would be answered
// for these values only, which the rules' own tests are where to catch.
export function documentChecklist(
  book: RuleBook,
  request: {
    scheme: string;
    date: string;
    claimType: (typeof claimTypes)[number];
    deathCause: (typeof deathCauses)[number] | null;
  },
): Checklist {
  const decision = decide(book, {
    scheme: request.scheme,
    area: 'benefits',
    date: request.date,
    facts: {
      claimType: request.claimType,
      coverageYear: 1,
      sicknessDays: null,
      priorPaidClaims: 0,
      deathCause: request.deathCause,
      costClaimed: null,
      monthlyWage: null,
      reportDelayDays: 0,
    },
  });
  return {
    scheme: decision.scheme,
    version: decision.version,
    hash: decision.hash,
    date: request.date,
    claimType: request.claimType,
    deathCause: request.deathCause,
    // What a claim filed with no papers would be told it misses, so the list
    // and the adjudication cannot disagree.
    documents: missingDocuments(decision, { documents: [] }),
  };
}
