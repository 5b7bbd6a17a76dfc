import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { coverRefusals } from '../../src/claims/adjudicate.ts';
import { claimTypes } from '../../src/rules/catalogue.ts';
import {
  benefitLabels,
  claimTypeLabels,
  coverEndingSentences,
  coverEndings,
  languages,
  reasonSentence,
  reasonSentences,
  schemeNames,
} from '../../src/notices/catalogue.ts';
import { shippedRules } from '../support/api.ts';

// The reasons a participant can be told of: those the claim code writes
// itself, and those every shipped rule version's eligibility and benefit
// rules give when they refuse or refer.
function reasonCodesEmitted(): Set<string> {
  const codes = new Set<string>(Object.keys(coverRefusals));
  const written = /reason: '([a-z][a-z0-9_]+)'/g;
  for (const file of ['claims/adjudicate.ts', 'registry/eligibility.ts', 'registry/enrol.ts']) {
    for (const match of readFileSync(join('src', file), 'utf8').matchAll(written)) codes.add(match[1] as string);
  }
  for (const versions of shippedRules.schemes.values())
    for (const version of versions)
      for (const area of ['eligibility', 'benefits'] as const)
        for (const rule of version.areas[area].rules)
          if (['ineligible', 'claim-rejected', 'claim-referred'].includes(rule.event.type))
            codes.add(String(rule.event.params.reason));
  return codes;
}

describe('the message catalogue', () => {
  it('has a plain sentence in Indonesian and English for every reason code a decision can carry', () => {
    const emitted = reasonCodesEmitted();
    // The claim code's own, and the shipped rules' (age, poverty, late report…).
    expect(emitted).toContain('documents_missing');
    expect(emitted).toContain('not_poor_or_vulnerable');
    expect(emitted).toContain('late_report');
    for (const code of emitted) {
      for (const language of languages) expect(reasonSentences[code]?.[language], `${code} in ${language}`).toMatch(/\S.*\.$/);
    }
    expect(Object.keys(reasonSentences).filter((code) => !emitted.has(code))).toEqual([]);
  });

  it('labels every claim type, every benefit the shipped rules pay, every scheme and every way cover ends, in both languages', () => {
    const benefits = new Set<string>();
    for (const versions of shippedRules.schemes.values())
      for (const version of versions)
        for (const rule of version.areas.benefits.rules)
          if (rule.event.type === 'benefit') benefits.add(String(rule.event.params.benefit));
    const expectLabels = (labels: Readonly<Record<string, { id: string; en: string }>>, keys: Iterable<string>) => {
      for (const key of keys)
        for (const language of languages) expect(labels[key]?.[language], `${key} in ${language}`).toBeTruthy();
    };
    expectLabels(claimTypeLabels, claimTypes);
    expectLabels(benefitLabels, benefits);
    expectLabels(schemeNames, shippedRules.schemes.keys());
    expectLabels(coverEndingSentences, coverEndings);
  });

  it('keeps the rule’s own explanation for a code newer than the catalogue', () => {
    const reason = { reason: 'new_rule_2030', explanation: 'A reason added by a later rule version.' };
    expect(reasonSentence(reason, 'id')).toBe('A reason added by a later rule version.');
    expect(reasonSentence({ reason: 'late_report', explanation: 'x' }, 'id')).toBe(
      'Kejadian dilaporkan terlambat, sehingga klaim diperiksa dulu oleh Direktorat.',
    );
  });
});
