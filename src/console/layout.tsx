import type { ComponentChildren } from 'preact';
import type { Role } from '../access/principal.ts';
import type { AssetName, Assets } from './assets.ts';
import { locales, type MessageKey, type Words } from './i18n/index.ts';

export interface MenuEntry {
  readonly path: string;
  readonly label: MessageKey;
}

export interface LayoutProps {
  readonly words: Words;
  readonly assets: Assets;
  readonly title: string;
  // The page's own path, to mark it in the menu and come back to after a language change.
  readonly path: string;
  // Who is signed in, and the menu their role may use; absent on the sign-in page.
  readonly person?: {
    readonly name: string;
    readonly role: Role;
    readonly csrfToken: string;
    readonly menu: readonly MenuEntry[];
  };
  readonly scripts?: readonly AssetName[];
  readonly children: ComponentChildren;
}

export function Layout({ words, assets, title, path, person, scripts = [], children }: LayoutProps) {
  const { t } = words;
  return (
    <html lang={words.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${t('app.name')}`}</title>
        {/* No favicon of our own yet: an empty one saves the browser asking for /favicon.ico. */}
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href={assets.href('console.css')} />
        {scripts.map((name) => (
          <script src={assets.href(name)} defer />
        ))}
      </head>
      <body>
        <a class="skip" href="#main">
          {t('app.skipToMain')}
        </a>
        <header class="top">
          <p class="brand">{t('app.name')}</p>
          {person === undefined ? (
            <LanguageLinks words={words} path={path} />
          ) : (
            <div class="account">
              <p class="who">
                <span class="visually-hidden">{t('header.user')}: </span>
                <strong>{person.name}</strong> · {t(`role.${person.role}`)}
              </p>
              <LanguageForm words={words} path={path} csrfToken={person.csrfToken} />
              <form method="post" action="/sign-out">
                <input type="hidden" name="_csrf" value={person.csrfToken} />
                <button type="submit" class="link">
                  {t('header.signOut')}
                </button>
              </form>
            </div>
          )}
        </header>
        {person !== undefined && (
          <nav aria-label={t('nav.label')} class="menu">
            <ul>
              {person.menu.map((entry) => (
                <li>
                  <a href={entry.path} aria-current={entry.path === path ? 'page' : undefined}>
                    {t(entry.label)}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <main id="main">
          <h1>{title}</h1>
          {children}
        </main>
      </body>
    </html>
  );
}

// A signed-in person's language is kept on their account.
function LanguageForm({ words, path, csrfToken }: { words: Words; path: string; csrfToken: string }) {
  const { t } = words;
  return (
    <form method="post" action="/language" class="language">
      <input type="hidden" name="_csrf" value={csrfToken} />
      <input type="hidden" name="back" value={path} />
      <label for="language">{t('language.label')}</label>
      <select id="language" name="locale">
        {locales.map((locale) => (
          <option value={locale} selected={locale === words.locale}>
            {t(`language.${locale}`)}
          </option>
        ))}
      </select>
      <button type="submit">{t('language.switch')}</button>
    </form>
  );
}

// Before signing in there is no account to keep a language on: it rides in the address.
function LanguageLinks({ words, path }: { words: Words; path: string }) {
  const { t } = words;
  return (
    <nav aria-label={t('language.label')} class="language">
      <ul>
        {locales.map((locale) => (
          <li>
            <a href={`${path}?lang=${locale}`} lang={locale} aria-current={locale === words.locale ? 'true' : undefined}>
              {t(`language.${locale}`)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
