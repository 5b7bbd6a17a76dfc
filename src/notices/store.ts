import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import { type Decision, decisionSchema, type Notice, type NoticeDraft, type noticeStatuses } from './model.ts';

type Runner = Db | Knex.Transaction;

// Inside the decision's transaction. A decision already told (a replay, a
// job run again) is left as it was.
export async function insertNotices(trx: Knex.Transaction, drafts: readonly NoticeDraft[]): Promise<void> {
  if (drafts.length === 0) return;
  await trx('notices')
    .insert(
      drafts.map((draft) => {
        const { kind, ...payload } = draft.decision;
        return {
          lpa_id: draft.lpaId,
          participant_id: draft.participantId,
          kind,
          decision_key: draft.decisionKey,
          decided_on: draft.decidedOn,
          payload: JSON.stringify(payload),
          rule_scheme: draft.rule?.scheme ?? null,
          rule_version: draft.rule?.version ?? null,
          rule_hash: draft.rule?.hash ?? null,
        };
      }),
    )
    .onConflict('decision_key')
    .ignore();
}

// Enrolments just decided, one by one or by an import: accepted, or refused
// with the reasons they were refused for.
export async function insertEnrolmentNotices(
  trx: Knex.Transaction,
  enrolments: { enrolmentIds: readonly string[]; decidedOn: string },
): Promise<void> {
  if (enrolments.enrolmentIds.length === 0) return;
  await trx.raw(
    `insert into notices (lpa_id, participant_id, kind, decision_key, decided_on, payload, rule_scheme, rule_version, rule_hash)
     select e.lpa_id, e.participant_id, case when e.status = 'rejected' then 'enrolment-refused' else 'enrolment-accepted' end,
       'enrolment:' || e.id, ?::date,
       jsonb_build_object('enrolmentId', e.id, 'enrolledOn', to_char(e.enrolled_on, 'YYYY-MM-DD'))
         || case when e.status = 'rejected' then jsonb_build_object('reasons', e.reasons) else '{}'::jsonb end,
       e.rule_scheme, e.rule_version, e.rule_hash
     from enrolments e
     where e.id in (select value::uuid from jsonb_array_elements_text(?::jsonb))
     on conflict (decision_key) do nothing`,
    [enrolments.decidedOn, JSON.stringify(enrolments.enrolmentIds)],
  );
}

// Cover that the premium cycle or the re-check ended, in bulk: one notice per
// lapse just recorded for these enrolments on that day, naming the rules the
// lapse names, and for a re-check the reasons it found.
export async function insertCoverEndedNotices(
  trx: Knex.Transaction,
  lapses: { enrolmentIds: readonly string[]; lapsedOn: string; decidedOn: string },
): Promise<void> {
  if (lapses.enrolmentIds.length === 0) return;
  await trx.raw(
    `insert into notices (lpa_id, participant_id, kind, decision_key, decided_on, payload, rule_scheme, rule_version, rule_hash)
     select e.lpa_id, e.participant_id, 'cover-ended', 'lapse:' || l.id, ?::date,
       jsonb_build_object(
         'cause', l.reason,
         'endedOn', to_char(l.lapsed_on, 'YYYY-MM-DD'),
         'arrears', l.arrears::text,
         'reasons', case when l.reason = 'not-eligible'
           then coalesce((select c.reasons from eligibility_checks c
                           where c.enrolment_id = l.enrolment_id and c.outcome = 'lapsed' and c.checked_on = l.lapsed_on
                           limit 1), '[]'::jsonb)
           else '[]'::jsonb end),
       l.rule_scheme, l.rule_version, l.rule_hash
     from cover_lapses l join enrolments e on e.id = l.enrolment_id
     where l.enrolment_id in (select value::uuid from jsonb_array_elements_text(?::jsonb))
       and l.lapsed_on = ?::date
     on conflict (decision_key) do nothing`,
    [lapses.decidedOn, JSON.stringify(lapses.enrolmentIds), lapses.lapsedOn],
  );
}

interface NoticeRow {
  id: string;
  lpa_id: string;
  participant_id: string;
  participant_name: string;
  kind: Notice['kind'];
  decided_on: string;
  payload: Record<string, unknown>;
  rule_scheme: string | null;
  rule_version: string | null;
  rule_hash: string | null;
  status: Notice['status'];
  sent_at: Date | null;
  sent_channel: string | null;
  sent_reference: string | null;
  handed_over_on: string | null;
  handed_over_by: string | null;
  created_at: Date;
  regency_code: string;
  lpa_name: string;
  lpa_phone: string;
  participant_phone: string | null;
}

// Who a notice is from and to, beside the notice itself.
export interface Letterhead {
  readonly lpaName: string;
  readonly lpaPhone: string;
  readonly participantPhone: string | null;
}

export interface StoredNotice {
  readonly notice: Notice;
  readonly letterhead: Letterhead;
  readonly regencyCode: string;
}

function noticesQuery(db: Runner) {
  return db('notices as n')
    .join('participants as p', 'p.id', 'n.participant_id')
    .join('lpas as l', 'l.id', 'n.lpa_id')
    .select(
      'n.*',
      'p.name as participant_name',
      'p.phone as participant_phone',
      'l.regency_code',
      'l.name as lpa_name',
      'l.contact_phone as lpa_phone',
    );
}

function toStored(row: NoticeRow): StoredNotice {
  // What the decision stored was built by the code that reads it: a payload
  // that does not parse is our bug.
  const decision: Decision = decisionSchema.parse({ ...row.payload, kind: row.kind });
  return {
    notice: {
      id: row.id,
      lpaId: row.lpa_id,
      participantId: row.participant_id,
      participantName: row.participant_name,
      kind: row.kind,
      decidedOn: row.decided_on,
      decision,
      rule:
        row.rule_scheme === null || row.rule_version === null || row.rule_hash === null
          ? null
          : { scheme: row.rule_scheme, version: row.rule_version, hash: row.rule_hash },
      status: row.status,
      sent:
        row.sent_at === null || row.sent_channel === null
          ? null
          : { at: row.sent_at.toISOString(), channel: row.sent_channel, reference: row.sent_reference },
      handedOver:
        row.handed_over_on === null || row.handed_over_by === null ? null : { on: row.handed_over_on, by: row.handed_over_by },
      createdAt: row.created_at.toISOString(),
    },
    letterhead: { lpaName: row.lpa_name, lpaPhone: row.lpa_phone, participantPhone: row.participant_phone },
    regencyCode: row.regency_code,
  };
}

export async function findNotice(db: Runner, id: string, options: { forUpdate?: boolean } = {}): Promise<StoredNotice | null> {
  const row = await noticesQuery(db)
    .where('n.id', id)
    .modify((query) => {
      if (options.forUpdate === true) query.forUpdate('n');
    })
    .first<NoticeRow | undefined>();
  return row === undefined ? null : toStored(row);
}

export interface NoticeFilter {
  readonly lpaId?: string | undefined;
  readonly regencyCode?: string | undefined;
  readonly participantId?: string | undefined;
  readonly status?: (typeof noticeStatuses)[number] | undefined;
  readonly kind?: Notice['kind'] | undefined;
  readonly after?: string | undefined;
  readonly limit: number;
}

export async function listNotices(db: Runner, filter: NoticeFilter): Promise<StoredNotice[]> {
  const rows = await noticesQuery(db)
    .modify((query) => {
      if (filter.lpaId !== undefined) query.where('n.lpa_id', filter.lpaId);
      if (filter.regencyCode !== undefined) query.where('l.regency_code', filter.regencyCode);
      if (filter.participantId !== undefined) query.where('n.participant_id', filter.participantId);
      if (filter.status !== undefined) query.where('n.status', filter.status);
      if (filter.kind !== undefined) query.where('n.kind', filter.kind);
      if (filter.after !== undefined) query.where('n.id', '>', filter.after);
    })
    .orderBy('n.id', 'asc')
    .limit(filter.limit);
  return (rows as NoticeRow[]).map(toStored);
}

export async function markSent(
  trx: Knex.Transaction,
  id: string,
  sent: { channel: string; reference: string | null },
): Promise<void> {
  await trx('notices')
    .where({ id, status: 'pending' })
    .update({ status: 'sent', sent_at: trx.fn.now(), sent_channel: sent.channel, sent_reference: sent.reference });
}

export async function markHandedOver(trx: Knex.Transaction, id: string, handed: { on: string; by: string }): Promise<void> {
  await trx('notices')
    .whereIn('status', ['pending', 'sent'])
    .where({ id })
    .update({ status: 'handed-over', handed_over_on: handed.on, handed_over_by: handed.by });
}

// Pending notices to participants who have a phone, oldest first, locked so
// that two senders never send one twice; a locked one is another sender's.
export async function lockPendingWithPhone(
  trx: Knex.Transaction,
  filter: { lpaId?: string | undefined; limit: number },
): Promise<string[]> {
  return trx('notices as n')
    .join('participants as p', 'p.id', 'n.participant_id')
    .where('n.status', 'pending')
    .whereNotNull('p.phone')
    .modify((query) => {
      if (filter.lpaId !== undefined) query.where('n.lpa_id', filter.lpaId);
    })
    .orderBy('n.created_at', 'asc')
    .orderBy('n.id', 'asc')
    .limit(filter.limit)
    .forUpdate('n')
    .skipLocked()
    .pluck('n.id');
}

// Everything the card shows of a participant: name, NIK, card, the cover
// in force, and the LPA to turn to.
export interface CardHolder {
  readonly participantId: string;
  readonly lpaId: string;
  readonly regencyCode: string;
  readonly name: string;
  readonly nik: string;
  readonly card: { readonly number: string; readonly issuedOn: string } | null;
  readonly cover: { readonly scheme: string; readonly enrolledOn: string } | null;
  readonly lpa: { readonly name: string; readonly phone: string };
}

// The holder of a card, when the birth date given matches theirs: what the
// heir lookup asks of whoever holds the card.
export async function findCardHolderByCard(db: Runner, cardNumber: string, birthDate: string): Promise<CardHolder | null> {
  const row = await db('participants')
    .where({ card_number: cardNumber, birth_date: birthDate })
    .first<{ id: string } | undefined>('id');
  return row === undefined ? null : findCardHolder(db, row.id);
}

// Where the fund stands on a participant's death benefit, if one was filed:
// the heirs are told it is in hand rather than that cover goes on.
export async function deathClaimStatus(db: Runner, participantId: string): Promise<'referred' | 'approved' | 'paid' | null> {
  const row = await db('claims')
    .where({ participant_id: participantId, claim_type: 'death' })
    .whereIn('status', ['referred', 'approved', 'paid'])
    .orderBy('submitted_at', 'desc')
    .first<{ status: 'referred' | 'approved' | 'paid' } | undefined>('status');
  return row?.status ?? null;
}

export async function findCardHolder(db: Runner, participantId: string): Promise<CardHolder | null> {
  const row = await db('participants as p')
    .join('lpas as l', 'l.id', 'p.lpa_id')
    .leftJoin('enrolments as e', function active() {
      this.on('e.participant_id', 'p.id').andOnVal('e.status', '=', 'active');
    })
    .where('p.id', participantId)
    .first<
      | {
          id: string;
          lpa_id: string;
          regency_code: string;
          name: string;
          nik: string;
          card_number: string | null;
          card_issued_on: string | null;
          rule_scheme: string | null;
          enrolled_on: string | null;
          lpa_name: string;
          lpa_phone: string;
        }
      | undefined
    >(
      'p.id',
      'p.lpa_id',
      'l.regency_code',
      'p.name',
      'p.nik',
      'p.card_number',
      'p.card_issued_on',
      'e.rule_scheme',
      'e.enrolled_on',
      'l.name as lpa_name',
      'l.contact_phone as lpa_phone',
    );
  if (row === undefined) return null;
  return {
    participantId: row.id,
    lpaId: row.lpa_id,
    regencyCode: row.regency_code,
    name: row.name,
    nik: row.nik,
    card:
      row.card_number === null || row.card_issued_on === null ? null : { number: row.card_number, issuedOn: row.card_issued_on },
    cover: row.rule_scheme === null || row.enrolled_on === null ? null : { scheme: row.rule_scheme, enrolledOn: row.enrolled_on },
    lpa: { name: row.lpa_name, phone: row.lpa_phone },
  };
}
