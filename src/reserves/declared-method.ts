import { amount, type Amount } from '../money/index.ts';
import type { IbnrMethod } from '../rules/model.ts';
import { bornhuetterFerguson } from './methods/bornhuetter-ferguson.ts';
import { type ChainLadder, chainLadder } from './methods/chain-ladder.ts';
import { expectedLossRatio, type PremiumByOrigin } from './methods/expected-loss-ratio.ts';
import { mackStandardErrors } from './methods/mack.ts';
import { type Triangle, TriangleError } from './methods/triangle.ts';

// Pure: a scheme's IBNR by every triangle method on its own monthly triangle
// of reported claims, and the one its rules declare, falling back as they
// say when the history is too short or the chain ladder cannot develop the
// triangle. Unrounded: the booking rounds as the version says.

export type TriangleIbnrMethod = Exclude<IbnrMethod, { method: 'earned-premium-share' }>;
export type TriangleMethodName = TriangleIbnrMethod['method'];

type Estimate = { readonly ibnr: Amount } | { readonly reason: string };

export interface EveryMethod {
  readonly chainLadder: { readonly ibnr: Amount; readonly standardError: Amount | null } | { readonly reason: string };
  readonly bornhuetterFerguson: Estimate;
  readonly expectedLossRatio: { readonly ibnr: Amount };
}

export interface DeclaredIbnr {
  readonly method: TriangleMethodName;
  readonly ibnr: Amount;
  // Why the method used is not the one declared; null when it is.
  readonly fallbackReason: string | null;
  readonly methods: EveryMethod;
}

export function ibnrByEveryMethod(triangle: Triangle, premium: PremiumByOrigin, lossRatio: Amount): EveryMethod {
  const ladder = developed(triangle);
  const latest = triangle.rows.map((row, index) => ({
    origin: triangle.origins[index] ?? '',
    latest: row.at(-1) ?? amount('0'),
  }));
  return {
    chainLadder: ladderFigure(triangle, ladder),
    bornhuetterFerguson: 'reason' in ladder ? ladder : { ibnr: bornhuetterFerguson(ladder, premium, lossRatio).total.ibnr },
    expectedLossRatio: { ibnr: expectedLossRatio({ origins: latest }, premium, lossRatio).total.ibnr },
  };
}

// For a scheme that holds a share of earned premium: the chain ladder on its
// own triangle, for a reader to set beside what is held. The loss-ratio
// methods need a ratio such rules do not declare.
export function chainLadderBeside(triangle: Triangle): EveryMethod['chainLadder'] {
  return ladderFigure(triangle, developed(triangle));
}

function ladderFigure(triangle: Triangle, ladder: ChainLadder | { reason: string }): EveryMethod['chainLadder'] {
  return 'reason' in ladder ? ladder : { ibnr: ladder.total.ibnr, standardError: standardError(triangle, ladder) };
}

function developed(triangle: Triangle): ChainLadder | { reason: string } {
  try {
    return chainLadder(triangle);
  } catch (error) {
    if (!(error instanceof TriangleError)) throw error;
    return { reason: error.message };
  }
}

// `history` is the months from the scheme's first claim's incident month to
// the month reserved for, both counted; 0 when it has had none.
export function declaredIbnr(declared: TriangleIbnrMethod, methods: EveryMethod, history: number): DeclaredIbnr {
  const chosen = (method: TriangleMethodName, ibnr: Amount, fallbackReason: string | null): DeclaredIbnr => ({
    method,
    ibnr,
    fallbackReason,
    methods,
  });
  const lossRatioMethod = (method: 'bornhuetter-ferguson' | 'expected-loss-ratio', why: string | null): DeclaredIbnr => {
    const bf = methods.bornhuetterFerguson;
    if (method === 'expected-loss-ratio') return chosen(method, methods.expectedLossRatio.ibnr, why);
    if ('reason' in bf)
      return chosen(
        'expected-loss-ratio',
        methods.expectedLossRatio.ibnr,
        [why, `no development factors: ${bf.reason}`].filter(Boolean).join('; '),
      );
    return chosen(method, bf.ibnr, why);
  };
  switch (declared.method) {
    case 'chain-ladder': {
      const minimum = Number(declared.minimumHistory);
      if (history < minimum)
        return lossRatioMethod(declared.fallback, `${history} months of claims history, ${minimum} needed for the chain ladder`);
      const ladder = methods.chainLadder;
      if ('reason' in ladder)
        return lossRatioMethod(declared.fallback, `the chain ladder cannot develop the triangle: ${ladder.reason}`);
      return chosen('chain-ladder', ladder.ibnr, null);
    }
    case 'bornhuetter-ferguson':
    case 'expected-loss-ratio':
      return lossRatioMethod(declared.method, null);
    default: {
      const unreachable: never = declared;
      throw new Error(`unknown IBNR method ${JSON.stringify(unreachable)}`);
    }
  }
}

// A reserve is never below nothing: where claims reported already exceed
// what a method expected, it holds none rather than a negative IBNR.
export function heldIbnr(ibnr: Amount): Amount {
  return ibnr.isNegative() ? amount('0') : ibnr;
}

function standardError(triangle: Triangle, ladder: ChainLadder): Amount | null {
  try {
    return mackStandardErrors(triangle, ladder, 'mack').totalStandardError;
  } catch (error) {
    if (error instanceof TriangleError) return null;
    throw error;
  }
}
