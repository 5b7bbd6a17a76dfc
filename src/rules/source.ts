import { z } from 'zod';

// Where a value of policy comes from: the document, the place in it, and,
// when the document gives no figure, that the value is illustrative and why.
// The illustrative values are what the directorate must decide before a
// fund goes live (`askesos rules sources` lists them first).
export const sourceSchema = z
  .strictObject(
    {
      document: z.string().min(3).max(300).meta({ description: 'The document: the study, a regulation, a decree.' }),
      place: z.string().min(1).max(300).meta({ description: 'Where in it: a table, a section, a page.' }),
      illustrative: z
        .literal(true)
        .optional()
        .meta({ description: 'The document gives no figure: the value is this rule file’s, to be decided.' }),
      reason: z.string().min(3).max(500).optional().meta({ description: 'Why the value is illustrative, in one line.' }),
    },
    {
      error: (issue) =>
        issue.input === undefined
          ? 'is missing: every value names its source {document, place} (with illustrative: true and a reason when the document gives no figure)'
          : undefined,
    },
  )
  .refine((source) => (source.illustrative === true) === (source.reason !== undefined), {
    path: ['reason'],
    message: 'is given exactly when the value is illustrative: true',
  })
  .meta({ description: 'Where the value comes from.' });
export type Source = z.infer<typeof sourceSchema>;
