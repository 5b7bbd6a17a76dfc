// The console's words for enrolment (participants: enrol, heirs, card), in Bahasa Indonesia.
export const enrolmentId = {} as const satisfies Readonly<Record<string, string>>;
