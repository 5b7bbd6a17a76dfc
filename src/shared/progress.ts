// How a long piece of work tells its runner how far it has got: the job run
// records it, the CLI draws a bar from it.
export interface Progress {
  readonly done: number;
  // What the run will have done when it finishes, when it knows.
  readonly total: number | null;
}

export type ReportProgress = (progress: Progress) => Promise<void>;
