// The console's words for lPAs: proposals, progress, honorarium, strengthening, savings and loans, in Bahasa Indonesia.
export const lpasId = {} as const satisfies Readonly<Record<string, string>>;
