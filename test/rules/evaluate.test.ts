import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide, FactsError, RuleNotInForceError, UnknownSchemeError } from '../../src/rules/evaluate.ts';
import { loadRuleBook, type RuleBook } from '../../src/rules/load.ts';
import { referenceEvents } from '../../src/rules/reference.ts';
import { at, type ScratchRules, scratchRules } from './support.ts';

const deathInYear1 = {
  claimType: 'death',
  coverageYear: 1,
  sicknessDays: null,
  priorPaidClaims: 0,
  deathCause: 'natural',
  costClaimed: null,
  monthlyWage: null,
  reportDelayDays: 0,
};

describe('a new version with a later date', () => {
  let rules: ScratchRules;
  let book: RuleBook;

  beforeAll(() => {
    // A copy of askesos-2003 made open-ended, then a 2008 version that raises
    // the year-1 death benefit: the new version must change only decisions
    // dated on or after its start.
    rules = scratchRules(['askesos-2003']);
    rules.edit(join('askesos-2003', '2003.1', 'manifest.json'), (json) => delete json.effectiveTo);
    rules.copyVersion('askesos-2003', '2003.1', '2008.1');
    rules.edit(join('askesos-2003', '2008.1', 'manifest.json'), (json) => {
      json.version = '2008.1';
      json.effectiveFrom = '2008-01-01';
    });
    rules.edit(
      join('askesos-2003', '2008.1', 'manifest.json'),
      (json) => (at(json, 'parameters', 'death.year-1').amount = '450000.00'),
    );
    rules.publish('askesos-2003', '2008.1');
    book = loadRuleBook(rules.dir);
  });
  afterAll(() => rules.dispose());

  it.each([
    ['2003-01-01', '2003.1', '400000.00'],
    ['2007-12-31', '2003.1', '400000.00'],
    ['2008-01-01', '2008.1', '450000.00'],
    ['2030-06-30', '2008.1', '450000.00'],
  ])('an incident on %s is decided by %s and pays %s', (date, version, amount) => {
    const decision = decide(book, { scheme: 'askesos-2003', area: 'benefits', date, facts: deathInYear1 });
    expect(decision.version).toBe(version);
    expect(decision.events.map((event) => event.params.amount)).toEqual([amount]);
    expect(decision.hash).toBe(book.schemes.get('askesos-2003')?.find((entry) => entry.version === version)?.hash);
  });

  it('ends the earlier version the day before the later one starts', () => {
    expect(book.schemes.get('askesos-2003')?.map((entry) => [entry.version, entry.effectiveFrom, entry.effectiveTo])).toEqual([
      ['2003.1', '2003-01-01', '2007-12-31'],
      ['2008.1', '2008-01-01', null],
    ]);
  });
});

describe('decide', () => {
  const book = loadRuleBook('rules');

  it('fails loudly when no version is in force, never with a silent zero', () => {
    expect(() => decide(book, { scheme: 'askesos-2003', area: 'benefits', date: '2002-12-31', facts: deathInYear1 })).toThrow(
      RuleNotInForceError,
    );
  });

  it('refuses an unknown scheme', () => {
    expect(() => decide(book, { scheme: 'asuransi', area: 'benefits', date: '2005-01-01', facts: deathInYear1 })).toThrow(
      UnknownSchemeError,
    );
  });

  it('names every missing, mistyped and unknown fact', () => {
    const { sicknessDays: _omitted, ...missing } = deathInYear1;
    let caught: unknown;
    try {
      decide(book, {
        scheme: 'askesos-2003',
        area: 'benefits',
        date: '2005-01-01',
        facts: { ...missing, coverageYear: '1', costClaimed: 150000, colour: 'red' },
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(FactsError);
    expect((caught as FactsError).issues).toEqual([
      { field: 'facts.coverageYear', message: 'must be a whole number' },
      { field: 'facts.sicknessDays', message: expect.stringContaining('is required') },
      { field: 'facts.costClaimed', message: 'must be a decimal string such as "250000.00", not a JSON number' },
      { field: 'facts.colour', message: 'is not a fact of benefits' },
    ]);
  });

  it('explains every rule with the fact values it saw', () => {
    const decision = decide(book, { scheme: 'askesos-2003', area: 'benefits', date: '2005-01-01', facts: deathInYear1 });
    const fired = decision.trace.filter((rule) => rule.fired).map((rule) => rule.rule);
    expect(fired).toEqual(['death in coverage year 1 pays Rp 400.000']);
    expect(decision.trace.filter((rule) => rule.fired).map((rule) => rule.ruleId)).toEqual(['death-benefit-first-year']);
    const sickness = decision.trace.find((rule) => rule.ruleId === 'sickness-allowance');
    expect(sickness?.rule).toBe('sickness of 5 to 10 days pays Rp 250.000');
    expect(sickness?.conditions).toMatchObject({
      result: false,
      all: expect.arrayContaining([
        { fact: 'claimType', operator: 'equal', value: 'sickness', factValue: 'death', result: false },
      ]),
    });
  });

  it('agrees with json-rules-engine under 200 concurrent evaluations', async () => {
    const version = book.schemes.get('askesos-2003')?.[0];
    const rules = version?.areas.benefits.rules ?? [];
    const runs = await Promise.all(
      Array.from({ length: 200 }, (_, index) => referenceEvents(rules, { ...deathInYear1, coverageYear: (index % 4) + 1 })),
    );
    runs.forEach((events, index) => {
      const compiled = version?.compiled.benefits.events({ ...deathInYear1, coverageYear: (index % 4) + 1 }) ?? [];
      expect(events).toHaveLength(1);
      expect(events.map((event) => event.type)).toEqual(compiled.map((event) => event.type));
    });
  });
});
