// Says once, at the top of the run, which database the suite is on, so a CI
// log shows plainly that both backends ran.
export default function setup(): void {
  const url = process.env.DATABASE_URL;
  process.stdout.write(
    url === undefined || url === ''
      ? '\n[askesos] test database: embedded PGlite (in memory, one per test file)\n'
      : `\n[askesos] test database: PostgreSQL at ${url.replace(/\/\/[^@]*@/, '//')} (one schema per test file)\n`,
  );
}
