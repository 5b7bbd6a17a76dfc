import type { Db } from '../db/knex.ts';
import type { Posted } from './post.ts';
import { type EntryToInsert, type InsertedEntry, insertEntries } from './store.ts';

// Group commit, as TigerBeetle batches transfers: entries that arrive while
// a statement is in flight wait and go together in the next one, so a busy
// service pays one round trip and one commit for many entries. Each entry is
// still all or nothing, and is answered only once its statement committed.
//
// A refusal of any entry rolls its whole statement back; then each entry of
// that batch is posted alone, which posts the good ones and gives each refusal
// its own precise reason. A key already taken is answered the same way.

const batchEntriesMax = 100;
const batchesInFlightMax = 2;

export type EntryBatcher = (entry: EntryToInsert, fieldPrefix: string) => Promise<Posted>;
interface Posting {
  // One entry in a statement of its own, with its refusal told precisely.
  alone(db: Db, entry: EntryToInsert, fieldPrefix: string): Promise<Posted>;
  // The answer for an entry its batch inserted.
  posted(entry: EntryToInsert, inserted: InsertedEntry): Posted;
}

interface Waiting {
  readonly entry: EntryToInsert;
  readonly fieldPrefix: string;
  resolve(posted: Posted): void;
  reject(error: unknown): void;
}

export function createEntryBatcher(db: Db, posting: Posting): EntryBatcher {
  const queue: Waiting[] = [];
  let inFlight = 0;

  // Up to the limit, and one entry per key: a second entry under a key waits
  // for the next batch, where it meets the first and is answered as its retry.
  function takeBatch(): Waiting[] {
    const batch: Waiting[] = [];
    const keys = new Set<string>();
    for (let index = 0; index < queue.length && batch.length < batchEntriesMax;) {
      const waiting = queue[index] as Waiting;
      const key = waiting.entry.draft.idempotencyKey;
      if (keys.has(key)) {
        index += 1;
        continue;
      }
      keys.add(key);
      batch.push(waiting);
      queue.splice(index, 1);
    }
    return batch;
  }

  function settle(waiting: Waiting, outcome: Promise<Posted>): Promise<void> {
    return outcome.then(waiting.resolve, waiting.reject);
  }

  async function run(batch: readonly Waiting[]): Promise<void> {
    if (batch.length === 1) {
      const [only] = batch as [Waiting];
      await settle(only, posting.alone(db, only.entry, only.fieldPrefix));
      return;
    }
    let inserted: Map<string, InsertedEntry>;
    try {
      inserted = await insertEntries(
        db,
        batch.map((waiting) => waiting.entry),
      );
    } catch {
      await Promise.all(batch.map((waiting) => settle(waiting, posting.alone(db, waiting.entry, waiting.fieldPrefix))));
      return;
    }
    await Promise.all(
      batch.map((waiting) => {
        const row = inserted.get(waiting.entry.draft.idempotencyKey);
        return settle(
          waiting,
          row === undefined
            ? posting.alone(db, waiting.entry, waiting.fieldPrefix)
            : Promise.resolve(posting.posted(waiting.entry, row)),
        );
      }),
    );
  }

  function pump(): void {
    while (inFlight < batchesInFlightMax && queue.length > 0) {
      const batch = takeBatch();
      inFlight += 1;
      void run(batch).finally(() => {
        inFlight -= 1;
        pump();
      });
    }
  }

  return (entry, fieldPrefix) =>
    new Promise<Posted>((resolve, reject) => {
      queue.push({ entry, fieldPrefix, resolve, reject });
      pump();
    });
}
