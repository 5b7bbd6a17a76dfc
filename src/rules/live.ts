import type { RuleBook } from './load.ts';

// The book a running service decides by. A version published over HTTP, or by
// another replica or the CLI, replaces it without a restart: every reader
// holds this one object and reads `schemes` afresh at each decision. The
// decision functions are synchronous, so each sees one book whole.
export class LiveRuleBook implements RuleBook {
  #current: RuleBook;

  constructor(book: RuleBook) {
    this.#current = book;
  }

  get schemes(): RuleBook['schemes'] {
    return this.#current.schemes;
  }

  get withdrawn(): RuleBook['withdrawn'] {
    return this.#current.withdrawn;
  }

  replace(book: RuleBook): void {
    this.#current = book;
  }
}
