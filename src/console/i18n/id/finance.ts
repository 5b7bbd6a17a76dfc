// The console's words for finance: reports and downloads, payments, jobs, in Bahasa Indonesia.
export const financeId = {} as const satisfies Readonly<Record<string, string>>;
