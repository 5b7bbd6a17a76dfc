import type { Db } from '../db/knex.ts';
import type { Logger } from '../log.ts';
import { LiveRuleBook } from '../rules/live.ts';
import { loadRuleBook } from '../rules/load.ts';
import { ruleVersionActCount, recordPublishedVersions } from '../rules/store.ts';

export interface CurrentRuleBook {
  readonly book: LiveRuleBook;
  // Reads the rules folder again and decides by what is published there now.
  reload(): Promise<void>;
  // Reloads when the database has recorded a publication since the last
  // look: one made with the CLI, or by another replica.
  reloadIfPublished(): Promise<boolean>;
  stop(): void;
}

// The service's rule book, kept current without a restart: at once after a
// publish over HTTP, and within a poll interval of one made elsewhere. A
// reload that fails (a folder half copied) keeps the book in use and says so.
export async function keepRuleBookCurrent(
  db: Db,
  rulesDir: string,
  logger: Logger,
  pollMs: number,
): Promise<CurrentRuleBook & { newlyRecorded: readonly string[] }> {
  const initial = loadRuleBook(rulesDir);
  const { newlyRecorded } = await recordPublishedVersions(db, initial, rulesDir);
  const book = new LiveRuleBook(initial);
  let seen = await ruleVersionActCount(db);

  const reload = async () => {
    const next = loadRuleBook(rulesDir);
    const recorded = await recordPublishedVersions(db, next, rulesDir);
    book.replace(next);
    seen = await ruleVersionActCount(db);
    logger.info({ schemes: [...next.schemes.keys()], newlyRecorded: recorded.newlyRecorded }, 'rule book reloaded');
  };
  const reloadIfPublished = async () => {
    if ((await ruleVersionActCount(db)) === seen) return false;
    await reload();
    return true;
  };
  const timer = setInterval(() => {
    reloadIfPublished().catch((error: unknown) =>
      logger.error(
        { err: error },
        'a publication was recorded but the rule book could not be reloaded; still deciding by the one in use',
      ),
    );
  }, pollMs);
  timer.unref();
  return { book, reload, reloadIfPublished, stop: () => clearInterval(timer), newlyRecorded };
}
