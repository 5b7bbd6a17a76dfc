import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadRuleBook } from '../../src/rules/load.ts';
import { RuleSetError } from '../../src/rules/problems.ts';
import { at, type ScratchRules, scratchRules } from './support.ts';

const version = join('askesos-2003', '2003.1');

function problemsOf(dir: string) {
  try {
    loadRuleBook(dir);
  } catch (error) {
    if (error instanceof RuleSetError) return error.problems;
    throw error;
  }
  throw new Error('the rule book loaded; expected it to be refused');
}

describe('a rule set is refused, naming file and JSON path, when it has', () => {
  let rules: ScratchRules;
  afterEach(() => rules.dispose());

  type Breakage = [string, (rules: ScratchRules) => void, string, string, string];
  it.each<Breakage>([
    [
      'malformed JSON',
      (r) => r.write(join(version, 'benefits.json'), '{"area": "benefits",\n  "rules": ['),
      'benefits.json',
      '$',
      'not valid JSON',
    ],
    [
      'an unknown operator',
      (r) =>
        r.edit(join(version, 'eligibility.json'), (json) => (at(json, 'rules', 1, 'conditions', 'all', 0).operator = 'equals')),
      'eligibility.json',
      '$.rules[1].conditions.all[0].operator',
      'unknown operator "equals"',
    ],
    [
      'an unknown fact',
      (r) => r.edit(join(version, 'eligibility.json'), (json) => (at(json, 'rules', 1, 'conditions', 'all', 0).fact = 'income')),
      'eligibility.json',
      '$.rules[1].conditions.all[0].fact',
      'unknown fact "income" for eligibility',
    ],
    [
      'an amount as a JSON number',
      (r) =>
        r.edit(join(version, 'manifest.json'), (json) => (at(json, 'parameters', 'ceiling.sickness-allowance').amount = 250000)),
      'manifest.json',
      '$.parameters["ceiling.sickness-allowance"].amount',
      'not a JSON number',
    ],
    [
      'an amount above the declared ceiling',
      (r) => r.edit(join(version, 'manifest.json'), (json) => (at(json, 'parameters', 'death.year-2').amount = '900000.00')),
      'benefits.json',
      '$.rules[5].event.params.amount',
      'amount 900000.00 is above the ceiling 800000.00 declared for "death"',
    ],
    [
      'a benefit with no declared ceiling',
      (r) => r.edit(join(version, 'benefits.json'), (json) => (at(json, 'rules', 0, 'event', 'params').benefit = 'funeral')),
      'benefits.json',
      '$.rules[0].event.params',
      'declares no parameter "ceiling.funeral"',
    ],
    [
      'a rule with no source',
      (r) => r.edit(join(version, 'benefits.json'), (json) => delete at(json, 'rules', 0, 'event', 'params').source),
      'benefits.json',
      '$.rules[0].event.params.source',
      'is missing: every value names its source {document, place}',
    ],
    [
      'a ceiling with no source',
      (r) => r.edit(join(version, 'manifest.json'), (json) => delete at(json, 'parameters', 'ceiling.death').source),
      'manifest.json',
      '$.parameters["ceiling.death"].source',
      'is missing: every value names its source',
    ],
    [
      'an illustrative value that does not say why',
      (r) =>
        r.edit(join(version, 'benefits.json'), (json) => {
          at(json, 'rules', 0, 'event', 'params').source = { document: 'A decree', place: 'article 1', illustrative: true };
        }),
      'benefits.json',
      '$.rules[0].event.params.source.reason',
      'is given exactly when the value is illustrative: true',
    ],
    [
      'a source as free text',
      (r) =>
        r.edit(join(version, 'benefits.json'), (json) => (at(json, 'rules', 0, 'event', 'params').source = 'the directorate')),
      'benefits.json',
      '$.rules[0].event.params.source',
      'expected object',
    ],
    [
      'a missing manifest field',
      (r) => r.edit(join(version, 'manifest.json'), (json) => delete json.currency),
      'manifest.json',
      '$.currency',
      'expected "IDR"',
    ],
    [
      'a built-in numeric operator on a money fact',
      (r) =>
        r.edit(join(version, 'benefits.json'), (json) => {
          (at(json, 'rules', 0, 'conditions').all as unknown[]).push({
            fact: 'costClaimed',
            operator: 'lessThan',
            value: { param: 'ceiling.death' },
          });
        }),
      'benefits.json',
      '$.rules[0].conditions.all[5].operator',
      'operator "lessThan" does not apply to decimal fact "costClaimed"',
    ],
    [
      'a JSONPath into a fact',
      (r) => r.edit(join(version, 'eligibility.json'), (json) => (at(json, 'rules', 1, 'conditions', 'all', 0).path = '$..x')),
      'eligibility.json',
      '$.rules[1].conditions.all[0]',
      'JSONPath into facts is not allowed',
    ],
    [
      'an event the code does not read',
      (r) => r.edit(join(version, 'benefits.json'), (json) => (at(json, 'rules', 0, 'event').type = 'bonus')),
      'benefits.json',
      '$.rules[0].event.type',
      'unknown event "bonus" for benefits',
    ],
    [
      'a value of the wrong kind for its fact',
      (r) =>
        r.edit(
          join(version, 'eligibility.json'),
          (json) => (at(json, 'rules', 0, 'conditions', 'all', 1, 'any', 0).value = '18'),
        ),
      'eligibility.json',
      '$.rules[0].conditions.all[1].any[0].value',
      'must be a whole number',
    ],
    [
      'an amount written in a rule instead of as a parameter',
      (r) => r.edit(join(version, 'benefits.json'), (json) => (at(json, 'rules', 0, 'event', 'params').amount = '250000.00')),
      'benefits.json',
      '$.rules[0].event.params.amount',
      'write the amount as a parameter: declare it in manifest.json "parameters"',
    ],
    [
      'a reference to a parameter the version does not declare',
      (r) =>
        r.edit(
          join(version, 'benefits.json'),
          (json) => (at(json, 'rules', 0, 'event', 'params').amount = { param: 'ceiling.funeral' }),
        ),
      'benefits.json',
      '$.rules[0].event.params.amount.param',
      '"ceiling.funeral" is not a parameter of this version',
    ],
    [
      'a parameter of the wrong kind for where it is used',
      (r) =>
        r.edit(
          join(version, 'benefits.json'),
          (json) => (at(json, 'rules', 0, 'event', 'params').amount = { param: 'allowance.claims-max' }),
        ),
      'benefits.json',
      '$.rules[0].event.params.amount.param',
      'amount takes an amount; "allowance.claims-max" is a count',
    ],
    [
      'a text quoting a parameter the version does not declare',
      (r) => r.edit(join(version, 'benefits.json'), (json) => (at(json, 'rules', 0).name = 'sickness pays {ceiling.sickness}')),
      'benefits.json',
      '$.rules[0].name',
      'quotes {ceiling.sickness}, which is not a parameter of this version',
    ],
    [
      'a parameter no rule refers to',
      (r) =>
        r.edit(join(version, 'manifest.json'), (json) => {
          at(json, 'parameters')['funeral.amount'] = {
            amount: '100000.00',
            source: { document: 'A decree', place: 'article 2' },
          };
        }),
      'manifest.json',
      '$.parameters["funeral.amount"]',
      'no rule refers to it',
    ],
    [
      'a formula that reads itself back',
      (r) =>
        r.edit(join(version, 'manifest.json'), (json) => {
          at(json, 'parameters', 'death.year-1').amount = '=death.year-2 - 200000';
          at(json, 'parameters', 'death.year-2').amount = '=death.year-1 + 200000';
        }),
      'manifest.json',
      '$.parameters["death.year-1"].amount',
      'which reads this value back (a cycle)',
    ],
    [
      'a formula whose operators are not set apart by spaces',
      (r) =>
        r.edit(
          join(version, 'manifest.json'),
          (json) => (at(json, 'parameters', 'death.year-1').amount = '=ceiling.death-400000'),
        ),
      'manifest.json',
      '$.parameters["death.year-1"].amount',
      'not a parameter of this version',
    ],
    [
      'a formula that gives fractions of a sen',
      (r) =>
        r.edit(join(version, 'manifest.json'), (json) => (at(json, 'parameters', 'death.year-1').amount = '=ceiling.death / 3')),
      'manifest.json',
      '$.parameters["death.year-1"].amount',
      'has more than 2 decimal places',
    ],
    [
      'a rule without an id',
      (r) => r.edit(join(version, 'benefits.json'), (json) => delete at(json, 'rules', 0).id),
      'benefits.json',
      '$.rules[0].id',
      'is missing: every rule has an id',
    ],
    [
      'a rule id that carries a number',
      (r) => r.edit(join(version, 'benefits.json'), (json) => (at(json, 'rules', 0).id = 'sickness-pays-250000')),
      'benefits.json',
      '$.rules[0].id',
      'kebab-case words without digits',
    ],
    [
      'two rules with one id',
      (r) => r.edit(join(version, 'benefits.json'), (json) => (at(json, 'rules', 1).id = 'sickness-allowance')),
      'benefits.json',
      '$.rules[1].id',
      '"sickness-allowance" is the id of an earlier rule in this file',
    ],
    [
      'overlapping periods',
      (r) => {
        r.copyVersion('askesos-2003', '2003.1', '2011.1');
        r.edit(join('askesos-2003', '2011.1', 'manifest.json'), (json) => {
          json.version = '2011.1';
          json.effectiveFrom = '2011-06-01';
        });
        r.publish('askesos-2003', '2011.1');
      },
      join('2003.1', 'manifest.json'),
      '$.effectiveTo',
      'overlaps askesos-2003@2011.1, which starts 2011-06-01',
    ],
    [
      'a gap between periods',
      (r) => {
        r.copyVersion('askesos-2003', '2003.1', '2012.1');
        r.edit(join('askesos-2003', '2012.1', 'manifest.json'), (json) => {
          json.version = '2012.1';
          json.effectiveFrom = '2012-03-01';
          delete json.effectiveTo;
        });
        r.publish('askesos-2003', '2012.1');
      },
      join('2003.1', 'manifest.json'),
      '$.effectiveTo',
      'leaves a gap from 2012-01-01 to 2012-02-29',
    ],
    [
      'a manifest version that is not its folder',
      (r) => r.edit(join(version, 'manifest.json'), (json) => (json.version = '2003.2')),
      'manifest.json',
      '$.version',
      'must be "2003.1", the name of its folder',
    ],
  ])('%s', (_name, breakIt, file, path, message) => {
    rules = scratchRules(['askesos-2003']);
    breakIt(rules);
    const problems = problemsOf(rules.dir);
    expect(problems).toContainEqual({ file: expect.stringContaining(file), path, message: expect.stringContaining(message) });
    expect(problems.find((problem) => problem.path === path)?.file).toContain(rules.dir.split('/').pop());
  });

  it('every problem at once, not just the first', () => {
    rules = scratchRules(['askesos-2003']);
    rules.edit(join(version, 'eligibility.json'), (json) => (at(json, 'rules', 1, 'conditions', 'all', 0).fact = 'income'));
    rules.edit(join(version, 'benefits.json'), (json) => (at(json, 'rules', 0, 'event', 'params').amount = '250000.00'));
    const problems = problemsOf(rules.dir);
    expect(problems.map((problem) => problem.path).sort()).toEqual([
      '$.rules[0].event.params.amount',
      '$.rules[1].conditions.all[0].fact',
    ]);
    const message = new RuleSetError(problems).message;
    expect(message).toContain('eligibility.json: $.rules[1].conditions.all[0].fact: unknown fact "income"');
  });
});

describe('parameters', () => {
  let rules: ScratchRules;
  afterEach(() => rules.dispose());

  it('reach every rule that refers to them, and a formula follows the value it is worked out from', () => {
    rules = scratchRules(['standalone']);
    rules.edit(
      join('standalone', '2027.3', 'manifest.json'),
      (json) => (at(json, 'parameters', 'ceiling.accident-medical').amount = '6000000.00'),
    );
    const latest = loadRuleBook(rules.dir).schemes.get('standalone')?.at(-1);
    const benefits = latest?.areas.benefits.rules ?? [];
    const care = benefits.find((rule) => rule.id === 'accident-medical-care');
    expect(care?.event.params.amountMax).toBe('6000000.00');
    expect(care?.name).toBe('medical care after an accident, up to Rp 6.000.000');
    const review = benefits.find((rule) => rule.id === 'near-ceiling-review');
    expect(review?.conditions).toMatchObject({ all: [{ fact: 'claimType' }, { fact: 'costClaimed', value: '5400000' }] });
    expect(review?.event.params.explanation).toBe(
      'The medical bills come to Rp 5.400.000 or more, within 10 % of the ceiling; the directorate checks the receipts.',
    );
    expect(latest?.parameters.get('review.accident-medical-from')).toMatchObject({
      value: '5400000',
      formula: 'ceiling.accident-medical * (1 - review.near-ceiling-share)',
      inputs: ['ceiling.accident-medical', 'review.near-ceiling-share'],
    });
  });

  it('give a whole count to a whole-number fact and a decimal text to a decimal one', () => {
    rules = scratchRules(['standalone']);
    const latest = loadRuleBook(rules.dir).schemes.get('standalone')?.at(-1);
    const sickness = latest?.areas.benefits.rules.find((rule) => rule.id === 'sickness-allowance');
    expect(sickness?.conditions).toMatchObject({
      all: [{}, { fact: 'sicknessDays', value: 5 }, { fact: 'sicknessDays', value: 10 }, {}],
    });
    const cards = latest?.areas.lpa.rules.find((rule) => rule.id === 'strengthening-withheld-cards');
    expect(cards?.conditions).toMatchObject({ all: [{}, { fact: 'cardDeliveryRate', value: '0.80' }] });
  });
});

describe('the hash of a version', () => {
  let rules: ScratchRules;
  afterEach(() => rules.dispose());

  it('ignores key order and white space, and changes with any value', () => {
    rules = scratchRules(['askesos-2003']);
    const original = loadRuleBook(rules.dir).schemes.get('askesos-2003')?.[0]?.hash;
    rules.edit(join(version, 'benefits.json'), (json) => {
      const { rules: list, ...rest } = json;
      for (const key of Object.keys(json)) delete json[key];
      Object.assign(json, { rules: list }, rest);
    });
    expect(loadRuleBook(rules.dir).schemes.get('askesos-2003')?.[0]?.hash).toBe(original);
    rules.edit(
      join(version, 'manifest.json'),
      (json) => (at(json, 'parameters', 'ceiling.sickness-allowance').amount = '240000.00'),
    );
    expect(loadRuleBook(rules.dir).schemes.get('askesos-2003')?.[0]?.hash).not.toBe(original);
  });
});
