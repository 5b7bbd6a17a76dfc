import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      DATA_DIR: './data',
      LOG_LEVEL: 'info',
      SCHEDULER_ENABLED: true,
      TIMEZONE: 'Asia/Jakarta',
      DEFAULT_SCHEME: 'standalone',
      BODY_LIMIT_BYTES: 1048576,
    });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('treats an empty variable as unset', () => {
    const config = loadConfig({ PORT: '', DATABASE_URL: '' });
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('reads good values', () => {
    expect(
      loadConfig({ PORT: '8080', DATABASE_URL: 'postgres://localhost/askesos', SCHEDULER_ENABLED: 'false', LOG_LEVEL: 'warn' }),
    ).toMatchObject({ PORT: 8080, DATABASE_URL: 'postgres://localhost/askesos', SCHEDULER_ENABLED: false, LOG_LEVEL: 'warn' });
  });

  it.each([
    ['PORT', 'abc', 'must be a whole number'],
    ['PORT', '70000', 'must be at most 65535'],
    ['PORT', '-1', 'must be a whole number'],
    ['DATABASE_URL', 'mysql://localhost/x', 'must be a postgres:// or postgresql:// URL'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL'],
    ['SCHEDULER_ENABLED', 'yes', 'SCHEDULER_ENABLED'],
    ['TIMEZONE', 'Mars/Olympus_Mons', 'must be an IANA time zone'],
    ['DEFAULT_SCHEME', 'Standalone!', 'must be a scheme name'],
    ['BODY_LIMIT_BYTES', '10', 'must be at least 1024'],
    ['DB_POOL_MAX', '-1', 'must be a whole number'],
  ])('refuses %s=%s, naming the variable', (name, value, message) => {
    let caught: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`${name}:`);
    expect(problems[0]).toContain(message);
    expect(problems[0]).toContain(JSON.stringify(value));
  });

  it('reports every bad variable at once', () => {
    expect(() => loadConfig({ PORT: 'x', LOG_LEVEL: 'y' })).toThrow(/PORT:[\s\S]*LOG_LEVEL:/);
  });

  it('takes job schedules as cron expressions and names a bad one', () => {
    expect(loadConfig({ SCHEDULE_PREMIUM_CYCLE: '30 3 1 * *' })).toMatchObject({ SCHEDULE_PREMIUM_CYCLE: '30 3 1 * *' });
    expect(loadConfig({}).SCHEDULE_PREMIUM_CYCLE).toBeUndefined();
    expect(() => loadConfig({ SCHEDULE_ELIGIBILITY_RECHECK: '0 1 32 * *' })).toThrow(
      'SCHEDULE_ELIGIBILITY_RECHECK: must be a cron expression such as "0 2 1 * *" (got "0 1 32 * *")',
    );
  });
});
