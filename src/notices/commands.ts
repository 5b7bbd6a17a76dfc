import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { printTable, uuidArgument } from '../shared/cli/output.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/knex.ts';
import { InputError, NotFoundError } from '../errors.ts';
import { createLogger } from '../log.ts';
import { loadRuleBook } from '../rules/load.ts';
import { languages, type Language } from './catalogue.ts';
import { membershipCardPdf } from './card.ts';
import { noticeStatuses } from './model.ts';
import { composeNotice, renderNoticePdf, renderNoticeText } from './render-notice.ts';
import { logNoticeSender, noticesPerSendRunMax, sendPendingNotices } from './sender.ts';
import { findNotice, listNotices } from './store.ts';

// What an operator lists in one go; the API pages.
const noticesListedMax = 1000;

function language(value: string | undefined): Language {
  const lang = value ?? 'id';
  if (!(languages as readonly string[]).includes(lang))
    throw new InputError([{ field: '--lang', message: `must be one of: ${languages.join(', ')}` }]);
  return lang as Language;
}

// `askesos participants card …` and `askesos notices …`: the card to print,
// and the outbox an LPA works through.
export function registerNoticeCommands(
  program: Command,
  config: () => Config,
  withDb: <T>(work: (db: Db) => Promise<T>) => Promise<T>,
): void {
  program
    .command('participants')
    .description('Participants: print a membership card')
    .command('card')
    .description('Write the membership card as a PDF (ID-1 size, front and back, in Bahasa Indonesia)')
    .argument('<id>', 'participant id')
    .requiredOption('--out <file>', 'the PDF file to write')
    .action(async (id: string, options: { out: string }) => {
      const settings = config();
      const { pdf, cardNumber } = await withDb((db) =>
        membershipCardPdf(db, loadRuleBook(settings.RULES_DIR), {
          participantId: uuidArgument('id', id, 'must be a participant id (a UUID)'),
          heirLookupUrl: settings.HEIR_LOOKUP_URL,
          visible: () => true,
        }),
      );
      writeFileSync(options.out, pdf);
      process.stdout.write(`Wrote card ${cardNumber} to ${options.out}.\n`);
    });

  const notices = program.command('notices').description('Notices owed to participants: list, render, send');
  notices
    .command('list')
    .description('The outbox: notices of decisions, in pages by id')
    .option('--lpa <id>', 'one LPA’s notices')
    .option('--status <status>', `only ${noticeStatuses.join(', ')}`)
    .option('--json', 'print JSON')
    .action(async (options: { lpa?: string; status?: string; json?: boolean }) => {
      const status = options.status;
      if (status !== undefined && !(noticeStatuses as readonly string[]).includes(status))
        throw new InputError([{ field: '--status', message: `must be one of: ${noticeStatuses.join(', ')}` }]);
      const found = await withDb((db) =>
        listNotices(db, {
          lpaId: options.lpa === undefined ? undefined : uuidArgument('--lpa', options.lpa, 'must be an LPA id (a UUID)'),
          status: status as (typeof noticeStatuses)[number] | undefined,
          limit: noticesListedMax,
        }),
      );
      const rows = found.map(({ notice }) => notice);
      if (options.json === true) {
        process.stdout.write(`${JSON.stringify({ notices: rows }, null, 2)}\n`);
        return;
      }
      if (rows.length === 0) {
        process.stdout.write('No notices.\n');
        return;
      }
      printTable(
        rows.map((notice) => ({ ...notice, participant: notice.participantName })),
        ['id', 'kind', 'decidedOn', 'status', 'participant'],
      );
    });
  notices
    .command('render')
    .description('A notice as plain text (default) or a PDF letter')
    .argument('<id>', 'notice id')
    .option('--lang <lang>', 'id (Bahasa Indonesia, the default) or en')
    .option('--out <file>', 'write a PDF to this file instead of printing text')
    .action(async (id: string, options: { lang?: string; out?: string }) => {
      const lang = language(options.lang);
      const found = await withDb((db) => findNotice(db, uuidArgument('id', id, 'must be a notice id (a UUID)')));
      if (found === null) throw new NotFoundError('notice', id);
      const document = composeNotice(found.notice, found.letterhead, lang);
      if (options.out === undefined) {
        process.stdout.write(renderNoticeText(document));
        return;
      }
      writeFileSync(options.out, await renderNoticePdf(document, found.notice.decidedOn));
      process.stdout.write(`Wrote notice ${found.notice.id} to ${options.out}.\n`);
    });
  notices
    .command('send')
    .description('Send pending notices to participants who have a phone, through the configured sender (the default only logs)')
    .option('--lpa <id>', 'one LPA’s notices')
    .option('--limit <n>', `at most this many (1 to ${noticesPerSendRunMax})`, String(noticesPerSendRunMax))
    .option('--lang <lang>', 'id (Bahasa Indonesia, the default) or en')
    .action(async (options: { lpa?: string; limit: string; lang?: string }) => {
      const limit = Number(options.limit);
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > noticesPerSendRunMax)
        throw new InputError([{ field: '--limit', message: `must be a whole number from 1 to ${noticesPerSendRunMax}` }]);
      const logger = createLogger(config().LOG_LEVEL);
      const summary = await withDb((db) =>
        sendPendingNotices(
          db,
          logNoticeSender(logger),
          {
            lpaId: options.lpa === undefined ? undefined : uuidArgument('--lpa', options.lpa, 'must be an LPA id (a UUID)'),
            limit,
            language: language(options.lang),
          },
          logger,
        ),
      );
      process.stdout.write(
        `Sent ${summary.sent} notice(s)${summary.failed > 0 ? `; ${summary.failed} failed and stay pending` : ''}.\n`,
      );
    });
}
