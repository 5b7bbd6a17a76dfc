import type { Db } from '../db/knex.ts';
import { groupCommit, settle, type Waiting } from '../db/group-commit.ts';
import type { Posted } from './model.ts';
import { type EntryToInsert, type InsertedEntry, insertEntries } from './store.ts';

// Entries posted at the same moment share one statement and one commit (see
// db/group-commit.ts). Each entry is still all or nothing.
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

interface Item {
  readonly entry: EntryToInsert;
  readonly fieldPrefix: string;
}

export function createEntryBatcher(db: Db, posting: Posting): EntryBatcher {
  const alone = (waiting: Waiting<Item, Posted>) =>
    settle(waiting, posting.alone(db, waiting.item.entry, waiting.item.fieldPrefix));

  async function run(batch: readonly Waiting<Item, Posted>[]): Promise<void> {
    if (batch.length === 1) {
      await alone(batch[0] as Waiting<Item, Posted>);
      return;
    }
    let inserted: Map<string, InsertedEntry>;
    try {
      inserted = await insertEntries(
        db,
        batch.map((waiting) => waiting.item.entry),
      );
    } catch {
      await Promise.all(batch.map(alone));
      return;
    }
    await Promise.all(
      batch.map((waiting) => {
        const row = inserted.get(waiting.item.entry.draft.idempotencyKey);
        return row === undefined ? alone(waiting) : settle(waiting, Promise.resolve(posting.posted(waiting.item.entry, row)));
      }),
    );
  }

  const post = groupCommit<Item, Posted>({
    batchMax: batchEntriesMax,
    inFlightMax: batchesInFlightMax,
    keyOf: (item) => item.entry.draft.idempotencyKey,
    run,
  });
  return (entry, fieldPrefix) => post({ entry, fieldPrefix });
}
