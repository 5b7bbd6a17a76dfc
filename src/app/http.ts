import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { auditRoutes } from '../audit/routes.ts';
import { apiKeyRoutes } from '../auth/routes.ts';
import type { Accounts } from '../auth/sessions.ts';
import { sessionRoutes } from '../auth/session-routes.ts';
import { userRoutes } from '../auth/user-routes.ts';
import { claimRoutes } from '../claims/routes.ts';
import { ledgerRoutes } from '../ledger/routes.ts';
import { jobRoutes } from '../jobs/routes.ts';
import { lpaFinanceRoutes } from '../lpa/routes.ts';
import { savingsRoutes } from '../savings/routes.ts';
import { loanRoutes } from '../loans/routes.ts';
import { noticeRoutes } from '../notices/routes.ts';
import { reportRoutes } from '../reports/routes.ts';
import { premiumRoutes } from '../premiums/routes.ts';
import { registryRoutes } from '../registry/routes.ts';
import type { RuleBook } from '../rules/load.ts';
import { decisionsChangedSince } from '../impact/retroactive.ts';
import { ruleRoutes } from '../rules/routes.ts';
import { outageLogFor } from '../db/availability.ts';
import type { Db } from '../db/knex.ts';
import { type Logger, urlForLog } from '../log.ts';
import { docsRouter } from './docs.ts';
import { launchableJobs } from './jobs.ts';
import { mountRoute } from './mount.ts';
import { buildOpenApi } from './openapi.ts';
import { problemHandler, sendProblem } from '../shared/http/problem.ts';
import type { ApiRoute } from '../shared/http/route.ts';
import { systemRoutes } from './system.ts';
import { heirLookupPage } from '../notices/heir-page.ts';
import { impactRoutes } from '../impact/routes.ts';
import { consoleRouter } from '../console/router.tsx';

export interface AppOptions {
  readonly db: Db;
  readonly logger: Logger;
  readonly bodyLimitBytes: number;
  readonly version: string;
  // The book decided by, the folder its drafts are read from, and what to do
  // once a draft is published over HTTP.
  readonly rules: { readonly book: RuleBook; readonly dir: string; readonly afterPublish: () => Promise<void> };
  readonly defaultScheme: string;
  // Today on the fund's clock; tests pass a fixed day.
  readonly today: () => string;
  // Where a membership card's QR code leads, with {number} for the card number.
  readonly heirLookupUrl: string;
  // The fund's time zone and the configured schedules, for the jobs started and listed over HTTP.
  readonly jobs: { readonly timezone: string; readonly schedules: Readonly<Partial<Record<string, string>>> };
  // People's accounts: the settings and the clock sessions and lockouts run on.
  readonly accounts: Accounts;
  // How many proxies to believe about the client's address and scheme.
  readonly trustProxyHops: number;
}

// A caller's own request id is kept when it is sane, so one id follows a
// request through a gateway, our logs and the audit log.
const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

export function apiRoutes(options: AppOptions): ApiRoute[] {
  const { db, rules } = options;
  return [
    ...systemRoutes(db),
    ...apiKeyRoutes(db),
    ...sessionRoutes(db, options.accounts),
    ...userRoutes(db, options.accounts),
    ...auditRoutes(db),
    // Before the rules' own routes: /v1/rules/{scheme}/{version} would take /v1/rules/impact-runs/{id}.
    ...impactRoutes({ db, rulesDir: rules.dir, today: options.today }),
    ...ruleRoutes(rules.book, {
      db,
      dir: rules.dir,
      today: options.today,
      afterPublish: rules.afterPublish,
      decisionsChanged: (books, request) => decisionsChangedSince(db, books, request),
    }),
    ...registryRoutes({ db, book: rules.book, defaultScheme: options.defaultScheme, today: options.today }),
    ...claimRoutes({ db, book: rules.book, defaultScheme: options.defaultScheme, today: options.today }),
    ...ledgerRoutes({ db, today: options.today }),
    ...premiumRoutes({ db, book: rules.book, today: options.today }),
    ...jobRoutes({ db, jobs: jobsOf(options) }),
    ...lpaFinanceRoutes({ db, today: options.today }),
    ...savingsRoutes({ db, today: options.today }),
    ...loanRoutes({ db, book: rules.book, today: options.today }),
    ...reportRoutes({ db }),
    ...noticeRoutes({ db, book: rules.book, today: options.today, heirLookupUrl: options.heirLookupUrl }),
  ];
}

// The jobs started over HTTP, by the API and the console alike.
function jobsOf(options: AppOptions) {
  const { db, rules, jobs, today } = options;
  return launchableJobs({ db, book: rules.book, timezone: jobs.timezone, schedules: jobs.schedules, today });
}

export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // Only the proxies the operator names are believed: X-Forwarded-Proto
  // from anyone else must not make a session cookie look safe to send over
  // plain HTTP, nor X-Forwarded-For move a client past the rate limits.
  if (options.trustProxyHops > 0) app.set('trust proxy', options.trustProxyHops);

  app.use(
    pinoHttp({
      logger: options.logger,
      genReqId: (request, response) => {
        const offered = request.headers['x-request-id'];
        const id = typeof offered === 'string' && requestIdPattern.test(offered) ? offered : randomUUID();
        response.setHeader('X-Request-Id', id);
        return id;
      },
      serializers: {
        req: (request: { id: unknown; method: string; url: string }) => ({
          id: request.id,
          method: request.method,
          url: urlForLog(request.url),
        }),
        res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
      },
      // A 503 is an outage or a lost race the client is told to retry, logged
      // once where it starts; a 500 is our bug.
      customLogLevel: (_request, response, error) =>
        error !== undefined || (response.statusCode >= 500 && response.statusCode !== 503)
          ? 'error'
          : response.statusCode >= 400
            ? 'warn'
            : 'info',
      // The error behind a 5xx is logged once, where it is handled; pino-http
      // would add a stand-in error with a stack of its own to every such line.
      customErrorObject: (_request, response, error, line: Record<string, unknown>) => {
        if (error.message !== `failed with status code ${response.statusCode}`) return line;
        const { err: _standIn, ...withoutStandIn } = line;
        return withoutStandIn;
      },
    }),
  );
  // The service is often reached over plain HTTP inside a ministry network;
  // upgrading its own asset requests to HTTPS would break /docs there.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  app.use(express.json({ limit: options.bodyLimitBytes, strict: true, type: ['application/json', 'application/*+json'] }));

  const routes = apiRoutes(options);
  const openApi = buildOpenApi(routes, { title: 'askesos-core', version: options.version });
  app.get('/openapi.json', (_request, response) => {
    response.json(openApi);
  });
  app.use(docsRouter());
  app.get('/heirs', heirLookupPage({ db: options.db, book: options.rules.book, today: options.today }));
  app.use(
    consoleRouter({
      db: options.db,
      accounts: options.accounts,
      today: options.today,
      timezone: options.jobs.timezone,
      rules: options.rules,
      defaultScheme: options.defaultScheme,
      jobs: jobsOf(options),
      log: options.logger,
    }),
  );

  const router = express.Router();
  for (const route of routes) mountRoute(router, options.db, options.accounts, route);
  app.use(router);

  app.use((request, response) => {
    sendProblem(response, 'notFound', `There is no ${request.method} ${request.path}. See /openapi.json for the routes.`);
  });
  app.use(problemHandler(outageLogFor(options.db, options.logger)));
  return app;
}
