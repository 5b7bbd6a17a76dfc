import cron from 'node-cron';
import { z } from 'zod';

// Every setting the service reads from its environment, parsed once at start.
// A bad value stops start-up with a message that names the variable.

const booleanText = z.enum(['true', 'false']).transform((text) => text === 'true');

const integerText = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

function cronExpression() {
  return z.string().refine((text) => cron.validate(text), 'must be a cron expression such as "0 2 1 * *"');
}

export const configSchema = z.object({
  // 0 asks the operating system for any free port (tests, side-by-side instances).
  PORT: integerText(0, 65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/.+/, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DB_POOL_MAX: integerText(1, 200).default(10),
  RULES_DIR: z.string().min(1).default('./rules'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT_BYTES: integerText(1024, 50 * 1024 * 1024).default(1024 * 1024),
  SCHEDULER_ENABLED: booleanText.default(true),
  // The fund's own clock: what "today" is for a request, and when jobs run.
  TIMEZONE: z.string().refine(isKnownTimeZone, 'must be an IANA time zone such as Asia/Jakarta').default('Asia/Jakarta'),
  // Job schedules, cron expressions read in TIMEZONE; unset, each job keeps
  // the schedule src/jobs/registry.ts gives it.
  SCHEDULE_ELIGIBILITY_RECHECK: cronExpression().optional(),
  SCHEDULE_PREMIUM_CYCLE: cronExpression().optional(),
  SCHEDULE_LPA_HONORARIUM: cronExpression().optional(),
  SCHEDULE_MONTHLY_REPORTS: cronExpression().optional(),
  SCHEDULE_SAVINGS_DUES: cronExpression().optional(),
  SCHEDULE_LOAN_ARREARS: cronExpression().optional(),
  // Where the QR code on a membership card leads, with {number} for the card
  // number: the page where an heir learns that the card's holder is insured
  // and which LPA to call. This service has no such page yet; it serves the
  // lookup behind one (POST /v1/membership-lookups).
  HEIR_LOOKUP_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .refine((text) => text.includes('{number}'), 'must contain {number}, where the card number goes')
    .default('http://localhost:3000/heirs?participant={number}'),
  // The scheme new enrolments are decided by.
  DEFAULT_SCHEME: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,39}$/, 'must be a scheme name such as standalone')
    .default('standalone'),
  // How many proxies in front of the service to believe about the client's
  // address and scheme (X-Forwarded-For, X-Forwarded-Proto). 0 believes none:
  // a request is then "over TLS" only when it reached this process over TLS.
  TRUST_PROXY_HOPS: integerText(0, 10).default(0),
  // People's accounts: how long a password must be, how many wrong ones in a
  // row lock an account and for how long, and how long a session lives.
  PASSWORD_LENGTH_MIN: integerText(8, 128).default(12),
  SIGN_IN_FAILURES_MAX: integerText(1, 100).default(5),
  SIGN_IN_LOCKOUT_MINUTES: integerText(1, 24 * 60).default(15),
  SESSION_IDLE_MINUTES: integerText(1, 24 * 60).default(60),
  SESSION_LIFETIME_HOURS: integerText(1, 24 * 30).default(12),
});

export type Config = z.output<typeof configSchema>;

// The account settings in the units the code counts in.
export interface AccountSettings {
  readonly passwordLengthMin: number;
  readonly signInFailuresMax: number;
  readonly lockoutSeconds: number;
  readonly sessionIdleSeconds: number;
  readonly sessionLifetimeSeconds: number;
}

export function accountSettings(config: Config): AccountSettings {
  return {
    passwordLengthMin: config.PASSWORD_LENGTH_MIN,
    signInFailuresMax: config.SIGN_IN_FAILURES_MAX,
    lockoutSeconds: config.SIGN_IN_LOCKOUT_MINUTES * 60,
    sessionIdleSeconds: config.SESSION_IDLE_MINUTES * 60,
    sessionLifetimeSeconds: config.SESSION_LIFETIME_HOURS * 3600,
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  // An empty variable means "unset": shells and .env files often leave them blank.
  const present = Object.fromEntries(
    Object.keys(configSchema.shape).flatMap((name) => {
      const value = env[name];
      return value === undefined || value === '' ? [] : [[name, value]];
    }),
  );
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map(
        (issue) => `${issue.path.join('.')}: ${issue.message} (got ${JSON.stringify(present[String(issue.path[0])])})`,
      ),
    );
  }
  return parsed.data;
}

function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
