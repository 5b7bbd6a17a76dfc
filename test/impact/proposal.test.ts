import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { proposedVersion, withoutProposal, withProposedInForce } from '../../src/impact/proposal.ts';
import { versionInForce } from '../../src/rules/evaluate.ts';
import { shippedRules } from '../support/api.ts';
import { bookWithProposal, proposedName } from './support.ts';

const book = bookWithProposal({ accidentAllowance: '600000.00' });
const proposed = proposedVersion(book, 'standalone', proposedName);

describe('the proposed version', () => {
  it('decides every date of its scheme, from the first version’s start, in the book for the replay, and no other scheme', () => {
    const replayed = withProposedInForce(book, proposed);
    for (const date of ['2026-01-01', '2026-11-30', '2027-07-15', '2035-01-01'])
      expect(versionInForce(replayed, 'standalone', date).version).toBe(proposedName);
    expect(() => versionInForce(replayed, 'standalone', '2025-12-31')).toThrow(/No version of scheme "standalone"/);
    expect(versionInForce(withProposedInForce(shippedRules, proposed), 'askesos-ni-2012', '2013-06-01').version).toBe('2013.1');
  });

  it('is taken out of the book in force, the version before it running on where it would have ended', () => {
    const inForce = withoutProposal(book, proposed);
    expect(versionInForce(book, 'standalone', '2027-10-01').version).toBe(proposedName);
    expect(versionInForce(inForce, 'standalone', '2027-10-01').version).toBe('2027.3');
    expect(versionInForce(inForce, 'standalone', '2027-06-30').version).toBe('2027.2');
    expect(withoutProposal(shippedRules, proposed)).toBe(shippedRules);
  });

  it('is found by name, or refused naming the versions there are', () => {
    expect(proposed.parameters.get('ceiling.accident-allowance')?.value).toBe('600000.00');
    expect(() => proposedVersion(book, 'standalone', '2099.1')).toThrow(InputError);
  });
});
