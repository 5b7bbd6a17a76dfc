import { z } from 'zod';
import { lpaAccreditations as accreditations, maritalStatuses, welfareStatuses } from '../rules/catalogue.ts';
import { isoDateSchema } from '../dates.ts';
import { regencyCodeSchema } from '../ids.ts';
import { sexes } from './identity.ts';
import { occupationNames } from './occupations.ts';

export const lpaTypes = ['social-organisation', 'foundation', 'customary-body', 'association'] as const;
export const lpaStatuses = ['proposed', 'approved', 'suspended', 'closed'] as const;
export const heirRelations = ['spouse', 'child', 'parent', 'sibling', 'other'] as const;
export const enrolmentStatuses = ['active', 'rejected', 'lapsed'] as const;

const phoneSchema = z.string().regex(/^\+?[0-9]{6,15}$/, 'must be a phone number of 6 to 15 digits, optionally starting with +');
const sixteenDigits = (what: string) => z.string().regex(/^[0-9]{16}$/, `must be a ${what} of 16 digits`);

export const newLpaSchema = z
  .strictObject({
    name: z.string().trim().min(2).max(200),
    type: z.enum(lpaTypes),
    regencyCode: regencyCodeSchema,
    contactName: z.string().trim().min(2).max(100),
    contactPhone: phoneSchema,
    bankName: z.string().trim().min(2).max(100),
    bankAccountNumber: z.string().regex(/^[0-9]{5,20}$/, 'must be 5 to 20 digits'),
    accreditation: z.enum(accreditations),
    accreditedOn: isoDateSchema.optional(),
  })
  .superRefine((lpa, ctx) => {
    if ((lpa.accreditation === 'none') !== (lpa.accreditedOn === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['accreditedOn'],
        message: lpa.accreditation === 'none' ? 'is only allowed with an accreditation' : 'is required with an accreditation',
      });
    }
  });
export type NewLpa = z.output<typeof newLpaSchema>;

export const lpaSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  type: z.enum(lpaTypes),
  regencyCode: z.string(),
  contactName: z.string(),
  contactPhone: z.string(),
  bankName: z.string(),
  bankAccountNumber: z.string(),
  accreditation: z.enum(accreditations),
  accreditedOn: z.string().nullable(),
  status: z.enum(lpaStatuses),
  statusReason: z.string().nullable(),
  statusChangedAt: z.iso.datetime(),
  proposedBy: z.string(),
  createdAt: z.iso.datetime(),
});
export type Lpa = z.infer<typeof lpaSchema>;

export const lpaStatusChangeSchema = z.strictObject({ reason: z.string().trim().min(3).max(500) });

export const heirInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  nik: sixteenDigits('NIK').optional(),
  relation: z.enum(heirRelations),
});

export const heirsPerParticipantMax = 10;

export const heirsInputSchema = z.strictObject({
  heirs: z
    .array(heirInputSchema)
    .max(heirsPerParticipantMax, `must be at most ${heirsPerParticipantMax} heirs`)
    .meta({ description: 'Every heir the participant has now; an heir left out is removed, an empty list removes all.' }),
});
export type HeirInput = z.output<typeof heirInputSchema>;

// A criterion the person declares to the LPA (New Initiative 2012 programme
// rules). Left out or null means the LPA has not asked, which is kept apart
// from a no: the rules refuse both, but the reports count them apart.
const declarationSchema = (description: string) =>
  z
    .boolean()
    .nullable()
    .default(null)
    .meta({ description: `${description} Omit, or null, when the person has not declared it.` });

export const participantInputSchema = z.strictObject({
  nik: sixteenDigits('NIK'),
  kk: sixteenDigits('KK (family card number)'),
  name: z.string().trim().max(100),
  birthDate: isoDateSchema,
  sex: z.enum(sexes),
  maritalStatus: z.enum(maritalStatuses),
  isHeadOfFamily: z.boolean(),
  occupation: z.enum(occupationNames, { error: () => `must be one of the occupations: ${occupationNames.join(', ')}` }),
  welfareStatus: z
    .enum(welfareStatuses)
    .meta({ description: 'From DTKS / PPLS: poor, near-poor, vulnerable, not-poor, or unknown (not yet matched).' }),
  welfareDecile: z.int().min(1).max(10).optional(),
  willingToSave: declarationSchema(
    'Declared willing to save at a legal financial institution: a bank or a cooperative (lembaga keuangan resmi).',
  ),
  attendsMonthlyMeeting: declarationSchema('Declared to attend a capacity-building meeting at least once a month.'),
  address: z.string().trim().min(5).max(300),
  phone: phoneSchema.optional(),
  heirs: z.array(heirInputSchema).max(heirsPerParticipantMax).default([]),
  enrolledOn: isoDateSchema.meta({ description: 'The enrolment date: the eligibility rules in force on it decide.' }),
});
export type ParticipantInput = z.output<typeof participantInputSchema>;

export const enrolmentSchema = z.object({
  id: z.uuid(),
  lpaId: z.uuid(),
  enrolledOn: z.string(),
  status: z.enum(enrolmentStatuses),
  reasons: z.array(z.object({ reason: z.string(), explanation: z.string() })),
  rule: z.object({ scheme: z.string(), version: z.string(), hash: z.string() }),
  decidedAt: z.iso.datetime(),
  lapsedOn: z.string().nullable().meta({
    description:
      'The day cover lapsed: a yearly re-check found the person no longer eligible, or the own share stayed unpaid past the grace period (why: GET /v1/participants/{id}/lapses).',
  }),
});
export type Enrolment = z.infer<typeof enrolmentSchema>;

export const participantSchema = z.object({
  id: z.uuid(),
  nik: z.string(),
  kk: z.string(),
  lpaId: z.uuid(),
  name: z.string(),
  birthDate: z.string(),
  sex: z.enum(sexes),
  maritalStatus: z.enum(maritalStatuses),
  isHeadOfFamily: z.boolean(),
  occupation: z.string(),
  welfareStatus: z.enum(welfareStatuses),
  welfareDecile: z.number().nullable(),
  willingToSave: z.boolean().nullable().meta({ description: 'null: not declared.' }),
  attendsMonthlyMeeting: z.boolean().nullable().meta({ description: 'null: not declared.' }),
  address: z.string(),
  phone: z.string().nullable(),
  card: z.object({ number: z.string(), issuedOn: z.string(), deliveredOn: z.string().nullable() }).nullable(),
  heirs: z.array(z.object({ id: z.uuid(), name: z.string(), nik: z.string().nullable(), relation: z.enum(heirRelations) })),
  enrolments: z.array(enrolmentSchema).meta({ description: 'Every decision on this person, newest first.' }),
});
export type Participant = z.infer<typeof participantSchema>;

export const cardInputSchema = z
  .strictObject({
    number: z.string().regex(/^[A-Z0-9-]{4,32}$/, 'must be 4 to 32 capital letters, digits or hyphens'),
    issuedOn: isoDateSchema,
    deliveredOn: isoDateSchema.optional(),
  })
  .refine((card) => card.deliveredOn === undefined || card.deliveredOn >= card.issuedOn, {
    path: ['deliveredOn'],
    message: 'must not be before issuedOn',
  });

export const membershipLookupSchema = z.strictObject({ nik: sixteenDigits('NIK'), birthDate: isoDateSchema });
export const membershipSchema = z.object({
  member: z.boolean(),
  status: z.enum(enrolmentStatuses).nullable(),
  lpa: z.object({ name: z.string(), contactName: z.string(), contactPhone: z.string() }).nullable(),
});

export const dataQualitySchema = z.object({
  lpas: z.array(
    z.object({
      lpaId: z.uuid(),
      lpaName: z.string(),
      regencyCode: z.string(),
      participants: z.int(),
      activeEnrolments: z.int(),
      importRowsRefused: z.array(z.object({ column: z.string(), reason: z.string(), count: z.int() })),
      enrolmentsRejected: z.array(z.object({ reason: z.string(), count: z.int() })),
    }),
  ),
  suspectedDuplicates: z.array(
    z.object({
      name: z.string(),
      birthDate: z.string(),
      participants: z.array(z.object({ id: z.uuid(), nik: z.string(), lpaId: z.uuid() })),
    }),
  ),
});
export type DataQuality = z.infer<typeof dataQualitySchema>;
export type LpaQuality = DataQuality['lpas'][number];
export type SuspectedDuplicate = DataQuality['suspectedDuplicates'][number];

export const importViewSchema = z.object({
  id: z.uuid(),
  lpaId: z.uuid(),
  fileName: z.string(),
  enrolledOn: z.string(),
  status: z.enum(['running', 'done', 'failed']),
  linesCommitted: z.int(),
  rowsEnrolled: z.int(),
  rowsRejected: z.int(),
  rowsInvalid: z.int(),
  rowsSkipped: z.int(),
  failure: z.string().nullable(),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
});
export type ImportView = z.infer<typeof importViewSchema>;

export const participantViewSchema = participantSchema.extend({
  coverageYear: z
    .int()
    .nullable()
    .meta({ description: 'Coverage year today of the active enrolment; null when none is active.' }),
});

// Far above any regency's people (Indonesia has about 280 million).
const targetPopulationMax = 100_000_000;

export const targetPopulationInputSchema = z.strictObject({
  targetPopulation: z
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(targetPopulationMax, `must be at most ${targetPopulationMax}`)
    .meta({ description: 'The people the regency aims to cover, for example its informal workers.' }),
  source: z
    .string()
    .trim()
    .min(3, 'must be 3 to 300 characters')
    .max(300, 'must be 3 to 300 characters')
    .meta({ description: 'Where the figure comes from, e.g. "BPS Sakernas Agustus 2026, pekerja informal".' }),
  asOf: isoDateSchema.meta({ description: 'The day the figure holds for, YYYY-MM-DD; not in the future.' }),
});
export type TargetPopulationInput = z.output<typeof targetPopulationInputSchema>;

export const targetPopulationSchema = z.object({
  regencyCode: z.string(),
  targetPopulation: z.int(),
  source: z.string(),
  asOf: z.string(),
  declaredBy: z.string(),
  declaredAt: z.iso.datetime(),
});
export type TargetPopulation = z.infer<typeof targetPopulationSchema>;
