import { z } from 'zod';
import { fromNumeric, parseAmount, toDecimalString } from '../money/index.ts';
import type { FactKind } from './operators.ts';
import type { ParameterKind } from './parameters.ts';
import { sourceSchema } from './source.ts';

// What the code gives the rules (facts) and what it understands back
// (events), per policy area. A rule file may only use these: a fact the code
// never supplies, or an event nobody reads, is refused when the rules load.

export const policyAreas = ['eligibility', 'benefits', 'subsidy', 'lpa', 'savings'] as const;
export type PolicyArea = (typeof policyAreas)[number];

export interface FactSpec {
  readonly kind: FactKind;
  readonly values?: readonly string[];
  readonly nullable: boolean;
  readonly description: string;
}

const integer = (description: string, nullable = false): FactSpec => ({ kind: 'integer', nullable, description });
const decimal = (description: string, nullable = false): FactSpec => ({ kind: 'decimal', nullable, description });
const boolean = (description: string, nullable = false): FactSpec => ({ kind: 'boolean', nullable, description });
const oneOf = (values: readonly string[], description: string, nullable = false): FactSpec => ({
  kind: 'enum',
  values,
  nullable,
  description,
});

export const maritalStatuses = ['single', 'married', 'divorced', 'widowed'] as const;
export const sectors = ['informal', 'formal'] as const;
// From the integrated social welfare data (DTKS): poor (miskin), near-poor
// (hampir miskin), vulnerable (rentan), not poor, or not yet matched.
export const welfareStatuses = ['poor', 'near-poor', 'vulnerable', 'not-poor', 'unknown'] as const;
export const claimTypes = ['sickness', 'accident', 'accident-medical', 'dentures', 'disability', 'death'] as const;
export const deathCauses = ['natural', 'accident', 'work-accident'] as const;
export const lpaAccreditations = ['none', 'provisional', 'accredited'] as const;

export const factCatalogue: Readonly<Record<PolicyArea, Readonly<Record<string, FactSpec>>>> = {
  eligibility: {
    age: integer('Whole years on the enrolment or re-check date.'),
    maritalStatus: oneOf(maritalStatuses, 'Marital status (status perkawinan).'),
    isHeadOfFamily: boolean('Main breadwinner and head of the family (kepala keluarga).'),
    sector: oneOf(sectors, 'Whether the occupation is in the informal sector.'),
    welfareStatus: oneOf(welfareStatuses, 'Poverty status from DTKS / PPLS.'),
    // Declarations the LPA takes from the person (programme rules, 2012): null
    // when the LPA has not asked, which a rule that needs a yes must refuse
    // as surely as a no.
    willingToSave: boolean(
      'Declared willing to save at a legal financial institution, a bank or a cooperative (lembaga keuangan resmi); null when not declared.',
      true,
    ),
    attendsMonthlyMeeting: boolean(
      'Declared to attend a capacity-building meeting at least once a month (pertemuan peningkatan kapasitas); null when not declared.',
      true,
    ),
  },
  benefits: {
    claimType: oneOf(claimTypes, 'What the claim is for.'),
    coverageYear: integer('Coverage year of the incident: 1 in the first year after enrolment.'),
    sicknessDays: integer('Days of sickness (sickness claims), else null.', true),
    priorPaidClaims: integer('Sickness and accident claims already paid to this participant.'),
    deathCause: oneOf(deathCauses, 'Cause of death (death claims), else null.', true),
    costClaimed: decimal('Cost shown on receipts (medical, dentures), else null.', true),
    monthlyWage: decimal('Monthly wage declared for wage-based benefits, else null.', true),
    reportDelayDays: integer('Days from the incident to the report to the LPA: 0 when reported the same day.'),
  },
  subsidy: {
    coverageYear: integer('Coverage year of the premium period: 1 in the first year after enrolment.'),
    monthOfCover: integer('Month of cover counted from enrolment: 1 for the first month.'),
  },
  lpa: {
    coverageYear: integer('Coverage year of the participants the LPA serves.'),
    accreditation: oneOf(lpaAccreditations, 'Accreditation of the LPA on the decision date.'),
    cardDeliveryRate: decimal(
      "Share of the LPA's members in cover the day before whose membership card was delivered; null when it has none.",
      true,
    ),
    claimsPaidLate: integer(
      "The LPA's claims whose payment deadline fell in the twelve months before the decision date and that were paid after it, or are still unpaid.",
    ),
    progressReportDelayDays: integer(
      "Days from the end of the month before last to the LPA's progress report for it; when none is submitted yet, the days to the decision date.",
    ),
    savingsParticipationRate: decimal(
      "Share of the LPA's members in cover the day before who owe mandatory savings and are not behind with them, as the last savings-dues run marked them; null when none owes any.",
      true,
    ),
  },
  savings: {
    coverageYear: integer('Coverage year of the participant.'),
    savingsMonthsPaid: integer("Months of mandatory savings the member's deposits cover, oldest first."),
    savingsMonthsBehind: integer('Months of mandatory savings due before this month and not covered by deposits.'),
    loansOutstanding: integer('Loans the member has approved or disbursed and not yet repaid or written off.'),
    loanDaysInArrears: integer("Days the member's oldest unpaid loan instalment is past due: 0 when none is."),
  },
};

// What is wrong with a value for a fact of this kind, in a rule or in the
// facts given to one; null when nothing is.
export function factValueProblem(spec: Pick<FactSpec, 'kind' | 'values'>, value: unknown): string | null {
  switch (spec.kind) {
    case 'integer':
      return Number.isSafeInteger(value) ? null : 'must be a whole number';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'decimal':
      if (typeof value === 'number') return 'must be a decimal string such as "250000.00", not a JSON number';
      return typeof value === 'string' && /^-?\d{1,15}(\.\d{1,6})?$/.test(value)
        ? null
        : 'must be a decimal string such as "250000.00"';
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? null : 'must be a date as YYYY-MM-DD';
    case 'enum':
      return typeof value === 'string' && (spec.values ?? []).includes(value)
        ? null
        : `must be one of: ${(spec.values ?? []).join(', ')}`;
    default: {
      const unreachable: never = spec.kind;
      throw new Error(`unknown fact kind ${String(unreachable)}`);
    }
  }
}

// Event params are policy values, written as text so no amount or rate ever
// passes through a JS number.
const notJsonNumber = (what: string) => (issue: { input?: unknown }) =>
  typeof issue.input === 'number'
    ? `must be a decimal string such as "${what}", not a JSON number`
    : `must be a decimal string such as "${what}"`;

function amountParam() {
  return z.string({ error: notJsonNumber('250000.00') }).superRefine((text, ctx) => {
    const parsed = parseAmount(text, { allowNegative: false, decimalPlacesMax: 2 });
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.reason });
  });
}

export function rateParam() {
  return z.string({ error: notJsonNumber('0.125') }).superRefine((text, ctx) => {
    const parsed = parseAmount(text, { allowNegative: false, decimalPlacesMax: 6 });
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.reason });
    else if (parsed.value.greaterThan(1)) ctx.addIssue({ code: 'custom', message: 'must be a rate between 0 and 1' });
  });
}

export const countParam = () =>
  z.string({ error: notJsonNumber('12') }).regex(/^[1-9]\d{0,3}$/, 'must be a whole count such as "12"');
const reasonParam = () => z.string().regex(/^[a-z][a-z0-9_]{1,63}$/, 'must be a snake_case reason code');
const textParam = () => z.string().min(1).max(500);
const documentKind = () => z.string().regex(/^[a-z][a-z0-9-]{1,49}$/, 'must be a kebab-case document kind');
const benefitName = () => z.string().regex(/^[a-z][a-z0-9-]{1,63}$/, 'must be a kebab-case benefit name');

const source = sourceSchema;

export const eventCatalogue = {
  eligibility: {
    ineligible: z.strictObject({ reason: reasonParam(), explanation: textParam(), source }),
  },
  benefits: {
    benefit: z.discriminatedUnion('method', [
      z.strictObject({ benefit: benefitName(), method: z.literal('fixed'), amount: amountParam(), source }),
      z.strictObject({ benefit: benefitName(), method: z.literal('reimbursement'), amountMax: amountParam(), source }),
      z.strictObject({
        benefit: benefitName(),
        method: z.literal('wage-multiple'),
        wageRate: rateParam(),
        wageMonths: countParam(),
        insuredWage: amountParam().meta({
          description: 'The monthly wage the benefit is computed on at most: a declared wage above it pays on it.',
        }),
        allowance: amountParam(),
        allowanceMonths: countParam(),
        source,
      }),
    ]),
    'claim-rejected': z.strictObject({ reason: reasonParam(), explanation: textParam(), source }),
    // Sends the claim to the directorate's review instead of deciding it.
    'claim-referred': z.strictObject({ reason: reasonParam(), explanation: textParam(), source }),
    // The checklist: every kind named by a rule that applies must be among the claim's documents.
    'documents-required': z.strictObject({
      kinds: z.array(documentKind()).min(1).max(20).meta({ description: 'Document kinds, e.g. "death-certificate".' }),
      source,
    }),
    // Working days from acceptance within which the benefit must be paid.
    'payment-deadline': z.strictObject({ workingDays: countParam(), source }),
  },
  subsidy: {
    premium: z.strictObject({ premium: amountParam(), subsidyRate: rateParam(), source }),
    'one-time-assistance': z.strictObject({ amount: amountParam(), coverageYears: countParam(), source }),
    // An own share unpaid for graceMonths lapses cover; paying all that is
    // owed within reinstateWithinMonths of the lapse reinstates it. A
    // capability: the shipped standalone versions do not lapse for arrears.
    arrears: z.strictObject({ graceMonths: countParam(), reinstateWithinMonths: countParam(), source }),
    // An own share unpaid for afterMonths writes the participant a reminder;
    // cover goes on.
    'arrears-reminder': z.strictObject({ afterMonths: countParam(), source }),
  },
  lpa: {
    honorarium: z.strictObject({ rate: rateParam(), base: z.literal('premium-assistance'), source }),
    // A grant per member entering the coverage year the rule names.
    strengthening: z.strictObject({ amountPerParticipant: amountParam(), source }),
    // Holds back the grant the rules would give; every reason is kept.
    'strengthening-withheld': z.strictObject({ reason: reasonParam(), explanation: textParam(), source }),
  },
  savings: {
    'mandatory-savings': z.strictObject({ monthlyAmount: amountParam(), source }),
    // The first loan terms shipped: read as a flat product named "loan",
    // repaid monthly, with no grace and no penalty.
    'loan-terms': z.strictObject({ amountMax: amountParam(), flatMonthlyRate: rateParam(), termMonthsMax: countParam(), source }),
    // A loan product a member may borrow under; every product whose rule
    // applies is offered.
    'loan-product': z.strictObject({
      product: benefitName().meta({ description: 'The product the application names, e.g. "modal-usaha".' }),
      method: z.enum(['flat', 'declining-balance']),
      monthlyRate: rateParam(),
      amountMin: amountParam(),
      amountMax: amountParam(),
      termMonthsMax: countParam(),
      graceMonthsMax: z.string().regex(/^\d{1,2}$/, 'must be a whole count such as "0"'),
      repayment: z.enum(['monthly', 'weekly']).meta({
        description: 'weekly: four instalments a month, each at a quarter of the monthly rate.',
      }),
      penaltyMonthlyRate: rateParam().meta({
        description: 'Charged on an instalment still unpaid each whole month after it fell due.',
      }),
      source,
    }),
    // Refuses a loan application; every reason that applies is given.
    'loan-refused': z.strictObject({ reason: reasonParam(), explanation: textParam(), source }),
  },
} as const satisfies Record<PolicyArea, Record<string, z.ZodType>>;

// The event params that carry a value of policy, by the kind of parameter
// they take: a rule writes them as {"param": …}, never as a literal, so each
// value lives in one place, the manifest's parameters.
export const eventValueKinds: Readonly<Record<string, ParameterKind>> = {
  amount: 'amount',
  amountMin: 'amount',
  amountMax: 'amount',
  allowance: 'amount',
  insuredWage: 'amount',
  premium: 'amount',
  monthlyAmount: 'amount',
  amountPerParticipant: 'amount',
  rate: 'rate',
  subsidyRate: 'rate',
  wageRate: 'rate',
  flatMonthlyRate: 'rate',
  monthlyRate: 'rate',
  penaltyMonthlyRate: 'rate',
  wageMonths: 'count',
  allowanceMonths: 'count',
  coverageYears: 'count',
  graceMonths: 'count',
  reinstateWithinMonths: 'count',
  afterMonths: 'count',
  workingDays: 'count',
  termMonthsMax: 'count',
  graceMonthsMax: 'count',
};

// Each amount an event carries is checked against a ceiling the manifest
// declares: benefits by their own name, the rest by the event type. Only for
// params the event's schema has accepted: each is then a decimal string,
// given back as written so a refusal quotes the rule file.
export function ceilingChecks(
  type: string,
  params: Readonly<Record<string, unknown>>,
): { ceiling: string; amounts: Record<string, string> }[] {
  const text = (name: string) => (typeof params[name] === 'string' ? (params[name] as string) : undefined);
  const pick = (...names: string[]) =>
    Object.fromEntries(names.flatMap((name) => (text(name) === undefined ? [] : [[name, text(name) as string]])));
  switch (type) {
    case 'benefit': {
      const [rate, wageMonths, insuredWage, allowance, months] = [
        'wageRate',
        'wageMonths',
        'insuredWage',
        'allowance',
        'allowanceMonths',
      ].map(text);
      // A wage multiple pays its most on the insured wage.
      const wageMultipleMax: Record<string, string> =
        rate === undefined ||
        wageMonths === undefined ||
        insuredWage === undefined ||
        allowance === undefined ||
        months === undefined
          ? {}
          : {
              'wageRate × wageMonths × insuredWage + allowance × allowanceMonths': toDecimalString(
                fromNumeric(rate).times(wageMonths).times(insuredWage).plus(fromNumeric(allowance).times(months)),
              ),
            };
      return [{ ceiling: String(params.benefit), amounts: { ...pick('amount', 'amountMax'), ...wageMultipleMax } }];
    }
    case 'premium':
      return [{ ceiling: 'premium', amounts: pick('premium') }];
    case 'one-time-assistance':
      return [{ ceiling: 'one-time-assistance', amounts: pick('amount') }];
    case 'strengthening':
      return [{ ceiling: 'strengthening', amounts: pick('amountPerParticipant') }];
    case 'mandatory-savings':
      return [{ ceiling: 'mandatory-savings', amounts: pick('monthlyAmount') }];
    case 'loan-terms':
    case 'loan-product':
      return [{ ceiling: 'loan', amounts: pick('amountMin', 'amountMax') }];
    default:
      return [];
  }
}
