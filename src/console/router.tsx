import express, { type Request, type Response, type Router } from 'express';
import { render } from 'preact-render-to-string';
import { z } from 'zod';
import { roles, type SessionPrincipal } from '../access/principal.ts';
import { authenticate, authorize } from '../auth/authenticate.ts';
import { sessionCookie } from '../auth/session-routes.ts';
import { csrfTokenMatches, signIn, signOut } from '../auth/sessions.ts';
import { findUser } from '../auth/user-store.ts';
import { ForbiddenError, InputError, NotFoundError, UnauthorizedError } from '../errors.ts';
import { loadAssets } from './assets.ts';
import { catalogues, type Locale, locales, type MessageKey, type Words, wordsFor } from './i18n/index.ts';
import { languageForm } from './language.ts';
import { Layout, type LayoutProps, type MenuEntry } from './layout.tsx';
import {
  type ConsoleForm,
  type ConsoleOptions,
  type ConsolePage,
  type ConsoleSection,
  defineForm,
  type PageResult,
  type UploadedFile,
  type Viewer,
} from './page.ts';
import { claimsSection } from './pages/claims.tsx';
import { enrolmentSection } from './pages/enrolment.tsx';
import { financeSection } from './pages/finance.tsx';
import { glancePage } from './pages/glance.tsx';
import { lpasSection } from './pages/lpas.tsx';
import { participantPages } from './pages/participants.tsx';
import { passwordPages } from './pages/password.tsx';
import { policySection } from './pages/policy.tsx';
import { SignInForm, type SignInProblem } from './pages/sign-in.tsx';

// Scripts only from our origin, none inline; styles only from our file;
// forms post only to us; no page of ours framed by another site.
const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

// A form posted without its session's CSRF token, or with another's.
class CsrfTokenMissingError extends ForbiddenError {
  constructor() {
    super('A form must carry its session’s CSRF token.');
  }
}

// A form is short fields, at most a few dozen (an enrolment with its heirs), unless it says it carries more.
const formFieldsMax = 40;
const formBody = (fieldsMax = formFieldsMax) =>
  express.urlencoded({ extended: false, limit: `${Math.ceil(fieldsMax / formFieldsMax) * 16}kb`, parameterLimit: fieldsMax });
// A multipart form's text fields, beside its files.
const multipartFieldsMax = 200;

const signInQuerySchema = z.object({
  lang: z.enum(locales).optional().catch(undefined),
  signedOut: z.literal('1').optional().catch(undefined),
});
const signInBodySchema = z.strictObject({
  username: z.string().trim().toLowerCase().min(1).max(100),
  password: z.string().min(1).max(256),
});

// The console: the fund's pages for people, rendered on the server at /,
// beside the API under /v1. To add a page, declare it (page.ts) in a file
// under pages/ and list it here; the menu follows from its roles.
export function consoleRouter(options: ConsoleOptions): Router {
  const { db, accounts } = options;
  const assets = loadAssets();
  const password = passwordPages({ db, accounts });
  const participants = participantPages(options);
  const sections: readonly ConsoleSection[] = [
    enrolmentSection(options),
    claimsSection(options),
    lpasSection(options),
    financeSection(options),
    policySection(options),
  ];
  const pages: readonly ConsolePage[] = [
    glancePage(options),
    participants.search,
    participants.detail,
    ...sections.flatMap((section) => section.pages),
    password.page,
  ];
  const forms: readonly ConsoleForm<unknown>[] = [
    ...sections.flatMap((section) => section.forms),
    password.form,
    languageForm({ db }),
    defineForm({
      path: '/sign-out',
      roles,
      writesNothing: true,
      body: z.strictObject({}),
      handle: async ({ viewer, requestId, secure }) => {
        await signOut(db, viewer.principal, requestId);
        return {
          kind: 'redirect',
          to: `/sign-in?lang=${viewer.words.locale}&signedOut=1`,
          headers: { 'Set-Cookie': sessionCookie('', 0, secure) },
        };
      },
      refused: () => ({ kind: 'redirect', to: '/' }),
    }),
  ];

  const router = express.Router();
  router.get('/assets/:name', (request, response) => assets.serve(request, response));

  const send = (response: Response, words: Words, path: string, person: LayoutProps['person'], result: PageResult) => {
    if (result.kind === 'redirect') {
      for (const [name, value] of Object.entries(result.headers ?? {})) response.setHeader(name, value);
      response.redirect(303, result.to);
      return;
    }
    const html = render(
      <Layout words={words} assets={assets} title={result.title} path={path} person={person} scripts={result.scripts}>
        {result.body}
      </Layout>,
    );
    response
      .status(result.status ?? 200)
      .type('html')
      .set('Content-Security-Policy', contentSecurityPolicy)
      .set('Cache-Control', 'no-store')
      .send(`<!doctype html>${html}`);
  };

  const menuOf = (principal: SessionPrincipal): MenuEntry[] =>
    pages.flatMap((page) =>
      page.nav !== undefined && page.roles.includes(principal.role) ? [{ path: page.path, label: page.nav }] : [],
    );

  // The person behind the session cookie; an API key is never asked for
  // here: a browser does not send one.
  const viewerOf = async (request: Request): Promise<Viewer> => {
    const credentials = { method: 'get' as const, authorization: undefined, cookie: request.get('cookie'), csrfToken: undefined };
    const principal = await authenticate(db, credentials, accounts, request.log);
    if (principal.via !== 'session') throw new Error('a cookie authenticated something other than a session');
    const user = await findUser(db, principal.userId);
    return { principal, words: wordsFor(user?.locale ?? 'id', options.timezone) };
  };

  // Every page and form answers the same way when it cannot go on: to the
  // sign-in page without a session, a page in the person's language
  // otherwise, and never a stack trace.
  const answer =
    (path: string, work: (request: Request, response: Response, found: { viewer?: Viewer }) => Promise<void>) =>
    async (request: Request, response: Response) => {
      const found: { viewer?: Viewer } = {};
      try {
        await work(request, response, found);
      } catch (error) {
        if (error instanceof UnauthorizedError) {
          response.redirect(303, '/sign-in');
          return;
        }
        const words = found.viewer?.words ?? wordsFor('id', options.timezone);
        const person = found.viewer === undefined ? undefined : personOf(found.viewer, menuOf(found.viewer.principal));
        const [status, title, body]: [number, MessageKey, MessageKey] =
          error instanceof CsrfTokenMissingError
            ? [403, 'error.forbidden.title', 'error.csrf.body']
            : error instanceof InputError
              ? [400, 'error.badInput.title', 'error.badInput.body']
              : error instanceof ForbiddenError
                ? [403, 'error.forbidden.title', 'error.forbidden.body']
                : error instanceof NotFoundError
                  ? [404, 'error.notFound.title', 'error.notFound.body']
                  : [500, 'error.internal.title', 'error.internal.body'];
        if (status === 500) request.log.error({ err: error }, 'console page failed');
        send(response, words, path, person, errorPage(words, status, title, body, String(request.id)));
      }
    };

  for (const page of pages) {
    router.get(
      page.path,
      answer(page.path, async (request, response, found) => {
        const viewer = await viewerOf(request);
        found.viewer = viewer;
        authorize(viewer.principal, 'get', page.roles, { writesNothing: true, sessionOnly: true });
        const person = personOf(viewer, menuOf(viewer.principal));
        const query = page.query.safeParse(request.query);
        if (!query.success) throw new InputError([]);
        const params = Object.fromEntries(Object.entries(request.params).map(([name, value]) => [name, String(value)]));
        send(response, viewer.words, request.path, person, await page.render({ viewer, query: query.data, params }));
      }),
    );
  }

  for (const form of forms) {
    router.post(
      form.path,
      ...(form.multipart === undefined ? [formBody(form.fieldsMax)] : []),
      answer(form.path, async (request, response, found) => {
        const viewer = await viewerOf(request);
        found.viewer = viewer;
        const person = personOf(viewer, menuOf(viewer.principal));
        // A multipart body is read only for a signed-in person, and never past its limit.
        const posted =
          form.multipart === undefined
            ? { fields: (request.body ?? {}) as Record<string, unknown>, files: new Map<string, UploadedFile>() }
            : await readMultipart(request, form.multipart.bytesMax);
        if (posted === null && form.multipart !== undefined) {
          send(response, viewer.words, form.path, person, form.refused({ viewer, problems: [form.multipart.tooLarge] }));
          return;
        }
        const { _csrf: offered, ...fields } = posted?.fields ?? {};
        // Checked here rather than by authenticate(), so the refusal is a
        // page in the person's language rather than a problem+json.
        if (!csrfTokenMatches(viewer.principal.csrfToken, typeof offered === 'string' ? offered : undefined))
          throw new CsrfTokenMissingError();
        authorize(viewer.principal, 'post', form.roles, { writesNothing: form.writesNothing === true, sessionOnly: true });
        const body = form.body.safeParse(fields);
        const result = body.success
          ? await form.handle({
              viewer,
              body: body.data,
              files: posted?.files ?? new Map(),
              requestId: String(request.id),
              secure: request.secure,
              log: request.log,
            })
          : form.refused({ viewer, problems: problemKeys(body.error.issues) });
        send(response, viewer.words, form.path, person, result);
      }),
    );
  }

  const signInPage = (
    words: Words,
    status: number,
    username: string,
    problem: SignInProblem,
    signedOut: boolean,
  ): PageResult => ({
    kind: 'page',
    status,
    title: words.t('signIn.title'),
    body: (
      <SignInForm
        words={words}
        username={username}
        problem={problem}
        signedOut={signedOut}
        lockout={{ failures: accounts.settings.signInFailuresMax, minutes: accounts.settings.lockoutSeconds / 60 }}
      />
    ),
  });

  router.get(
    '/sign-in',
    answer('/sign-in', async (request, response) => {
      const query = signInQuerySchema.parse(request.query);
      const words = wordsFor(localeOf(query.lang), options.timezone);
      send(response, words, '/sign-in', undefined, signInPage(words, 200, '', null, query.signedOut === '1'));
    }),
  );

  router.post(
    '/sign-in',
    formBody(),
    answer('/sign-in', async (request, response) => {
      const words = wordsFor(localeOf(signInQuerySchema.parse(request.query).lang), options.timezone);
      const body = signInBodySchema.safeParse(request.body);
      if (!body.success) {
        const username = typeof request.body?.username === 'string' ? String(request.body.username).slice(0, 100) : '';
        send(response, words, '/sign-in', undefined, signInPage(words, 400, username, 'missing', false));
        return;
      }
      const result = await signIn(db, body.data, accounts, String(request.id));
      if (result.kind === 'refused') {
        send(response, words, '/sign-in', undefined, signInPage(words, 401, body.data.username, 'refused', false));
        return;
      }
      response.setHeader('Set-Cookie', sessionCookie(result.token, accounts.settings.sessionLifetimeSeconds, request.secure));
      response.redirect(303, '/');
    }),
  );

  return router;
}

function personOf(viewer: Viewer, menu: readonly MenuEntry[]): LayoutProps['person'] {
  const { principal } = viewer;
  return { name: principal.name, role: principal.role, csrfToken: principal.csrfToken, menu };
}

function localeOf(lang: Locale | undefined): Locale {
  return lang ?? 'id';
}

// A form schema's messages are catalogue keys; any other issue (an unknown field) is the form's, not the person's.
function problemKeys(issues: readonly z.core.$ZodIssue[]): MessageKey[] {
  const keys = issues.map((issue) => issue.message).filter((message): message is MessageKey => message in catalogues.id);
  return keys.length > 0 ? keys : ['error.badInput.body'];
}

function errorPage(words: Words, status: number, title: MessageKey, body: MessageKey, requestId: string): PageResult {
  const { t } = words;
  return {
    kind: 'page',
    status,
    title: t(title),
    body: (
      <>
        <p>{t(body, { requestId })}</p>
        <p>
          <a href="/">{t('error.backHome')}</a>
        </p>
      </>
    ),
  };
}

// A multipart/form-data body, kept up to bytesMax and parsed by Node's own
// web Request (undici), so no parser of ours or a package's sees it; null
// when it is larger. Text fields as strings, files by field name,
// a file input left empty as absent.
async function readMultipart(
  request: Request,
  bytesMax: number,
): Promise<{ fields: Record<string, unknown>; files: Map<string, UploadedFile> } | null> {
  const contentType = request.get('content-type') ?? '';
  if (!/^multipart\/form-data;/i.test(contentType)) throw new InputError([]);
  // A body past the limit is read to its end and dropped, so the browser
  // gets the page saying so rather than a connection cut mid-upload.
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= bytesMax) chunks.push(chunk);
  }
  if (size > bytesMax) return null;
  let entries: [string, FormDataEntryValue][];
  try {
    const parsed = await new globalThis.Request('http://console.invalid/', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: Buffer.concat(chunks),
    }).formData();
    entries = [...parsed.entries()];
  } catch {
    throw new InputError([]);
  }
  if (entries.length > multipartFieldsMax) throw new InputError([]);
  const fields: Record<string, unknown> = {};
  const files = new Map<string, UploadedFile>();
  for (const [name, value] of entries) {
    if (typeof value === 'string') fields[name] = value;
    else if (value.size > 0 || value.name !== '')
      files.set(name, { name: value.name, type: value.type, bytes: Buffer.from(await value.arrayBuffer()) });
  }
  return { fields, files };
}
