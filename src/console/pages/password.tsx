import { z } from 'zod';
import { roles } from '../../access/principal.ts';
import { changeOwnPassword, type Accounts } from '../../auth/sessions.ts';
import { passwordLengthMax } from '../../auth/password.ts';
import type { Db } from '../../db/knex.ts';
import { InputError } from '../../errors.ts';
import { Field, Notice, PostForm } from '../components.tsx';
import type { MessageKey, Words } from '../i18n/index.ts';
import { defineForm, definePage, type PageResult } from '../page.ts';

// Changing one's own password: the current one is asked for, the new one
// twice. The refusals are the catalogue's words, in the person's language.
export function passwordPages({ db, accounts }: { readonly db: Db; readonly accounts: Accounts }) {
  const lengthMin = accounts.settings.passwordLengthMin;
  const page = (
    words: Words,
    csrfToken: string,
    problems: readonly MessageKey[],
    changed: boolean,
    status = 200,
  ): PageResult => ({
    kind: 'page',
    status,
    title: words.t('password.title'),
    body: <PasswordForm words={words} csrfToken={csrfToken} problems={problems} changed={changed} lengthMin={lengthMin} />,
  });
  return {
    page: definePage({
      path: '/password',
      roles,
      nav: 'nav.password',
      query: z.strictObject({ changed: z.literal('1').optional() }),
      render: async ({ viewer, query }) => page(viewer.words, viewer.principal.csrfToken, [], query.changed === '1'),
    }),
    form: defineForm({
      path: '/password',
      roles,
      writesNothing: true,
      body: z
        .strictObject({
          currentPassword: z.string().min(1, 'password.wrongCurrent').max(passwordLengthMax, 'password.wrongCurrent'),
          newPassword: z.string().min(lengthMin, 'password.tooShort').max(passwordLengthMax, 'password.tooLong'),
          newPasswordAgain: z.string().max(passwordLengthMax, 'password.mismatch'),
        })
        .refine((body) => body.newPassword === body.newPasswordAgain, {
          path: ['newPasswordAgain'],
          message: 'password.mismatch',
        }),
      handle: async ({ viewer, body, requestId }) => {
        try {
          await changeOwnPassword(db, viewer.principal, body, accounts, requestId);
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          const problems = error.issues.map((issue): MessageKey =>
            issue.field === 'body.newPassword' ? 'password.same' : 'password.wrongCurrent',
          );
          return page(viewer.words, viewer.principal.csrfToken, problems, false, 400);
        }
        return { kind: 'redirect', to: '/password?changed=1' };
      },
      refused: ({ viewer, problems }) => page(viewer.words, viewer.principal.csrfToken, problems, false, 400),
    }),
  };
}

function PasswordForm(props: {
  readonly words: Words;
  readonly csrfToken: string;
  readonly problems: readonly MessageKey[];
  readonly changed: boolean;
  readonly lengthMin: number;
}) {
  const { words, csrfToken, problems, changed, lengthMin } = props;
  const { t } = words;
  const values = { min: lengthMin, max: passwordLengthMax };
  return (
    <>
      {changed && <Notice kind="info">{t('password.changed')}</Notice>}
      {problems.length > 0 && (
        <Notice kind="error">
          <p>{t('password.problems')}</p>
          <ul>
            {[...new Set(problems)].map((problem) => (
              <li>{t(problem, values)}</li>
            ))}
          </ul>
        </Notice>
      )}
      <PostForm action="/password" csrfToken={csrfToken} submit={t('password.submit')}>
        <Field
          id="current-password"
          name="currentPassword"
          type="password"
          autocomplete="current-password"
          label={t('password.current')}
        />
        <Field
          id="new-password"
          name="newPassword"
          type="password"
          autocomplete="new-password"
          label={t('password.new')}
          minLength={lengthMin}
          hint={t('password.hint', values)}
        />
        <Field
          id="new-password-again"
          name="newPasswordAgain"
          type="password"
          autocomplete="new-password"
          label={t('password.confirm')}
        />
      </PostForm>
    </>
  );
}
