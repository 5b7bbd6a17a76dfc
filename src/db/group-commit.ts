// Group commit, as TigerBeetle batches transfers: requests that arrive while
// a batch is in flight wait and go together in the next one, so a busy
// service pays one transaction and one commit for many of them. Each request
// is still answered only once the batch that carried it committed.

export interface Waiting<I, R> {
  readonly item: I;
  resolve(result: R): void;
  reject(error: unknown): void;
}

export interface GroupCommitOptions<I, R> {
  readonly batchMax: number;
  readonly inFlightMax: number;
  // One request per key in flight: a second under a key waits until the
  // batch carrying the first has committed, and then meets it as its retry.
  // (Run together, the two would wait on each other's row locks or unique
  // keys, and could fail both batches.)
  keyOf(item: I): string;
  // Answers every request of the batch, one way or another.
  run(batch: readonly Waiting<I, R>[]): Promise<void>;
}

export function groupCommit<I, R>(options: GroupCommitOptions<I, R>): (item: I) => Promise<R> {
  const queue: Waiting<I, R>[] = [];
  const keysInFlight = new Set<string>();
  let inFlight = 0;

  function takeBatch(): Waiting<I, R>[] {
    const batch: Waiting<I, R>[] = [];
    for (let index = 0; index < queue.length && batch.length < options.batchMax;) {
      const waiting = queue[index] as Waiting<I, R>;
      const key = options.keyOf(waiting.item);
      if (keysInFlight.has(key)) {
        index += 1;
        continue;
      }
      keysInFlight.add(key);
      batch.push(waiting);
      queue.splice(index, 1);
    }
    return batch;
  }

  function pump(): void {
    while (inFlight < options.inFlightMax && queue.length > 0) {
      const batch = takeBatch();
      // Everything queued waits for a key in flight.
      if (batch.length === 0) return;
      inFlight += 1;
      void options
        .run(batch)
        .catch((error: unknown) => {
          for (const waiting of batch) waiting.reject(error);
        })
        .finally(() => {
          inFlight -= 1;
          for (const waiting of batch) keysInFlight.delete(options.keyOf(waiting.item));
          pump();
        });
    }
  }

  return (item) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      pump();
    });
}

// Settles a request with the outcome of its own work.
export function settle<R>(waiting: Waiting<unknown, R>, outcome: Promise<R>): Promise<void> {
  return outcome.then(waiting.resolve, waiting.reject);
}
