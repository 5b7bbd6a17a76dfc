import type { Knex } from 'knex';

// A scheme's IBNR estimate shared across the LPAs whose members earned the
// premium it is a share of, in proportion to what each earned (parts add up
// to the estimate to the rupiah), so the reserve report can give IBNR by
// LPA, regency and province.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table ibnr_allocations (
      period date not null,
      rule_scheme text not null,
      lpa_id uuid not null references lpas (id),
      earned numeric(17, 2) not null check (earned >= 0),
      ibnr numeric(17, 2) not null check (ibnr >= 0),
      primary key (period, rule_scheme, lpa_id),
      foreign key (period, rule_scheme) references ibnr_estimates (period, rule_scheme)
    )
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table ibnr_allocations');
}
