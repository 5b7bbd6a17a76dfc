// The chart of accounts, each account named once. Code reads an account by
// its name (`chart.claimsPayable.code`), never by a bare code: a code typed
// in a feature is a code nobody can find when the chart changes, and a
// typo in one ('2010' for '2100') is only found by the ledger at run time.
//
// The database holds the chart too (ledger_chart, seeded and changed by the
// migrations: they are history and keep their own literals). It is what
// accounts reference and what GET /v1/ledger/chart serves; this module is
// the same chart for the code to name, and test/ledger/chart.test.ts holds
// the two equal, line for line. A new account is a migration and a line
// here, together.

export const accountTypes = ['asset', 'liability', 'equity', 'income', 'expense'] as const;
export type AccountType = (typeof accountTypes)[number];
export const ownerKinds = ['fund', 'lpa', 'participant'] as const;
export type OwnerKind = (typeof ownerKinds)[number];
// Whose books an account is in: the fund's, or an LPA's savings-and-loans
// pool, which balances on its own and is left out of the fund's statements.
export const chartBooks = ['fund', 'lpa'] as const;
export type Books = (typeof chartBooks)[number];

export interface ChartAccount {
  readonly code: string;
  readonly name: string;
  // The Indonesian name.
  readonly nameId: string;
  readonly type: AccountType;
  // Who may hold an account of this code: the fund one, each LPA or
  // participant a sub-account of its own.
  readonly ownerKinds: readonly OwnerKind[];
  readonly mustNotGoNegative: boolean;
  readonly books: Books;
}

export const chart = {
  // ---------------------------------------------------------------- assets
  cashAtBank: {
    code: '1100',
    name: 'Cash at bank',
    nameId: 'Kas di bank',
    type: 'asset',
    ownerKinds: ['fund', 'lpa'],
    mustNotGoNegative: true,
    books: 'fund',
  },
  subsidyReceivable: {
    code: '1200',
    name: 'Subsidy receivable',
    nameId: 'Piutang bantuan iuran',
    type: 'asset',
    ownerKinds: ['fund'],
    mustNotGoNegative: true,
    books: 'fund',
  },
  loansReceivable: {
    code: '1300',
    name: 'Loans receivable',
    nameId: 'Piutang pinjaman anggota',
    type: 'asset',
    ownerKinds: ['lpa', 'participant'],
    mustNotGoNegative: true,
    books: 'lpa',
  },
  contributionsReceivable: {
    code: '1400',
    name: 'Contributions receivable',
    nameId: 'Piutang iuran peserta',
    type: 'asset',
    ownerKinds: ['fund'],
    mustNotGoNegative: true,
    books: 'fund',
  },
  lpaCash: {
    code: '1500',
    name: 'LPA cash (savings and loans)',
    nameId: 'Kas simpan pinjam LPA',
    type: 'asset',
    ownerKinds: ['lpa'],
    mustNotGoNegative: true,
    books: 'lpa',
  },
  // ---------------------------------------------------------------- liabilities
  claimsPayable: {
    code: '2100',
    name: 'Claims payable (case reserve)',
    nameId: 'Cadangan klaim',
    type: 'liability',
    ownerKinds: ['fund'],
    mustNotGoNegative: false,
    books: 'fund',
  },
  ibnrReserve: {
    code: '2200',
    name: 'IBNR reserve',
    nameId: 'Cadangan klaim yang terjadi tetapi belum dilaporkan',
    type: 'liability',
    ownerKinds: ['fund'],
    mustNotGoNegative: false,
    books: 'fund',
  },
  unearnedPremiumReserve: {
    code: '2300',
    name: 'Unearned premium reserve',
    nameId: 'Cadangan premi yang belum merupakan pendapatan',
    type: 'liability',
    ownerKinds: ['fund'],
    mustNotGoNegative: false,
    books: 'fund',
  },
  // Strengthening grants are owed to an LPA on it too (src/lpa/payable.ts).
  lpaHonorariumPayable: {
    code: '2400',
    name: 'LPA honorarium payable',
    nameId: 'Utang honorarium LPA',
    type: 'liability',
    ownerKinds: ['lpa'],
    mustNotGoNegative: false,
    books: 'fund',
  },
  mandatorySavings: {
    code: '2500',
    name: 'Mandatory savings',
    nameId: 'Simpanan wajib',
    type: 'liability',
    ownerKinds: ['lpa', 'participant'],
    mustNotGoNegative: true,
    books: 'lpa',
  },
  voluntarySavings: {
    code: '2510',
    name: 'Voluntary savings',
    nameId: 'Simpanan sukarela',
    type: 'liability',
    ownerKinds: ['participant'],
    mustNotGoNegative: true,
    books: 'lpa',
  },
  premiumAssistanceToReturn: {
    code: '2600',
    name: 'Premium assistance to return',
    nameId: 'Bantuan iuran yang harus dikembalikan',
    type: 'liability',
    ownerKinds: ['fund'],
    mustNotGoNegative: true,
    books: 'fund',
  },
  // ---------------------------------------------------------------- equity
  fundBalance: {
    code: '3100',
    name: 'Fund balance',
    nameId: 'Saldo dana',
    type: 'equity',
    ownerKinds: ['fund'],
    mustNotGoNegative: false,
    books: 'fund',
  },
  lpaClaimReserve: {
    code: '3200',
    name: 'LPA claim reserve',
    nameId: 'Cadangan klaim LPA',
    type: 'equity',
    ownerKinds: ['lpa'],
    mustNotGoNegative: true,
    books: 'lpa',
  },
  lpaStrengtheningCapital: {
    code: '3300',
    name: 'LPA strengthening capital',
    nameId: 'Modal penguatan LPA',
    type: 'equity',
    ownerKinds: ['lpa'],
    mustNotGoNegative: true,
    books: 'lpa',
  },
  // ---------------------------------------------------------------- income
  premiumIncome: {
    code: '4100',
    name: 'Premium income',
    nameId: 'Pendapatan iuran',
    type: 'income',
    ownerKinds: ['fund'],
    mustNotGoNegative: false,
    books: 'fund',
  },
  loanInterestIncome: {
    code: '4200',
    name: 'Loan interest income',
    nameId: 'Pendapatan jasa pinjaman',
    type: 'income',
    ownerKinds: ['lpa'],
    mustNotGoNegative: false,
    books: 'lpa',
  },
  loanPenaltyIncome: {
    code: '4300',
    name: 'Loan penalty income',
    nameId: 'Pendapatan denda pinjaman',
    type: 'income',
    ownerKinds: ['lpa'],
    mustNotGoNegative: false,
    books: 'lpa',
  },
  // ---------------------------------------------------------------- expenses
  claimsExpense: {
    code: '5100',
    name: 'Claims expense',
    nameId: 'Beban klaim',
    type: 'expense',
    ownerKinds: ['fund'],
    mustNotGoNegative: false,
    books: 'fund',
  },
  honorariumExpense: {
    code: '5200',
    name: 'Honorarium expense',
    nameId: 'Beban honorarium LPA',
    type: 'expense',
    ownerKinds: ['fund'],
    mustNotGoNegative: false,
    books: 'fund',
  },
  strengtheningGrants: {
    code: '5300',
    name: 'Strengthening grants',
    nameId: 'Beban penguatan LPA',
    type: 'expense',
    ownerKinds: ['fund'],
    mustNotGoNegative: false,
    books: 'fund',
  },
  loansWrittenOff: {
    code: '5400',
    name: 'Loans written off',
    nameId: 'Beban penghapusan pinjaman',
    type: 'expense',
    ownerKinds: ['lpa'],
    mustNotGoNegative: false,
    books: 'lpa',
  },
} as const satisfies Record<string, ChartAccount>;

export type ChartAccountName = keyof typeof chart;
export type ChartCode = (typeof chart)[ChartAccountName]['code'];

// Every account, in code order (the order written above).
export const chartAccounts: readonly ChartAccount[] = Object.values(chart);
