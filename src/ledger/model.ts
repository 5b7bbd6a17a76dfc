import { z } from 'zod';
import { uuidSchema } from '../ids.ts';
import { type Amount, amountSchema } from '../money/index.ts';
import { isoDateSchema } from '../dates.ts';
import { entryProblem } from './balance.ts';
import { accountTypes, chart, chartBooks, ownerKinds } from './chart.ts';

// The ledger's words. An amount is signed: a debit is positive, a credit
// negative; the postings of one entry sum to zero.

// The chart's own words (account types, owners, books) live with the chart.
export { accountTypes, type AccountType, ownerKinds, type OwnerKind } from './chart.ts';

export const postingsPerEntryMax = 50;

export const chartCodeSchema = z
  .string()
  .regex(/^[1-5][0-9]{3}$/, `must be a 4-digit chart code such as "${chart.cashAtBank.code}"`);
export const monthSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month as YYYY-MM')
  .meta({ description: 'A calendar month, YYYY-MM.' });
const referenceTypeSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,49}$/, 'must be a kebab-case kind such as "subsidy-receipt"')
  .meta({ description: 'What kind of business event the entry records: "claim", "premium", "subsidy-receipt"…' });
const referenceIdSchema = z.string().trim().min(1).max(200);

export interface Rule {
  readonly scheme: string;
  readonly version: string;
  readonly hash: string;
}

export interface PostingDraft {
  readonly accountId: string;
  readonly amount: Amount;
}

// What a feature hands to postEntry, already parsed and trusted.
export interface EntryDraft {
  readonly entryDate: string;
  readonly description: string;
  readonly reference: { readonly type: string; readonly id: string };
  // The rule version that produced the amounts, when a rule did.
  readonly rule: Rule | null;
  readonly idempotencyKey: string;
  readonly postings: readonly PostingDraft[];
  readonly reversesEntryId?: string;
  // The entry's id, when the caller must name it before posting (a claim
  // row that points at its reserve entry is written first).
  readonly entryId?: string;
}

export const newEntrySchema = z
  .strictObject({
    entryDate: isoDateSchema,
    description: z.string().trim().min(1).max(500),
    reference: z.strictObject({ type: referenceTypeSchema, id: referenceIdSchema }),
    postings: z
      .array(
        z.strictObject({
          accountId: uuidSchema,
          amount: amountSchema({ allowNegative: true, allowZero: false }).meta({
            description: 'Signed rupiah: a debit is positive, a credit negative.',
          }),
        }),
      )
      .min(2, 'must have at least two postings')
      .max(postingsPerEntryMax),
  })
  .superRefine((entry, ctx) => {
    const problem = entryProblem(entry.postings);
    if (problem !== null) ctx.addIssue({ code: 'custom', path: ['postings'], message: problem });
  });

export const reversalSchema = z.strictObject({
  entryDate: isoDateSchema.optional().meta({ description: 'Date of the reversal; default today. It must be in an open month.' }),
  description: z.string().trim().min(1).max(500),
});

export const newAccountSchema = z
  .strictObject({
    code: chartCodeSchema,
    lpaId: uuidSchema.optional(),
    participantId: uuidSchema.optional(),
  })
  .refine((account) => account.lpaId === undefined || account.participantId === undefined, {
    path: ['participantId'],
    message: 'name either lpaId or participantId, not both',
  });

const amountText = z.string().meta({ description: 'Rupiah as a decimal string.' });

export const chartLineSchema = z.object({
  code: z.string(),
  name: z.string(),
  nameId: z.string().meta({ description: 'The Indonesian name.' }),
  type: z.enum(accountTypes),
  ownerKinds: z.array(z.enum(ownerKinds)),
  mustNotGoNegative: z.boolean(),
  books: z.enum(chartBooks).meta({
    description:
      "Whose books the account belongs to: the fund's, or an LPA's savings-and-loans pool (kept apart in the fund's statements).",
  }),
});
export type ChartLine = z.infer<typeof chartLineSchema>;

export const accountSchema = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  type: z.enum(accountTypes),
  ownerKind: z.enum(ownerKinds),
  lpaId: z.uuid().nullable(),
  participantId: z.uuid().nullable(),
  mustNotGoNegative: z.boolean(),
  debits: amountText,
  credits: amountText,
  balance: amountText.meta({ description: 'Debits minus credits: a liability in credit shows negative.' }),
  normalBalance: amountText.meta({
    description: 'The balance on the account’s own side: positive for a funded asset or liability.',
  }),
  postingsCount: z.int(),
  openedAt: z.iso.datetime(),
});
export type Account = z.infer<typeof accountSchema>;

export const entrySchema = z.object({
  id: z.uuid(),
  sequence: z.string().meta({ description: 'Order of posting across the whole ledger.' }),
  entryDate: z.string(),
  description: z.string(),
  reference: z.object({ type: z.string(), id: z.string() }),
  rule: z.object({ scheme: z.string(), version: z.string(), hash: z.string() }).nullable(),
  idempotencyKey: z.string(),
  reversesEntryId: z.uuid().nullable(),
  reversedByEntryId: z.uuid().nullable(),
  postedAt: z.iso.datetime(),
  postedBy: z.string(),
  postings: z.array(z.object({ accountId: z.uuid(), accountCode: z.string(), accountName: z.string(), amount: amountText })),
});
export type Entry = z.infer<typeof entrySchema>;

export const statementSchema = z.object({
  account: accountSchema,
  from: z.string().nullable(),
  to: z.string().nullable(),
  openingBalance: amountText,
  lines: z.array(
    z.object({
      postingId: z.string(),
      entryId: z.uuid(),
      entryDate: z.string(),
      description: z.string(),
      reference: z.object({ type: z.string(), id: z.string() }),
      debit: amountText.nullable(),
      credit: amountText.nullable(),
      runningBalance: amountText,
    }),
  ),
  next: z.string().nullable().meta({ description: 'Pass as after= for the next page; null on the last.' }),
});
export type Statement = z.infer<typeof statementSchema>;

export const trialBalanceSchema = z.object({
  asOf: z.string().nullable(),
  lines: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      type: z.enum(accountTypes),
      accounts: z.int(),
      debits: amountText,
      credits: amountText,
      balance: amountText,
    }),
  ),
  totals: z.object({ debits: amountText, credits: amountText, balance: amountText }),
});
export type TrialBalance = z.infer<typeof trialBalanceSchema>;

export const periodsSchema = z.object({
  closedThrough: z.string().nullable().meta({ description: 'Entries dated on or before this day are refused.' }),
  closes: z.array(z.object({ closedThrough: z.string(), closedAt: z.iso.datetime(), closedBy: z.string() })),
});
export type Periods = z.infer<typeof periodsSchema>;

// A posted entry, and whether its idempotency key had posted it before.
export interface Posted {
  readonly entry: Entry;
  readonly replayed: boolean;
}
