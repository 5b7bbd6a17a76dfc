import { type Db, withTransaction } from '../db/knex.ts';
import type { Logger } from '../log.ts';
import type { Language } from './catalogue.ts';
import { composeNotice, renderNoticeText } from './render-notice.ts';
import { findNotice, lockPendingWithPhone, markSent } from './store.ts';

// Delivers a notice's text to a participant's phone. The fund has no
// gateway contract yet: the default only logs, and a real one (an SMS or
// WhatsApp provider) implements this and is never called from tests.
export interface NoticeSender {
  readonly channel: string;
  // Resolves with the provider's message id once the message is accepted; throws when it is not.
  send(message: { noticeId: string; to: string; text: string }): Promise<{ reference: string | null }>;
}

export function logNoticeSender(logger: Logger): NoticeSender {
  return {
    channel: 'log',
    send: async ({ noticeId, to, text }) => {
      // A log is read by more people than the outbox: the number is masked,
      // and the text, which names the participant, stays in the outbox.
      logger.info({ noticeId, to: `…${to.slice(-4)}`, characters: text.length }, 'notice sent (log only: no gateway configured)');
      return { reference: null };
    },
  };
}

export const noticesPerSendRunMax = 500;

export interface SendSummary {
  readonly sent: number;
  readonly failed: number;
}

// Pending notices to participants with a phone go out one by one, oldest
// first: each is locked, sent and marked sent in one transaction, so a
// notice whose sending failed stays pending for the next run, and two runs
// at once never send one twice. Those without a phone wait for the LPA to
// hand them over on paper.
export async function sendPendingNotices(
  db: Db,
  sender: NoticeSender,
  options: { lpaId?: string | undefined; limit: number; language: Language },
  logger: Logger,
): Promise<SendSummary> {
  let sent = 0;
  let failed = 0;
  for (let attempted = 0; attempted < Math.min(options.limit, noticesPerSendRunMax); attempted += 1) {
    const outcome = await withTransaction(db, async (trx) => {
      // The ones that failed earlier in this run come first, still pending: skip past them.
      const next = (await lockPendingWithPhone(trx, { lpaId: options.lpaId, limit: failed + 1 }))[failed];
      if (next === undefined) return 'none' as const;
      const stored = await findNotice(trx, next);
      if (stored === null || stored.letterhead.participantPhone === null) throw new Error(`pending notice ${next} vanished`);
      const text = renderNoticeText(composeNotice(stored.notice, stored.letterhead, options.language));
      try {
        const { reference } = await sender.send({ noticeId: next, to: stored.letterhead.participantPhone, text });
        await markSent(trx, next, { channel: sender.channel, reference });
        return 'sent' as const;
      } catch (error) {
        logger.warn({ err: error, noticeId: next }, 'notice not sent; it stays pending');
        return 'failed' as const;
      }
    });
    if (outcome === 'none') break;
    if (outcome === 'sent') sent += 1;
    else failed += 1;
  }
  return { sent, failed };
}
