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
