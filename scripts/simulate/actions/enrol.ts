import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importParticipants } from '../../../src/registry/import.ts';
import type { Sim } from '../context.ts';
import { restart } from '../lifecycle.ts';
import type { PersonFacts } from '../oracle/fund.ts';
import type { PersonPlan } from '../world/plan.ts';
import { problemOf } from './money.ts';

// People entered by their LPA: one at a time over the API, or as a CSV
// extract. Some extracts are cut off mid-way (the process dies between
// chunks) and imported again after a restart, as an operator would.

const importColumns =
  'nik,kk,name,birth_date,sex,marital_status,is_head_of_family,occupation,welfare_status,welfare_decile,address,phone';
// The declarations are optional columns: an extract in which nobody declared
// anything goes without them, as files made before they existed do.
const declarationColumns = 'willing_to_save,attends_monthly_meeting';

interface Decided {
  readonly participantId: string;
  readonly status: string;
  readonly reasons: readonly string[];
  readonly enrolments: number;
}

export async function enter(sim: Sim, people: readonly number[]): Promise<void> {
  const plans = people.map((index) => sim.person(index));
  const first = plans[0];
  if (first === undefined) return;
  if (sim.keys.lpa.get(first.lpa) === undefined) throw new Error(`${first.label} entered by LPA ${first.lpa}, not yet approved`);
  if (plans.length === 1) await enterOne(sim, first);
  else await importBatch(sim, plans);
}

export function factsOf(plan: PersonPlan): PersonFacts {
  const { birthDate, maritalStatus, isHeadOfFamily, occupation, welfareStatus, willingToSave, attendsMonthlyMeeting } =
    plan.identity;
  return { birthDate, maritalStatus, isHeadOfFamily, occupation, welfareStatus, willingToSave, attendsMonthlyMeeting };
}

async function enterOne(sim: Sim, plan: PersonPlan): Promise<void> {
  const { heir, willingToSave, attendsMonthlyMeeting, ...identity } = plan.identity;
  // Nothing declared is sent as no field at all, as an LPA's form would.
  const declared = Object.fromEntries(
    Object.entries({ willingToSave, attendsMonthlyMeeting }).filter(([, value]) => value !== null),
  );
  const reply = await sim.api.post(lpaKey(sim, plan), '/v1/participants', {
    ...identity,
    ...declared,
    heirs: [heir],
    enrolledOn: plan.enrolledOn,
  });
  if (reply.status !== 201) {
    sim.report(
      'enrolment_http',
      plan.label,
      `201 enrolled on ${plan.enrolledOn}`,
      `${reply.status} ${JSON.stringify(reply.body).slice(0, 200)}`,
    );
    return;
  }
  const body = reply.body as { participantId: string; enrolment: { status: string; reasons: { reason: string }[] } };
  record(sim, plan, {
    participantId: body.participantId,
    status: body.enrolment.status,
    reasons: body.enrolment.reasons.map((reason) => reason.reason),
    enrolments: 1,
  });
}

async function importBatch(sim: Sim, plans: readonly PersonPlan[]): Promise<void> {
  const first = plans[0] as PersonPlan;
  const dir = join(tmpdir(), `askesos-sim-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const fileName = `${sim.nextKey('extract')}.csv`;
  const filePath = join(dir, fileName);
  const withDeclarations = plans.some(
    (plan) => plan.identity.willingToSave !== null || plan.identity.attendsMonthlyMeeting !== null,
  );
  const header = withDeclarations ? `${importColumns},${declarationColumns}` : importColumns;
  writeFileSync(filePath, [header, ...plans.map((plan) => csvRow(plan, withDeclarations))].join('\n') + '\n');
  const subject = `${fileName} (${plans.map((plan) => plan.label).join(' ')})`;
  const cutOff = sim.prng.kills.chance(0.4) && plans.length >= 3;
  if (cutOff) await importCutOff(sim, first, filePath, fileName, plans.length);
  // After a crash the LPA sends the file again over the API, or an operator runs the import command again.
  if (cutOff && sim.prng.kills.chance(0.5)) await importByCommand(sim, first, filePath, fileName);
  else await importOverApi(sim, first, filePath, fileName, subject, cutOff);
  rmSync(filePath, { force: true });
  for (const plan of plans) {
    const decided = await lookUp(sim, plan);
    if (decided === null)
      sim.report('import_row_missing', plan.label, `enrolled from ${fileName}`, 'no participant with the NIK');
    else record(sim, plan, decided);
  }
}

async function importOverApi(
  sim: Sim,
  first: PersonPlan,
  filePath: string,
  fileName: string,
  subject: string,
  cutOff: boolean,
): Promise<void> {
  const reply = await sim.api.call(
    lpaKey(sim, first),
    'POST',
    `/v1/imports?enrolledOn=${first.enrolledOn}&fileName=${fileName}`,
    {
      body: readFileSync(filePath, 'utf8'),
      contentType: 'text/csv',
    },
  );
  const view = reply.body as { id?: string; status?: string };
  if ((reply.status !== 202 && reply.status !== 200) || view.id === undefined) {
    sim.report('import_http', subject, '202', `${reply.status} ${problemOf(reply.body)}`);
    return;
  }
  // "Imported before, nothing changed" for an import that is not done: it will not go on by itself.
  if (reply.status === 200 && view.status !== 'done') {
    sim.report(
      'import_not_resumed',
      subject,
      cutOff ? 'the import cut off resumes when the file is sent again' : 'done',
      `${reply.status} with status ${view.status}`,
    );
    await restart(sim, `an import left ${view.status}`);
    await importByCommand(sim, first, filePath, fileName);
    return;
  }
  const status = await untilFinished(sim, first, view.id);
  if (status !== 'done') sim.report('import_failed', subject, 'done', status);
}

async function importByCommand(sim: Sim, first: PersonPlan, filePath: string, fileName: string): Promise<void> {
  const summary = await importParticipants(sim.db, sim.instance.book, importRequest(sim, first, filePath, fileName), importActor);
  if (summary.status !== 'done') sim.report('import_failed', fileName, 'done', summary.status);
}

const importActor = { actor: 'cli:simulator', actorRole: 'operator', actorKeyId: null, requestId: null } as const;

function importRequest(sim: Sim, first: PersonPlan, filePath: string, fileName: string) {
  return {
    lpaId: sim.lpaIds.get(first.lpa) ?? '',
    filePath,
    fileName,
    enrolledOn: first.enrolledOn,
    today: sim.today,
    scheme: sim.scenario.scheme,
  };
}

// The importing process dies after a chunk or two: the rows committed so far
// stay, and the next run of the same file takes up where it stopped.
async function importCutOff(sim: Sim, first: PersonPlan, filePath: string, fileName: string, rows: number): Promise<void> {
  const chunkRowsMax = sim.prng.kills.int(1, Math.max(1, Math.floor(rows / 2)));
  const chunksBeforeDeath = sim.prng.kills.int(1, Math.max(1, Math.floor(rows / chunkRowsMax) - 1));
  let chunks = 0;
  try {
    await importParticipants(
      sim.db,
      sim.instance.book,
      {
        ...importRequest(sim, first, filePath, fileName),
        chunkRowsMax,
        onProgress: () => {
          chunks += 1;
          if (chunks >= chunksBeforeDeath) throw new Error('simulated crash of the importing process');
        },
      },
      importActor,
    );
  } catch (error) {
    if (!(error as Error).message.includes('simulated crash')) throw error;
  }
  sim.stats.kills += 1;
  await restart(sim, `an import cut off after ${chunks} chunk(s) of ${chunkRowsMax}`);
}

// The import runs in the background of the request; small files take moments.
async function untilFinished(sim: Sim, plan: PersonPlan, id: string): Promise<string> {
  const started = Date.now();
  for (let wait = 2; Date.now() - started < 60_000; wait = Math.min(wait * 2, 50)) {
    const reply = await sim.api.get(lpaKey(sim, plan), `/v1/imports/${id}`);
    const status = (reply.body as { status?: string }).status ?? `HTTP ${reply.status}`;
    if (status !== 'running') return status;
    // Real time only to let the background work run; nothing is decided by it.
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
  return 'still running after a minute';
}

async function lookUp(sim: Sim, plan: PersonPlan): Promise<Decided | null> {
  const reply = await sim.api.get(lpaKey(sim, plan), `/v1/participants?nik=${plan.identity.nik}`);
  const participant = (
    reply.body as { participants?: { id: string; enrolments: { status: string; reasons: { reason: string }[] }[] }[] }
  ).participants?.[0];
  if (participant === undefined) return null;
  const latest = participant.enrolments[0];
  return {
    participantId: participant.id,
    status: latest?.status ?? 'none',
    reasons: latest?.reasons.map((reason) => reason.reason) ?? [],
    enrolments: participant.enrolments.length,
  };
}

function record(sim: Sim, plan: PersonPlan, decided: Decided): void {
  const facts = factsOf(plan);
  const expected = sim.oracle.enrolmentDecision(sim.scenario.scheme, facts, plan.enrolledOn);
  const got = `${decided.status} [${[...decided.reasons].sort().join(', ')}]`;
  const want = `${expected.status} [${[...expected.reasons].sort().join(', ')}]`;
  if (got !== want) sim.report('enrolment_decision', plan.label, want, got);
  if (decided.enrolments !== 1) sim.report('enrolled_twice', plan.label, '1 enrolment decision', `${decided.enrolments}`);
  sim.participants.set(plan.index, decided.participantId);
  sim.personOf.set(decided.participantId, plan.index);
  sim.oracle.addMember(
    decided.participantId,
    plan.label,
    facts,
    sim.scenario.scheme,
    plan.enrolledOn,
    decided.status === 'active',
    sim.today,
  );
  sim.stats.enrolments += 1;
}

function lpaKey(sim: Sim, plan: PersonPlan): string {
  const key = sim.keys.lpa.get(plan.lpa);
  if (key === undefined) throw new Error(`LPA ${plan.lpa} has no key`);
  return key;
}

function csvRow(plan: PersonPlan, withDeclarations: boolean): string {
  const p = plan.identity;
  const yesNoEmpty = (value: boolean | null) => (value === null ? '' : value ? 'yes' : 'no');
  return [
    p.nik,
    p.kk,
    p.name,
    p.birthDate,
    p.sex,
    p.maritalStatus,
    p.isHeadOfFamily ? 'yes' : 'no',
    p.occupation,
    p.welfareStatus,
    String(p.welfareDecile),
    p.address,
    p.phone,
    ...(withDeclarations ? [yesNoEmpty(p.willingToSave), yesNoEmpty(p.attendsMonthlyMeeting)] : []),
  ]
    .map((field) => `"${field.replaceAll('"', '""')}"`)
    .join(',');
}
