import { parse } from 'csv-parse/sync';
import { recordAudit } from '../audit/store.ts';
import type { Actor } from '../access/principal.ts';
import { type Db, withTransaction } from '../db/knex.ts';
import { type FieldIssue, InputError, NotFoundError } from '../errors.ts';
import { refuseFutureDates } from '../dates.ts';
import type { TargetPopulation, TargetPopulationInput } from './model.ts';
import {
  findTargetPopulation,
  listProvinceCodes,
  regencyExists,
  saveProvinces,
  saveRegencies,
  saveTargetPopulation,
} from './store.ts';

// More regions than the shipped reference list: provinces (2-digit codes)
// and regencies (4-digit codes, starting with their province's), by their
// official BPS/Kemendagri codes. A known code gets its name updated.

export interface RegionRow {
  readonly code: string;
  readonly name: string;
}

const regionsPerImportMax = 10_000;

export function parseRegionsCsv(text: string): RegionRow[] {
  const records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true }) as string[][];
  const [header, ...rows] = records;
  if (header === undefined || header.join(',') !== 'code,name') {
    throw new InputError([{ field: 'line 1', message: 'the header must be exactly: code,name' }]);
  }
  if (rows.length > regionsPerImportMax)
    throw new InputError([{ field: 'file', message: `must have at most ${regionsPerImportMax} rows` }]);
  return rows.map(([code = '', name = '']) => ({ code, name }));
}

export async function importRegions(
  db: Db,
  rows: readonly RegionRow[],
  actor: Actor,
  fieldOf: (index: number) => string,
): Promise<{ provinces: number; regencies: number }> {
  const issues: FieldIssue[] = [];
  // A code named twice would be written twice in one statement, which
  // PostgreSQL refuses; which of the two names was meant is the caller's to say.
  const firstRowOf = new Map<string, number>();
  rows.forEach((row, index) => {
    const first = firstRowOf.get(row.code);
    if (first === undefined) firstRowOf.set(row.code, index);
    else issues.push({ field: `${fieldOf(index)}.code`, message: `${row.code} is given twice: first at ${fieldOf(first)}` });
    if (!/^[0-9]{2}([0-9]{2})?$/.test(row.code))
      issues.push({ field: `${fieldOf(index)}.code`, message: 'must be a 2-digit province or 4-digit regency code' });
    if (row.name.length < 2 || row.name.length > 100)
      issues.push({ field: `${fieldOf(index)}.name`, message: 'must be 2 to 100 characters' });
  });
  if (issues.length > 0) throw new InputError(issues);
  const provinces = rows.filter((row) => row.code.length === 2);
  const regencies = rows.filter((row) => row.code.length === 4);
  return withTransaction(db, async (trx) => {
    if (provinces.length > 0) await saveProvinces(trx, provinces);
    const known = new Set<string>(await listProvinceCodes(trx));
    const orphans = regencies.flatMap((row) => (known.has(row.code.slice(0, 2)) ? [] : [row.code]));
    if (orphans.length > 0) {
      throw new InputError(
        orphans.map((code) => ({
          field: `${fieldOf(rows.findIndex((row) => row.code === code))}.code`,
          message: `province ${code.slice(0, 2)} is not known; add it in the same file`,
        })),
      );
    }
    if (regencies.length > 0) {
      await saveRegencies(
        trx,
        regencies.map((row) => ({ code: row.code, name: row.name, provinceCode: row.code.slice(0, 2) })),
      );
    }
    await recordAudit(trx, actor, {
      action: 'regions.import',
      entityType: 'regions',
      entityId: 'regions',
      detail: { provinces: provinces.length, regencies: regencies.length },
    });
    return { provinces: provinces.length, regencies: regencies.length };
  });
}

// A regency's target population as of a day: what the coverage ratio
// divides by. The caller has checked that the key may speak for the
// regency; a figure for a day the fund cannot know yet is refused.
export async function declareTargetPopulation(
  db: Db,
  regencyCode: string,
  input: TargetPopulationInput,
  actor: Actor,
  clock: { readonly today: string; readonly asOfField: string },
): Promise<TargetPopulation> {
  refuseFutureDates(clock.today, { [clock.asOfField]: input.asOf });
  return withTransaction(db, async (trx) => {
    if (!(await regencyExists(trx, regencyCode))) throw new NotFoundError('regency', regencyCode);
    const before = await findTargetPopulation(trx, regencyCode, input.asOf);
    const saved = await saveTargetPopulation(trx, { regencyCode, ...input, declaredBy: actor.actor });
    await recordAudit(trx, actor, {
      action: 'regions.target-population.declare',
      entityType: 'regency',
      entityId: regencyCode,
      detail: {
        asOf: input.asOf,
        targetPopulation: input.targetPopulation,
        source: input.source,
        replaced: before === null ? null : { targetPopulation: before.targetPopulation, source: before.source },
      },
    });
    return saved;
  });
}
