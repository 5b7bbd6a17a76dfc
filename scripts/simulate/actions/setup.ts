import { createFirstDirectorateKey } from '../../../src/auth/keys.ts';
import type { Sim } from '../context.ts';
import { Money } from '../oracle/policy.ts';
import { type Reply } from '../service/client.ts';

// The fund's first day: the directorate's key as the first start prints it,
// finance's key, the fund's opening capital, and the LPAs the dinsos
// offices propose and the directorate approves (later ones on their days).

export async function setUpFund(sim: Sim): Promise<void> {
  const first = await createFirstDirectorateKey(sim.db);
  if (first === null) throw new Error('the simulation database already had API keys');
  sim.keys.directorate = first.secret;
  sim.keys.finance = await newKey(sim, { name: 'Finance', role: 'finance' });
  await addCapital(sim, new Money(sim.scenario.members).times(500_000).plus(50_000_000));
  for (const lpa of sim.world.lpas) {
    if (lpa.proposedOn === sim.today) await proposeLpa(sim, lpa.index);
    else sim.agenda.add(lpa.proposedOn, { kind: 'lpa', lpa: lpa.index, step: 'propose' });
    if (lpa.approvedOn === sim.today) await approveLpa(sim, lpa.index);
    else sim.agenda.add(lpa.approvedOn, { kind: 'lpa', lpa: lpa.index, step: 'approve' });
  }
}

export async function newKey(sim: Sim, input: Record<string, string>): Promise<string> {
  const reply = await sim.api.post(sim.keys.directorate, '/v1/keys', input);
  return (expectOk(sim, reply, 201, `key ${input.name}`) as { secret: string }).secret;
}

export async function proposeLpa(sim: Sim, index: number): Promise<void> {
  const plan = sim.world.lpas[index];
  if (plan === undefined) throw new Error(`no LPA ${index}`);
  let dinsos = sim.keys.dinsos.get(plan.regency);
  if (dinsos === undefined) {
    dinsos = await newKey(sim, { name: `Dinsos ${plan.regency}`, role: 'dinsos', regencyCode: plan.regency });
    sim.keys.dinsos.set(plan.regency, dinsos);
  }
  const reply = await sim.api.post(dinsos, '/v1/lpas', {
    name: plan.name,
    type: 'foundation',
    regencyCode: plan.regency,
    contactName: 'Ibu Rini',
    contactPhone: '081250001111',
    bankName: 'Bank Kalteng',
    bankAccountNumber: `01234${String(index).padStart(5, '0')}`,
    accreditation: 'none',
  });
  sim.lpaIds.set(index, (expectOk(sim, reply, 201, plan.name) as { id: string }).id);
}

export async function approveLpa(sim: Sim, index: number): Promise<void> {
  const id = sim.lpaIds.get(index);
  if (id === undefined) throw new Error(`LPA ${index} approved before it was proposed`);
  expectOk(
    sim,
    await sim.api.post(sim.keys.directorate, `/v1/lpas/${id}/approve`, { reason: 'verified on site' }),
    200,
    `LPA ${index}`,
  );
  sim.keys.lpa.set(index, await newKey(sim, { name: `LPA ${index}`, role: 'lpa', lpaId: id }));
}

const fundAccounts = new WeakMap<Sim, Map<string, string>>();

export async function fundAccountId(sim: Sim, code: string): Promise<string> {
  const known = fundAccounts.get(sim) ?? new Map<string, string>();
  fundAccounts.set(sim, known);
  const id = known.get(code);
  if (id !== undefined) return id;
  const reply = await sim.api.get(sim.keys.finance, `/v1/ledger/accounts?code=${code}&ownerKind=fund`);
  const account = (expectOk(sim, reply, 200, `account ${code}`) as { accounts: { id: string }[] }).accounts[0];
  if (account === undefined) throw new Error(`the fund has no account ${code}`);
  known.set(code, account.id);
  return account.id;
}

// Capital paid in from the state budget, so that claims are never held up
// for cash: Cash at bank against the fund balance.
export async function addCapital(sim: Sim, amount: Money): Promise<void> {
  const [cash, balance] = [await fundAccountId(sim, '1100'), await fundAccountId(sim, '3100')];
  const reference = sim.nextKey('capital');
  const reply = await sim.api.post(
    sim.keys.finance,
    '/v1/ledger/entries',
    {
      entryDate: sim.today,
      description: 'Fund capital from the state budget',
      reference: { type: 'capital', id: reference },
      postings: [
        { accountId: cash, amount: amount.toFixed(2) },
        { accountId: balance, amount: amount.negated().toFixed(2) },
      ],
    },
    reference,
  );
  expectOk(sim, reply, 201, 'capital');
  sim.oracle.recordCapital(amount);
}

// A setup step the simulation cannot go on without: anything else is a fault in the run itself.
export function expectOk(sim: Sim, reply: Reply, status: number, what: string): unknown {
  if (reply.status !== status)
    throw new Error(
      `seed ${sim.scenario.seed} ${sim.today}: ${what} answered ${reply.status}: ${JSON.stringify(reply.body).slice(0, 500)}`,
    );
  return reply.body;
}
