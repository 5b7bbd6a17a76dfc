import { newClaimSchema } from '../../src/claims/model.ts';
import { submitClaim } from '../../src/claims/submit.ts';
import type { Db } from '../../src/db/knex.ts';
import { shippedRules, testActor } from './api.ts';

// An accident claim as an LPA files it under 2026.2 and later: reported the
// same day, with the statement and the doctor's certificate the rules ask for.
export function accidentClaim(incidentDate: string, documentPrefix: string) {
  return {
    claimType: 'accident',
    incidentDate,
    reportDate: incidentDate,
    documents: ['accident-statement', 'medical-certificate'].map((kind) => ({
      kind,
      number: `${kind}-${documentPrefix}`,
      date: incidentDate,
    })),
    payout: { method: 'cash', receivedBy: 'Yohanes' },
  };
}

// A claim filed straight through submitClaim, as an LPA files it, paid out in
// cash: for tests that set up a fund rather than test the API.
export async function fileClaim(
  db: Db,
  request: { lpaId: string; participantId: string; body: Record<string, unknown>; key: string; today: string },
) {
  const { claim } = await submitClaim(
    db,
    shippedRules,
    {
      lpaId: request.lpaId,
      claim: newClaimSchema.parse({
        participantId: request.participantId,
        payout: { method: 'cash', receivedBy: 'Yohanes' },
        ...request.body,
      }),
      idempotencyKey: request.key,
      today: request.today,
      defaultScheme: 'standalone',
      fieldPrefix: '',
    },
    testActor,
  );
  return claim;
}
