// What the request benchmarks share: the requests they time (bench/request-overhead.ts over HTTP against bare
// servers and PostGraphile, bench/compiled-execution.ts in process) and how they sum up their runs.

/** The requests, each as our schema asks it; `staff` ones are sent with a federation staff member's token. */
export const BENCH_REQUESTS = {
  typename: { query: "{ __typename }", staff: false },
  search: {
    query: `{ merchants(query: "陈", first: 20) { totalCount edges { node { id name nameLatin mobile email wechat
      companies { name } } } } }`,
    staff: false,
  },
  nested: {
    query: `{ chambers(first: 5) { edges { node { id name members(first: 10) { totalCount edges { node { id level
      merchant { name } } } } } } } }`,
    staff: true,
  },
} as const;

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

/** The benchmarks' database server: BENCH_DATABASE_URL, or the machine's PostgreSQL. */
export function useBenchDatabase(): void {
  process.env.TEST_DATABASE_URL ??= process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
}
