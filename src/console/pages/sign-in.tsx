import { Field, Notice } from '../components.tsx';
import type { Words } from '../i18n/index.ts';

export type SignInProblem = 'missing' | 'refused' | null;

// One refusal for every reason (unknown name, wrong password, locked,
// disabled), as the API gives: the page tells nobody whether a name exists.
// It says what a lock is and how long to wait, so a person locked out
// knows to wait rather than keep trying.
export function SignInForm(props: {
  readonly words: Words;
  readonly username: string;
  readonly problem: SignInProblem;
  readonly signedOut: boolean;
  readonly lockout: { readonly failures: number; readonly minutes: number };
}) {
  const { words, username, problem, signedOut, lockout } = props;
  const { t } = words;
  return (
    <>
      {signedOut && <Notice kind="info">{t('signIn.signedOut')}</Notice>}
      {problem === 'missing' && <Notice kind="error">{t('signIn.missing')}</Notice>}
      {problem === 'refused' && (
        <Notice kind="error">
          <p>{t('signIn.refused')}</p>
          <p>{t('signIn.lockout', lockout)}</p>
        </Notice>
      )}
      <p>{t('signIn.intro')}</p>
      {/* No session yet, so no CSRF token: SameSite=Strict keeps other sites from posting with one. */}
      <form method="post" action={`/sign-in?lang=${words.locale}`} class="stacked">
        <Field
          id="username"
          name="username"
          type="text"
          autocomplete="username"
          label={t('signIn.username')}
          value={username}
          autofocus={username === ''}
        />
        <Field
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          label={t('signIn.password')}
          autofocus={username !== ''}
        />
        <button type="submit">{t('signIn.submit')}</button>
      </form>
    </>
  );
}
