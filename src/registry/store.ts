import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import { NotFoundError } from '../errors.ts';
import type { EligibilityPerson } from './eligibility.ts';
import type {
  Enrolment,
  Lpa,
  LpaQuality,
  NewLpa,
  Participant,
  ParticipantInput,
  SuspectedDuplicate,
  TargetPopulation,
} from './model.ts';

type Runner = Db | Knex.Transaction;

// ---------------------------------------------------------------- regions

export async function regencyExists(db: Runner, code: string): Promise<boolean> {
  return (await db('regencies').where({ code }).first('code')) !== undefined;
}

export async function listRegencyCodes(db: Runner): Promise<string[]> {
  return db('regencies').pluck('code');
}

export async function listProvinceCodes(db: Runner): Promise<string[]> {
  return db('provinces').pluck('code');
}

// A known code keeps its row and takes the new name.
export async function saveProvinces(trx: Knex.Transaction, provinces: { code: string; name: string }[]): Promise<void> {
  await trx('provinces').insert(provinces).onConflict('code').merge(['name']);
}

// A known code keeps its row and takes the new name; a regency's province
// must be known already.
export async function saveRegencies(
  trx: Knex.Transaction,
  regencies: readonly { code: string; name: string; provinceCode: string }[],
): Promise<void> {
  await trx('regencies')
    .insert(regencies.map((row) => ({ code: row.code, name: row.name, province_code: row.provinceCode })))
    .onConflict('code')
    .merge(['name']);
}

export async function listRegions(
  db: Runner,
): Promise<{ code: string; name: string; regencies: { code: string; name: string }[] }[]> {
  const provinces = await db('provinces').orderBy('code', 'asc').select<{ code: string; name: string }[]>('code', 'name');
  const regencies = await db('regencies')
    .orderBy('code', 'asc')
    .select<{ code: string; name: string; province_code: string }[]>('code', 'name', 'province_code');
  return provinces.map((province) => ({
    ...province,
    regencies: regencies.filter((regency) => regency.province_code === province.code).map(({ code, name }) => ({ code, name })),
  }));
}

// ---------------------------------------------------------------- target populations

interface TargetPopulationRecord {
  regency_code: string;
  as_of: string;
  target_population: number;
  source: string;
  declared_by: string;
  declared_at: Date;
}

const targetPopulationColumns = ['regency_code', 'as_of', 'target_population', 'source', 'declared_by', 'declared_at'] as const;

function toTargetPopulation(row: TargetPopulationRecord): TargetPopulation {
  return {
    regencyCode: row.regency_code,
    targetPopulation: row.target_population,
    source: row.source,
    asOf: row.as_of,
    declaredBy: row.declared_by,
    declaredAt: row.declared_at.toISOString(),
  };
}

// The declaration for the same day, if any, before it is replaced.
export async function findTargetPopulation(trx: Runner, regencyCode: string, asOf: string): Promise<TargetPopulation | null> {
  const row = await trx('regency_target_populations')
    .where({ regency_code: regencyCode, as_of: asOf })
    .forUpdate()
    .first<TargetPopulationRecord | undefined>(...targetPopulationColumns);
  return row === undefined ? null : toTargetPopulation(row);
}

export async function saveTargetPopulation(
  trx: Knex.Transaction,
  declaration: { regencyCode: string; targetPopulation: number; source: string; asOf: string; declaredBy: string },
): Promise<TargetPopulation> {
  const [row] = await trx('regency_target_populations')
    .insert({
      regency_code: declaration.regencyCode,
      as_of: declaration.asOf,
      target_population: declaration.targetPopulation,
      source: declaration.source,
      declared_by: declaration.declaredBy,
    })
    .onConflict(['regency_code', 'as_of'])
    .merge(['target_population', 'source', 'declared_by', 'declared_at'])
    .returning<TargetPopulationRecord[]>([...targetPopulationColumns]);
  if (row === undefined) throw new Error(`target population of ${declaration.regencyCode} neither inserted nor updated`);
  return toTargetPopulation(row);
}

// A regency's declarations, the latest day first.
export async function listTargetPopulations(db: Runner, regencyCode: string): Promise<TargetPopulation[]> {
  const rows = await db('regency_target_populations')
    .where({ regency_code: regencyCode })
    .orderBy('as_of', 'desc')
    .select<TargetPopulationRecord[]>(...targetPopulationColumns);
  return rows.map(toTargetPopulation);
}

// ---------------------------------------------------------------- LPAs

interface LpaRecord {
  id: string;
  name: string;
  type: Lpa['type'];
  regency_code: string;
  contact_name: string;
  contact_phone: string;
  bank_name: string;
  bank_account_number: string;
  accreditation: Lpa['accreditation'];
  accredited_on: string | null;
  status: Lpa['status'];
  status_reason: string | null;
  status_changed_at: Date;
  proposed_by: string;
  created_at: Date;
}

function toLpa(row: LpaRecord): Lpa {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    regencyCode: row.regency_code,
    contactName: row.contact_name,
    contactPhone: row.contact_phone,
    bankName: row.bank_name,
    bankAccountNumber: row.bank_account_number,
    accreditation: row.accreditation,
    accreditedOn: row.accredited_on,
    status: row.status,
    statusReason: row.status_reason,
    statusChangedAt: row.status_changed_at.toISOString(),
    proposedBy: row.proposed_by,
    createdAt: row.created_at.toISOString(),
  };
}

export async function insertLpa(trx: Knex.Transaction, lpa: NewLpa, proposedBy: string): Promise<Lpa> {
  const [row] = await trx('lpas')
    .insert({
      name: lpa.name,
      type: lpa.type,
      regency_code: lpa.regencyCode,
      contact_name: lpa.contactName,
      contact_phone: lpa.contactPhone,
      bank_name: lpa.bankName,
      bank_account_number: lpa.bankAccountNumber,
      accreditation: lpa.accreditation,
      accredited_on: lpa.accreditedOn ?? null,
      proposed_by: proposedBy,
    })
    .returning<LpaRecord[]>('*');
  if (row === undefined) throw new Error('insert into lpas returned no row');
  return toLpa(row);
}

// An LPA locked FOR SHARE stays as it is (no status change) while its
// enrolments are decided, yet lets the foreign-key checks of claims and
// enrolments at the same LPA through; only a change of the LPA itself locks
// it FOR UPDATE, and that change locks nothing else. A claim holding a
// member's row waits for nobody on the LPA (once, an enrolment's FOR UPDATE
// here and a claim's insert deadlocked).
export async function findLpa(db: Runner, id: string, options: { lock?: 'share' | 'update' } = {}): Promise<Lpa | null> {
  const query = db('lpas').where({ id });
  if (options.lock === 'share') query.forShare();
  if (options.lock === 'update') query.forUpdate();
  const row = await query.first<LpaRecord | undefined>();
  return row === undefined ? null : toLpa(row);
}

export interface LpaFilter {
  readonly regencyCode?: string | undefined;
  readonly lpaId?: string | undefined;
  readonly status?: Lpa['status'] | undefined;
  readonly after?: string | undefined;
  readonly limit: number;
}

export async function listLpas(db: Runner, filter: LpaFilter): Promise<Lpa[]> {
  const rows = await db('lpas')
    .modify((query) => {
      if (filter.regencyCode !== undefined) query.where('regency_code', filter.regencyCode);
      if (filter.lpaId !== undefined) query.where('id', filter.lpaId);
      if (filter.status !== undefined) query.where('status', filter.status);
      if (filter.after !== undefined) query.where('id', '>', filter.after);
    })
    .orderBy('id', 'asc')
    .limit(filter.limit)
    .select<LpaRecord[]>('*');
  return rows.map(toLpa);
}

export async function setLpaStatus(trx: Knex.Transaction, id: string, status: Lpa['status'], reason: string): Promise<Lpa> {
  const [row] = await trx('lpas')
    .where({ id })
    .update({ status, status_reason: reason, status_changed_at: trx.fn.now() })
    .returning<LpaRecord[]>('*');
  if (row === undefined) throw new Error(`lpa ${id} vanished inside its own transaction`);
  return toLpa(row);
}

// ---------------------------------------------------------------- participants

interface ParticipantRecord {
  id: string;
  nik: string;
  kk: string;
  lpa_id: string;
  name: string;
  birth_date: string;
  sex: Participant['sex'];
  marital_status: Participant['maritalStatus'];
  is_head_of_family: boolean;
  occupation: string;
  welfare_status: Participant['welfareStatus'];
  welfare_decile: number | null;
  willing_to_save: boolean | null;
  attends_monthly_meeting: boolean | null;
  address: string;
  phone: string | null;
  card_number: string | null;
  card_issued_on: string | null;
  card_delivered_on: string | null;
}

interface EnrolmentRecord {
  id: string;
  participant_id: string;
  lpa_id: string;
  enrolled_on: string;
  status: Enrolment['status'];
  reasons: Enrolment['reasons'];
  rule_scheme: string;
  rule_version: string;
  rule_hash: string;
  decided_at: Date;
  lapsed_on: string | null;
}

// A member of the LPA, locked for the rest of the transaction, so that two
// requests about one member (payments, savings, loan applications) are
// decided one after the other. Another LPA's participant is not found.
export async function lockMemberOfLpa(trx: Knex.Transaction, participantId: string, lpaId: string): Promise<void> {
  const participant = await trx('participants')
    .where({ id: participantId })
    .forUpdate()
    .first<{ lpa_id: string } | undefined>('lpa_id');
  if (participant === undefined || participant.lpa_id !== lpaId) throw new NotFoundError('participant', participantId);
}

export async function findParticipantIdByNik(trx: Knex.Transaction, nik: string): Promise<string | null> {
  const row = await trx('participants').where({ nik }).forUpdate().first<{ id: string } | undefined>('id');
  return row?.id ?? null;
}

export async function hasActiveEnrolment(trx: Knex.Transaction, participantId: string): Promise<boolean> {
  return (await trx('enrolments').where({ participant_id: participantId, status: 'active' }).first('id')) !== undefined;
}

export function participantColumns(lpaId: string, input: ParticipantInput) {
  return {
    nik: input.nik,
    kk: input.kk,
    lpa_id: lpaId,
    name: input.name,
    birth_date: input.birthDate,
    sex: input.sex,
    marital_status: input.maritalStatus,
    is_head_of_family: input.isHeadOfFamily,
    occupation: input.occupation,
    welfare_status: input.welfareStatus,
    welfare_decile: input.welfareDecile ?? null,
    willing_to_save: input.willingToSave,
    attends_monthly_meeting: input.attendsMonthlyMeeting,
    address: input.address,
    phone: input.phone ?? null,
  };
}

// The latest submission's details are the participant's details; earlier
// ones survive in the audit log and in each enrolment's facts.
export async function saveParticipant(
  trx: Knex.Transaction,
  id: string | null,
  lpaId: string,
  input: ParticipantInput,
): Promise<string> {
  const columns = participantColumns(lpaId, input);
  if (id !== null) {
    await trx('participants')
      .where({ id })
      .update({ ...columns, updated_at: trx.fn.now() });
    await trx('heirs').where({ participant_id: id }).delete();
  }
  const [row] = id === null ? await trx('participants').insert(columns).returning<{ id: string }[]>('id') : [{ id }];
  if (row === undefined) throw new Error('insert into participants returned no row');
  await insertHeirs(trx, row.id, input.heirs);
  return row.id;
}

export type Heir = Participant['heirs'][number];

// A participant's heirs by name, then id, so a page reads in order.
export async function listHeirs(db: Runner, participantId: string): Promise<Heir[]> {
  return db('heirs')
    .where({ participant_id: participantId })
    .orderBy('name', 'asc')
    .orderBy('id', 'asc')
    .select<Heir[]>('id', 'name', 'nik', 'relation');
}

export async function insertHeirs(
  trx: Knex.Transaction,
  participantId: string,
  heirs: readonly { name: string; nik?: string | undefined; relation: Heir['relation'] }[],
): Promise<void> {
  if (heirs.length === 0) return;
  await trx('heirs').insert(
    heirs.map((heir) => ({ participant_id: participantId, name: heir.name, nik: heir.nik ?? null, relation: heir.relation })),
  );
}

export async function deleteHeirs(trx: Knex.Transaction, participantId: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await trx('heirs').where({ participant_id: participantId }).whereIn('id', ids).delete();
}

// What the eligibility rules decided for one person, as an enrolment keeps it.
export interface EnrolmentDecision {
  readonly participantId: string;
  readonly status: Enrolment['status'];
  readonly reasons: Enrolment['reasons'];
  readonly rule: Enrolment['rule'];
  readonly facts: Readonly<Record<string, unknown>>;
  readonly events: readonly unknown[];
}

export async function insertEnrolment(
  trx: Knex.Transaction,
  enrolment: EnrolmentDecision & { readonly lpaId: string; readonly enrolledOn: string },
): Promise<Enrolment> {
  const [row] = await trx('enrolments')
    .insert({
      participant_id: enrolment.participantId,
      lpa_id: enrolment.lpaId,
      enrolled_on: enrolment.enrolledOn,
      status: enrolment.status,
      reasons: JSON.stringify(enrolment.reasons),
      rule_scheme: enrolment.rule.scheme,
      rule_version: enrolment.rule.version,
      rule_hash: enrolment.rule.hash,
      facts: JSON.stringify(enrolment.facts),
      events: JSON.stringify(enrolment.events),
    })
    .returning<EnrolmentRecord[]>('*');
  if (row === undefined) throw new Error('insert into enrolments returned no row');
  return toEnrolment(row);
}

function toEnrolment(row: EnrolmentRecord): Enrolment {
  return {
    id: row.id,
    lpaId: row.lpa_id,
    enrolledOn: row.enrolled_on,
    status: row.status,
    reasons: row.reasons,
    rule: { scheme: row.rule_scheme, version: row.rule_version, hash: row.rule_hash },
    decidedAt: row.decided_at.toISOString(),
    lapsedOn: row.lapsed_on,
  };
}

export async function findParticipant(db: Runner, id: string): Promise<(Participant & { regencyCode: string }) | null> {
  const row = await db('participants')
    .join('lpas', 'lpas.id', 'participants.lpa_id')
    .where('participants.id', id)
    .first<(ParticipantRecord & { regency_code: string }) | undefined>('participants.*', 'lpas.regency_code');
  if (row === undefined) return null;
  const heirs = await listHeirs(db, id);
  const enrolments = await db('enrolments')
    .where({ participant_id: id })
    .orderBy('decided_at', 'desc')
    .orderBy('id', 'asc')
    .select<EnrolmentRecord[]>('*');
  return {
    id: row.id,
    nik: row.nik,
    kk: row.kk,
    lpaId: row.lpa_id,
    regencyCode: row.regency_code,
    name: row.name,
    birthDate: row.birth_date,
    sex: row.sex,
    maritalStatus: row.marital_status,
    isHeadOfFamily: row.is_head_of_family,
    occupation: row.occupation,
    welfareStatus: row.welfare_status,
    welfareDecile: row.welfare_decile,
    willingToSave: row.willing_to_save,
    attendsMonthlyMeeting: row.attends_monthly_meeting,
    address: row.address,
    phone: row.phone,
    card:
      row.card_number === null || row.card_issued_on === null
        ? null
        : { number: row.card_number, issuedOn: row.card_issued_on, deliveredOn: row.card_delivered_on },
    heirs,
    enrolments: enrolments.map(toEnrolment),
  };
}

export interface ParticipantFilter {
  readonly regencyCode?: string | undefined;
  readonly lpaId?: string | undefined;
  readonly nik?: string | undefined;
  readonly after?: string | undefined;
  readonly limit: number;
}

// Participants within a regency or an LPA when given: where both the API's
// list and the console's search begin, so their scopes cannot drift apart.
function participantsInScope(
  db: Runner,
  scope: { readonly regencyCode?: string | undefined; readonly lpaId?: string | undefined },
) {
  return db('participants')
    .join('lpas', 'lpas.id', 'participants.lpa_id')
    .modify((query) => {
      if (scope.regencyCode !== undefined) query.where('lpas.regency_code', scope.regencyCode);
      if (scope.lpaId !== undefined) query.where('participants.lpa_id', scope.lpaId);
    });
}

export async function listParticipantIds(db: Runner, filter: ParticipantFilter): Promise<string[]> {
  return participantsInScope(db, filter)
    .modify((query) => {
      if (filter.nik !== undefined) query.where('participants.nik', filter.nik);
      if (filter.after !== undefined) query.where('participants.id', '>', filter.after);
    })
    .orderBy('participants.id', 'asc')
    .limit(filter.limit)
    .pluck('participants.id');
}

export interface ParticipantMatch {
  readonly id: string;
  readonly name: string;
  readonly nik: string;
  readonly birthDate: string;
  readonly cardNumber: string | null;
}

// People by NIK or card number exactly, or by a part of their name, within
// a regency or an LPA when given; by name, then id, so a page reads in order.
export async function searchParticipantRows(
  db: Runner,
  filter: { readonly regencyCode?: string; readonly lpaId?: string; readonly text: string; readonly limit: number },
): Promise<ParticipantMatch[]> {
  const namePart = `%${filter.text.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`;
  const rows = await participantsInScope(db, filter)
    .where((query) =>
      query
        .where('participants.nik', filter.text)
        .orWhere('participants.card_number', filter.text)
        .orWhereRaw("lower(participants.name) like ? escape '\\'", [namePart]),
    )
    .orderBy('participants.name', 'asc')
    .orderBy('participants.id', 'asc')
    .limit(filter.limit)
    .select<{ id: string; name: string; nik: string; birth_date: string; card_number: string | null }[]>(
      'participants.id',
      'participants.name',
      'participants.nik',
      'participants.birth_date',
      'participants.card_number',
    );
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    nik: row.nik,
    birthDate: row.birth_date,
    cardNumber: row.card_number,
  }));
}

export async function setCard(
  trx: Knex.Transaction,
  id: string,
  card: { number: string; issuedOn: string; deliveredOn?: string | undefined },
): Promise<void> {
  await trx('participants')
    .where({ id })
    .update({
      card_number: card.number,
      card_issued_on: card.issuedOn,
      card_delivered_on: card.deliveredOn ?? null,
      updated_at: trx.fn.now(),
    });
}

export async function cardNumberTakenByAnother(
  trx: Knex.Transaction,
  cardNumber: string,
  participantId: string,
): Promise<boolean> {
  return (await trx('participants').where({ card_number: cardNumber }).whereNot({ id: participantId }).first('id')) !== undefined;
}

export async function findMembership(
  db: Runner,
  nik: string,
  birthDate: string,
): Promise<{ status: Enrolment['status']; lpaName: string; contactName: string; contactPhone: string } | null> {
  const row = await db('participants')
    .join('enrolments', 'enrolments.participant_id', 'participants.id')
    .join('lpas', 'lpas.id', 'enrolments.lpa_id')
    .where({ 'participants.nik': nik, 'participants.birth_date': birthDate })
    .orderBy('enrolments.decided_at', 'desc')
    .first<{ status: Enrolment['status']; name: string; contact_name: string; contact_phone: string } | undefined>(
      'enrolments.status',
      'lpas.name',
      'lpas.contact_name',
      'lpas.contact_phone',
    );
  return row === undefined
    ? null
    : { status: row.status, lpaName: row.name, contactName: row.contact_name, contactPhone: row.contact_phone };
}

// ---------------------------------------------------------------- eligibility re-checks

export interface EnrolmentDueForRecheck {
  readonly enrolmentId: string;
  readonly ruleScheme: string;
  readonly coverageYear: number;
  // The participant's current record, which the rules decide on.
  readonly person: EligibilityPerson;
}

// Active enrolments past an anniversary without a check for the coverage
// year it entered, after `after` in id order, locked; rows another runner
// holds are skipped, not waited for.
export async function lockEnrolmentsDueForRecheck(
  trx: Knex.Transaction,
  date: string,
  after: string,
  limit: number,
): Promise<EnrolmentDueForRecheck[]> {
  const due = (await trx.raw(
    `select e.id as enrolment_id, e.rule_scheme, date_part('year', age(?::date, e.enrolled_on))::int + 1 as coverage_year,
            p.birth_date, p.marital_status, p.is_head_of_family, p.occupation, p.welfare_status,
            p.willing_to_save, p.attends_monthly_meeting
       from enrolments e join participants p on p.id = e.participant_id
      where e.status = 'active'
        and e.id > ?
        and date_part('year', age(?::date, e.enrolled_on)) >= 1
        and not exists (select 1 from eligibility_checks c
                         where c.enrolment_id = e.id and c.coverage_year = date_part('year', age(?::date, e.enrolled_on))::int + 1)
      order by e.id
      limit ?
      for update of e skip locked`,
    [date, after, date, date, limit],
  )) as {
    rows: {
      enrolment_id: string;
      rule_scheme: string;
      coverage_year: number;
      birth_date: string;
      marital_status: ParticipantInput['maritalStatus'];
      is_head_of_family: boolean;
      occupation: ParticipantInput['occupation'];
      welfare_status: ParticipantInput['welfareStatus'];
      willing_to_save: boolean | null;
      attends_monthly_meeting: boolean | null;
    }[];
  };
  return due.rows.map((row) => ({
    enrolmentId: row.enrolment_id,
    ruleScheme: row.rule_scheme,
    coverageYear: row.coverage_year,
    person: {
      birthDate: row.birth_date,
      maritalStatus: row.marital_status,
      isHeadOfFamily: row.is_head_of_family,
      occupation: row.occupation,
      welfareStatus: row.welfare_status,
      willingToSave: row.willing_to_save,
      attendsMonthlyMeeting: row.attends_monthly_meeting,
    },
  }));
}

export async function insertEligibilityCheck(
  trx: Knex.Transaction,
  check: {
    enrolmentId: string;
    coverageYear: number;
    checkedOn: string;
    outcome: 'kept' | 'lapsed';
    reasons: Enrolment['reasons'];
    rule: Enrolment['rule'];
    facts: Readonly<Record<string, unknown>>;
    events: readonly unknown[];
  },
): Promise<void> {
  await trx('eligibility_checks').insert({
    enrolment_id: check.enrolmentId,
    coverage_year: check.coverageYear,
    checked_on: check.checkedOn,
    outcome: check.outcome,
    reasons: JSON.stringify(check.reasons),
    rule_scheme: check.rule.scheme,
    rule_version: check.rule.version,
    rule_hash: check.rule.hash,
    facts: JSON.stringify(check.facts),
    events: JSON.stringify(check.events),
  });
}

// Cover ends on the date, and the lapse says why: the person is no longer
// eligible under these rules.
export async function lapseIneligibleEnrolment(
  trx: Knex.Transaction,
  enrolmentId: string,
  lapsedOn: string,
  rule: Enrolment['rule'],
): Promise<void> {
  await trx('enrolments').where({ id: enrolmentId }).update({ status: 'lapsed', lapsed_on: lapsedOn });
  await trx('cover_lapses').insert({
    enrolment_id: enrolmentId,
    reason: 'not-eligible',
    lapsed_on: lapsedOn,
    rule_scheme: rule.scheme,
    rule_version: rule.version,
    rule_hash: rule.hash,
  });
}

// ---------------------------------------------------------------- data quality

// Narrows to a regency or an LPA; both absent, every LPA.
export interface QualityScope {
  readonly regencyCode?: string | undefined;
  readonly lpaId?: string | undefined;
}

function lpaFilter(alias: string, scope: QualityScope): { where: string; bindings: string[] } {
  const clauses: string[] = [];
  const bindings: string[] = [];
  if (scope.regencyCode !== undefined) {
    clauses.push(`${alias}.regency_code = ?`);
    bindings.push(scope.regencyCode);
  }
  if (scope.lpaId !== undefined) {
    clauses.push(`${alias}.id = ?`);
    bindings.push(scope.lpaId);
  }
  return { where: clauses.length === 0 ? 'true' : clauses.join(' and '), bindings };
}

export async function countMembersByLpa(
  db: Db,
  scope: QualityScope,
): Promise<Omit<LpaQuality, 'importRowsRefused' | 'enrolmentsRejected'>[]> {
  const filter = lpaFilter('l', scope);
  const lpas = (await db.raw(
    `select l.id, l.name, l.regency_code,
            (select count(*) from participants p where p.lpa_id = l.id) as participants,
            (select count(*) from enrolments e where e.lpa_id = l.id and e.status = 'active') as active
       from lpas l where ${filter.where} order by l.regency_code, l.name, l.id`,
    filter.bindings,
  )) as { rows: { id: string; name: string; regency_code: string; participants: string; active: string }[] };
  return lpas.rows.map((row) => ({
    lpaId: row.id,
    lpaName: row.name,
    regencyCode: row.regency_code,
    participants: Number(row.participants),
    activeEnrolments: Number(row.active),
  }));
}

// Reasons that quote a line number ("repeats the NIK of line 52") are
// counted as one reason.
export async function countImportRowsRefused(
  db: Db,
  scope: QualityScope,
): Promise<{ lpaId: string; column: string; reason: string; count: number }[]> {
  const filter = lpaFilter('l', scope);
  const refused = (await db.raw(
    `select i.lpa_id, ie.column_name, regexp_replace(ie.reason, '[0-9]+', 'N', 'g') as reason, count(*) as count
       from import_errors ie join imports i on i.id = ie.import_id join lpas l on l.id = i.lpa_id
      where ${filter.where}
      group by 1, 2, 3 order by 4 desc, 2, 3`,
    filter.bindings,
  )) as { rows: { lpa_id: string; column_name: string; reason: string; count: string }[] };
  return refused.rows.map((row) => ({
    lpaId: row.lpa_id,
    column: row.column_name,
    reason: row.reason,
    count: Number(row.count),
  }));
}

export async function countEnrolmentsRejected(
  db: Db,
  scope: QualityScope,
): Promise<{ lpaId: string; reason: string; count: number }[]> {
  const filter = lpaFilter('l', scope);
  const rejected = (await db.raw(
    `select e.lpa_id, reason ->> 'reason' as reason, count(*) as count
       from enrolments e cross join jsonb_array_elements(e.reasons) as reason join lpas l on l.id = e.lpa_id
      where e.status = 'rejected' and ${filter.where}
      group by 1, 2 order by 3 desc, 2`,
    filter.bindings,
  )) as { rows: { lpa_id: string; reason: string; count: string }[] };
  return rejected.rows.map((row) => ({ lpaId: row.lpa_id, reason: row.reason, count: Number(row.count) }));
}

const suspectedDuplicatesListedMax = 200;

// People who look registered twice: the same name (case and spacing aside)
// and birth date under different NIKs.
export async function findSuspectedDuplicates(db: Db, scope: QualityScope): Promise<SuspectedDuplicate[]> {
  const filter = lpaFilter('l', scope);
  const duplicates = (await db.raw(
    `select min(p.name) as name, p.birth_date,
            jsonb_agg(jsonb_build_object('id', p.id, 'nik', p.nik, 'lpaId', p.lpa_id) order by p.nik) as participants
       from participants p join lpas l on l.id = p.lpa_id
      where ${filter.where}
      group by lower(regexp_replace(p.name, '\\s+', ' ', 'g')), p.birth_date
     having count(*) > 1
      order by 2, 1
      limit ${suspectedDuplicatesListedMax}`,
    filter.bindings,
  )) as { rows: { name: string; birth_date: string; participants: SuspectedDuplicate['participants'] }[] };
  return duplicates.rows.map((row) => ({ name: row.name, birthDate: row.birth_date, participants: row.participants }));
}
