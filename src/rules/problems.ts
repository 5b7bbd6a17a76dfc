// A problem in a rule set, named by file and JSON path so the directorate can
// find it in the file they edited.
export interface RuleProblem {
  readonly file: string;
  readonly path: string;
  readonly message: string;
}

export function formatProblem(problem: RuleProblem): string {
  return `${problem.file}: ${problem.path}: ${problem.message}`;
}

export class RuleSetError extends Error {
  constructor(readonly problems: readonly RuleProblem[]) {
    super(
      `The rule sets have ${problems.length} problem(s):\n${problems.map((problem) => `  - ${formatProblem(problem)}`).join('\n')}`,
    );
    this.name = 'RuleSetError';
  }
}

export function jsonPath(segments: readonly PropertyKey[]): string {
  return segments.reduce<string>(
    (path, segment) =>
      typeof segment === 'number'
        ? `${path}[${segment}]`
        : /^[A-Za-z_$][\w$]*$/.test(String(segment))
          ? `${path}.${String(segment)}`
          : `${path}["${String(segment)}"]`,
    '$',
  );
}
