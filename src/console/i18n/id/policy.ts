// The console's words for policy: versions, drafts, diff, impact, publish, in Bahasa Indonesia.
export const policyId = {} as const satisfies Readonly<Record<string, string>>;
