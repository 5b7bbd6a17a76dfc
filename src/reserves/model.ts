// The reserves' types.

// A scheme's IBNR at a month's end, as booked.
export interface IbnrEstimate {
  readonly scheme: string;
  readonly method: string;
  readonly earned: string;
  readonly ibnr: string;
  readonly heldBefore: string;
  readonly rule: { readonly version: string; readonly hash: string } | null;
}

// What every triangle method gave for a scheme at a month's end, amounts to
// the cent; a method that could not run says why.
export interface KeptMethods {
  // Months from the scheme's first claim to the month, both counted.
  readonly history: number;
  readonly chainLadder: { readonly ibnr: string; readonly standardError: string | null } | { readonly reason: string };
  readonly bornhuetterFerguson: { readonly ibnr: string } | { readonly reason: string };
  readonly expectedLossRatio: { readonly ibnr: string } | { readonly reason: string };
}
