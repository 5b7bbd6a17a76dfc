import { z } from 'zod';
import { isoDateSchema } from '../dates.ts';
import { coverEndings, languages } from './catalogue.ts';

// A notice tells a participant (or the heirs) of one decision. It keeps
// what was decided, as data; its words are rendered when it is read.

export const noticeKinds = [
  'enrolment-accepted',
  'enrolment-refused',
  'card-issued',
  'claim-approved',
  'claim-referred',
  'claim-rejected',
  'claim-paid',
  'cover-ended',
  'arrears-reminder',
] as const;

export const noticeStatuses = ['pending', 'sent', 'handed-over'] as const;

const reasons = z.array(z.object({ reason: z.string(), explanation: z.string() }));
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const rupiah = z.string().meta({ description: 'Rupiah as a decimal string.' });
const claim = { claimId: z.uuid(), claimType: z.string(), incidentDate: date };

export const decisionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('enrolment-accepted'), enrolmentId: z.uuid(), enrolledOn: date }),
  z.object({ kind: z.literal('enrolment-refused'), enrolmentId: z.uuid(), enrolledOn: date, reasons }),
  z.object({ kind: z.literal('card-issued'), cardNumber: z.string(), issuedOn: date }),
  z.object({
    kind: z.literal('claim-approved'),
    ...claim,
    benefit: z.string(),
    amount: rupiah,
    paymentDueOn: date.nullable(),
    review: z.string().nullable().meta({ description: "The directorate's reason, when approved on review." }),
  }),
  z.object({ kind: z.literal('claim-referred'), ...claim, amount: rupiah, reasons }),
  z.object({
    kind: z.literal('claim-rejected'),
    ...claim,
    reasons,
    review: z.string().nullable().meta({ description: "The directorate's reason, when rejected on review." }),
  }),
  z.object({ kind: z.literal('claim-paid'), ...claim, amount: rupiah, paidOn: date, reference: z.string() }),
  z.object({
    kind: z.literal('cover-ended'),
    cause: z.enum(coverEndings),
    endedOn: date,
    arrears: rupiah.nullable().meta({ description: 'The own share unpaid, when cover ended for arrears.' }),
    reasons: reasons.meta({ description: 'Why the re-check found the participant no longer eligible.' }),
  }),
  z.object({
    kind: z.literal('arrears-reminder'),
    arrears: rupiah.meta({ description: 'The own share unpaid when the reminder was written.' }),
    arrearsSince: z.string().meta({ description: 'The month of the oldest due unpaid, YYYY-MM.' }),
  }),
]);
export type Decision = z.infer<typeof decisionSchema>;

const ruleSchema = z.object({ scheme: z.string(), version: z.string(), hash: z.string() });
type DecisionRule = z.infer<typeof ruleSchema>;

// A notice as it is written, inside the decision's transaction.
export interface NoticeDraft {
  readonly lpaId: string;
  readonly participantId: string;
  // Names the decision, once: a replay of it writes nothing.
  readonly decisionKey: string;
  readonly decidedOn: string;
  readonly decision: Decision;
  readonly rule: DecisionRule | null;
}

export const noticeSchema = z.object({
  id: z.uuid(),
  lpaId: z.uuid(),
  participantId: z.uuid(),
  participantName: z.string(),
  kind: z.enum(noticeKinds),
  decidedOn: z.string(),
  decision: decisionSchema,
  rule: ruleSchema.nullable().meta({ description: 'The rule version and hash that made the decision.' }),
  status: z.enum(noticeStatuses),
  sent: z
    .object({ at: z.iso.datetime(), channel: z.string(), reference: z.string().nullable() })
    .nullable()
    .meta({ description: 'How the sender delivered it, or the LPA sent it.' }),
  handedOver: z
    .object({ on: z.string(), by: z.string() })
    .nullable()
    .meta({ description: 'When the LPA handed the paper notice to the participant or an heir.' }),
  createdAt: z.iso.datetime(),
});
export type Notice = z.infer<typeof noticeSchema>;

export const languageQuerySchema = z.strictObject({
  lang: z.enum(languages).default('id').meta({ description: 'id: Bahasa Indonesia (default); en: English.' }),
});

const sentChannels = ['sms', 'whatsapp', 'post', 'other'] as const;

export const markSentSchema = z.strictObject({
  channel: z.enum(sentChannels),
  reference: z.string().trim().min(1).max(100).optional().meta({ description: 'The message id or postal receipt.' }),
});

export const markHandedOverSchema = z.strictObject({
  on: isoDateSchema.optional().meta({ description: 'The day it was handed over; today when absent.' }),
});
