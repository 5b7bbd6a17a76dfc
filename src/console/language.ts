import { z } from 'zod';
import { roles } from '../access/principal.ts';
import { localeSchema } from '../auth/model.ts';
import { changeOwnLocale } from '../auth/sessions.ts';
import type { Db } from '../db/knex.ts';
import { defineForm } from './page.ts';

// A path on this site to come back to: never another site ("//evil.example").
const backSchema = z
  .string()
  .max(500)
  .regex(/^\/(?![/\\])[^\s]*$/);

// The language switch in every page's header keeps the choice on the
// person's account, so it follows them to any device.
export function languageForm({ db }: { readonly db: Db }) {
  return defineForm({
    path: '/language',
    roles,
    writesNothing: true,
    body: z.strictObject({ locale: localeSchema, back: backSchema }),
    handle: async ({ viewer, body, requestId }) => {
      await changeOwnLocale(db, viewer.principal, body.locale, requestId);
      return { kind: 'redirect', to: body.back };
    },
    refused: () => ({ kind: 'redirect', to: '/' }),
  });
}
