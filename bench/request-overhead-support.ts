// The bare sides of bench/request-overhead.ts, each its own process:
//   yoga <port>                        bare createYoga with a one-field schema (the `{ __typename }` floor)
//   sql <port> <statements.json> <url> node:http + postgres.js sending, per request, the statements our server
//                                      sends for it (captured with their parameters), one after the other, and
//                                      answering their rows as JSON: the floor for the same database work.
//   sql-rls <port> <statements.json> <url>  the same, through our database client as the application role, each
//                                      statement in the scope it ran in (row-level security, pipelined
//                                      begin/scope/statement/commit): the floor for the same work under RLS.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { type DatabaseScope, inScope, openDatabase } from "@wz/db";
import { createSchema, createYoga } from "graphql-yoga";
import postgres from "postgres";

const [mode, portText, statementsFile, url] = process.argv.slice(2);
const port = Number(portText);

if (mode === "yoga") {
  const yoga = createYoga({
    schema: createSchema({ typeDefs: "type Query { hello: String }", resolvers: {} }),
    logging: false,
    landingPage: false,
  });
  createServer(yoga).listen(port, "127.0.0.1", () => console.log(`listening on ${port}`));
} else if (mode === "sql" || mode === "sql-rls") {
  /** For each request (by a key its body contains), the statements, their parameters and scope, in order. */
  const plans = JSON.parse(readFileSync(statementsFile!, "utf8")) as Record<
    string,
    [string, unknown[], DatabaseScope][]
  >;
  let send: (text: string, params: unknown[], scope: DatabaseScope) => PromiseLike<unknown>;
  if (mode === "sql") {
    const sql = postgres(url!, { max: 10, prepare: true, onnotice: () => {} });
    // JSON parameters arrive as the text drizzle made of them (inJson): sent as they are, as drizzle's client does
    for (const type of [114, 3802]) sql.options.serializers[type] = (value: unknown) => value;
    send = (text, params) => sql.unsafe(text, params as never[], { prepare: true });
  } else {
    const appUrl = new URL(url!);
    appUrl.username = "wz_app";
    appUrl.password = "";
    const { db } = await openDatabase({ url: appUrl.toString(), poolSize: 10 });
    const client = (db as unknown as { $client: postgres.Sql }).$client;
    send = (text, params, scope) =>
      inScope(
        () => scope,
        () => client.unsafe(text, params as never[]),
      );
  }
  createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { query: string };
        const key = Object.keys(plans).find((k) => body.query.includes(k));
        const results: unknown[] = [];
        for (const [text, params, scope] of key ? plans[key]! : []) results.push(await send(text, params, scope));
        const payload = JSON.stringify({ data: results });
        res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(payload) });
        res.end(payload);
      } catch (error) {
        res.writeHead(500).end(String(error));
      }
    });
  }).listen(port, "127.0.0.1", () => console.log(`listening on ${port}`));
} else {
  console.error("usage: request-overhead-support.ts yoga|sql|sql-rls <port> [statements.json url]");
  process.exit(2);
}
