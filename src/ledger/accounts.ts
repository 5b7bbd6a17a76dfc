import type { Knex } from 'knex';
import { recordAudit } from '../audit/store.ts';
import type { Actor } from '../access/principal.ts';
import { type Db, withTransaction } from '../db/knex.ts';
import { InputError } from '../errors.ts';
import type { Account, ChartLine, OwnerKind } from './model.ts';
import {
  type AccountOwner,
  findAccountByOwner,
  fundOwner,
  insertAccount,
  listChart,
  lpaHoldingAccounts,
  participantHoldingAccounts,
} from './store.ts';

export interface AccountRequest {
  readonly code: string;
  readonly lpaId?: string;
  readonly participantId?: string;
}

// The fund's own accounts come with the chart; an LPA's or a participant's
// sub-account is opened the first time it is asked for, and asking again
// answers the same account, so callers never need to know whether it exists.
export async function openAccount(
  db: Db | Knex.Transaction,
  request: AccountRequest,
  actor: Actor,
  fieldPrefix = '',
): Promise<{ account: Account; opened: boolean }> {
  return withTransaction(db, async (trx) => {
    const chart = (await listChart(trx)).find((line) => line.code === request.code);
    if (chart === undefined) throw new InputError([{ field: `${fieldPrefix}code`, message: 'is not in the chart of accounts' }]);
    const { owner, ownerName } = await resolveOwner(trx, request, fieldPrefix);
    if (!chart.ownerKinds.includes(owner.kind))
      throw new InputError([
        {
          field: `${fieldPrefix}code`,
          message: `${chart.code} ${chart.name} is held by ${chart.ownerKinds.map((kind) => ownerLabels[kind]).join(' or ')}, not by ${ownerLabels[owner.kind]}`,
        },
      ]);
    const opened = await insertAccount(trx, chart, owner, accountName(chart, ownerName), actor.actor);
    const account = await findAccountByOwner(trx, chart.code, owner);
    if (account === null)
      throw new Error(`ledger invariant: account ${chart.code} for ${JSON.stringify(owner)} not found after opening`);
    if (opened)
      await recordAudit(trx, actor, {
        action: 'ledger.account.open',
        entityType: 'ledger_account',
        entityId: account.id,
        detail: { code: chart.code, ownerKind: owner.kind, lpaId: owner.lpaId, participantId: owner.participantId },
      });
    return { account, opened };
  });
}

const ownerLabels: Readonly<Record<OwnerKind, string>> = { fund: 'the fund', lpa: 'an LPA', participant: 'a participant' };

function accountName(chart: ChartLine, ownerName: string | null): string {
  return ownerName === null ? chart.name : `${chart.name} · ${ownerName}`.slice(0, 200);
}

async function resolveOwner(
  trx: Knex.Transaction,
  request: AccountRequest,
  fieldPrefix: string,
): Promise<{ owner: AccountOwner; ownerName: string | null }> {
  if (request.participantId !== undefined) {
    const participant = await participantHoldingAccounts(trx, request.participantId);
    if (participant === null) throw new InputError([{ field: `${fieldPrefix}participantId`, message: 'is not a participant' }]);
    // Named by NIK rather than by name: an account list is read by more people than the registry is.
    return {
      owner: { kind: 'participant', lpaId: participant.lpa_id, participantId: request.participantId },
      ownerName: `participant ${participant.nik}`,
    };
  }
  if (request.lpaId !== undefined) {
    const lpa = await lpaHoldingAccounts(trx, request.lpaId);
    if (lpa === null) throw new InputError([{ field: `${fieldPrefix}lpaId`, message: 'is not an LPA' }]);
    return { owner: { kind: 'lpa', lpaId: request.lpaId, participantId: null }, ownerName: lpa.name };
  }
  return { owner: fundOwner, ownerName: null };
}
