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
