import type { VNode } from 'preact';
import type { z } from 'zod';
import type { Role, SessionPrincipal } from '../access/principal.ts';
import type { Accounts } from '../auth/sessions.ts';
import type { Db } from '../db/knex.ts';
import type { LaunchableJob } from '../jobs/launch.ts';
import type { Logger } from '../log.ts';
import type { RuleBook } from '../rules/load.ts';
import type { AssetName } from './assets.ts';
import type { MessageKey, Words } from './i18n/index.ts';

// A page of the console is a declaration: its path, the roles that may open
// it, where it sits in the menu, its input's schema, and a render that reads
// through the domain's own functions with the person's principal. The
// console's router (router.ts) does the rest for every page alike: the
// session, the role, parsing, the layout, the language, the errors.

// What every page may read and write through.
export interface ConsoleOptions {
  readonly db: Db;
  readonly accounts: Accounts;
  // Today on the fund's clock, and the clock's time zone, in which a moment's day is read.
  readonly today: () => string;
  readonly timezone: string;
  // The book decided by, the folder its drafts are read from, and what to do once one is published.
  readonly rules: { readonly book: RuleBook; readonly dir: string; readonly afterPublish: () => Promise<void> };
  // The scheme a new enrolment is decided under, as the API's.
  readonly defaultScheme: string;
  // The scheduled jobs, as POST /v1/jobs/{name}/runs starts them.
  readonly jobs: readonly LaunchableJob[];
  // For what goes wrong after the answer is sent: a job started from a page works on in the background.
  readonly log: Logger;
}

// A file a multipart form carried, read whole: the form's bytesMax bounds it.
export interface UploadedFile {
  readonly name: string;
  // As the browser declared it; what it is, its content must tell.
  readonly type: string;
  readonly bytes: Buffer;
}

// A part of the console (claims, finance, policy…): its pages and its forms, listed once in the router.
export interface ConsoleSection {
  readonly pages: readonly ConsolePage[];
  readonly forms: readonly ConsoleForm<unknown>[];
}

// The person a page is rendered for.
export interface Viewer {
  readonly principal: SessionPrincipal;
  readonly words: Words;
}

export type PageResult =
  | {
      readonly kind: 'page';
      readonly status?: number;
      readonly title: string;
      readonly body: VNode;
      // Scripts the page needs, beyond none.
      readonly scripts?: readonly AssetName[];
    }
  // Post, then redirect, then get: a reload never sends a form twice.
  | { readonly kind: 'redirect'; readonly to: string; readonly headers?: Readonly<Record<string, string>> };

export interface ConsolePage<Q = unknown> {
  readonly path: string;
  readonly roles: readonly Role[];
  // Listed in the menu under this label, for the roles that may open it.
  readonly nav?: MessageKey;
  readonly query: z.ZodType<Q>;
  render(request: {
    readonly viewer: Viewer;
    readonly query: Q;
    readonly params: Readonly<Record<string, string>>;
  }): Promise<PageResult>;
}

// A form posted by a signed-in person, with the session's CSRF token. When
// the body does not parse, refused() renders the form again with the
// issues, whose messages are catalogue keys.
export interface ConsoleForm<B> {
  readonly path: string;
  readonly roles: readonly Role[];
  // Changes nothing of the fund's (the language, one's own password): the read-only auditor may send it.
  readonly writesNothing?: true;
  // A form with file inputs, sent as multipart/form-data: its whole body is
  // read up to bytesMax, and a larger one refused with the tooLarge problem.
  readonly multipart?: { readonly bytesMax: number; readonly tooLarge: MessageKey };
  // Fields it may carry, beyond a handful (a rule version's every value).
  readonly fieldsMax?: number;
  readonly body: z.ZodType<B>;
  handle(request: {
    readonly viewer: Viewer;
    readonly body: B;
    // The files of a multipart form by field name; none was chosen in a field left out.
    readonly files: ReadonlyMap<string, UploadedFile>;
    readonly requestId: string;
    readonly secure: boolean;
    readonly log: Logger;
  }): Promise<PageResult>;
  refused(request: { readonly viewer: Viewer; readonly problems: readonly MessageKey[] }): PageResult;
}

// A declaration's input types are checked where it is written; the router holds them all alike.
export function definePage<Q>(page: ConsolePage<Q>): ConsolePage {
  return page as ConsolePage;
}

export function defineForm<B>(form: ConsoleForm<B>): ConsoleForm<unknown> {
  return form as ConsoleForm<unknown>;
}
