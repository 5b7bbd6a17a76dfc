// The console's words for claims and the review queue, in Bahasa Indonesia.
export const claimsId = {} as const satisfies Readonly<Record<string, string>>;
