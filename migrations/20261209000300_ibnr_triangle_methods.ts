import type { Knex } from 'knex';

// A scheme's rules may declare a triangle method for its IBNR (chain ladder,
// Bornhuetter–Ferguson, expected loss ratio) with a fallback when the
// history is too short. Each month's estimate keeps the method declared,
// the one used and why it differs, and what every method gave that month,
// so the reserves report shows them side by side as they were at booking.
// For a triangle method `rate` is the expected loss ratio declared.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table ibnr_estimates
      drop constraint ibnr_estimates_method_check,
      add constraint ibnr_estimates_method_check check (
        method in ('earned-premium-share', 'chain-ladder', 'bornhuetter-ferguson', 'expected-loss-ratio', 'none')),
      add column declared_method text check (
        declared_method in ('earned-premium-share', 'chain-ladder', 'bornhuetter-ferguson', 'expected-loss-ratio')),
      add column fallback_reason text check (length(fallback_reason) between 1 and 1000),
      add column methods jsonb check (jsonb_typeof(methods) = 'object')
  `);
  await knex.raw(`update ibnr_estimates set declared_method = method where method <> 'none'`);
  await knex.raw(`
    alter table ibnr_estimates
      add constraint ibnr_estimates_declared_check check ((method = 'none') = (declared_method is null)),
      add constraint ibnr_estimates_fallback_check check ((fallback_reason is null) = (method = 'none' or method = declared_method))
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table ibnr_estimates
      drop constraint ibnr_estimates_fallback_check,
      drop constraint ibnr_estimates_declared_check,
      drop column methods,
      drop column fallback_reason,
      drop column declared_method,
      drop constraint ibnr_estimates_method_check,
      add constraint ibnr_estimates_method_check check (method in ('earned-premium-share', 'none'))
  `);
}
