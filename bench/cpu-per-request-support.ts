// The worker of bench/cpu-per-request.ts: one process, one new database with the demo data, then for each request
// 1,000 to warm up and `requests` timed (10 in flight), through the app in process (no HTTP). Prints one line
// `RESULT {json}`: our CPU milliseconds per request (process.cpuUsage). Self-contained (only @wz/* and node), so the
// same file runs inside a baseline checkout too.
import { defaultCoreSettings } from "@wz/core";
import { seedDemoData } from "@wz/core/demo";
import { createGraphQLApp } from "@wz/graphql";
import { createTestDatabase, seed, silentLogger } from "@wz/testkit";

process.env.TEST_DATABASE_URL ??= process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const requests = Number(process.argv[2] ?? 3000);
const QUERIES = {
  search: `{ merchants(query: "陈", first: 20) { totalCount edges { node { id name nameLatin mobile email wechat
      companies { name } } } } }`,
  nested: `{ chambers(first: 5) { edges { node { id name members(first: 10) { totalCount edges { node { id level
      merchant { name } } } } } } } }`,
};

const database = await createTestDatabase();
try {
  await seedDemoData(database.db);
  const staffToken = (await seed(database.db).federationStaff()).token;
  const app = createGraphQLApp({
    db: database.db,
    logger: silentLogger,
    settings: defaultCoreSettings,
    production: true,
  });
  const result: Record<string, number> = {};
  for (const [name, query] of Object.entries(QUERIES)) {
    const token = name === "nested" ? staffToken : null;
    const run = async (count: number) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          while (next++ < count) {
            const response = await app.fetch("http://bench/graphql", {
              method: "POST",
              headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
              body: JSON.stringify({ query }),
            });
            const body = (await response.json()) as { errors?: unknown };
            if (body.errors) throw new Error(`${name}: ${JSON.stringify(body.errors)}`);
          }
        }),
      );
    };
    await run(1000);
    const start = process.cpuUsage();
    await run(requests);
    const used = process.cpuUsage(start);
    result[name] = (used.user + used.system) / 1000 / requests;
  }
  console.log(`RESULT ${JSON.stringify(result)}`);
} finally {
  await database.dispose();
}
process.exit(0);
