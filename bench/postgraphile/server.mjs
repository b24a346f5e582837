// PostGraphile 5 (amber preset) over the bench's database, for bench/request-overhead.ts only.
//   node bench/postgraphile/server.mjs <port> <connection url>
import { createServer } from "node:http";

// PostGraphile 5 wants Node 22; on Node 20 Promise.withResolvers is the one thing it misses.
if (!Promise.withResolvers) {
  Promise.withResolvers = function withResolvers() {
    let resolve;
    let reject;
    const promise = new this((yes, no) => {
      resolve = yes;
      reject = no;
    });
    return { promise, resolve, reject };
  };
}

const [portText, connectionString] = process.argv.slice(2);
const { postgraphile } = await import("postgraphile");
const { PostGraphileAmberPreset } = await import("postgraphile/presets/amber");
const { makePgService } = await import("postgraphile/adaptors/pg");
const { grafserv } = await import("postgraphile/grafserv/node");

const pgl = postgraphile({
  extends: [PostGraphileAmberPreset],
  pgServices: [makePgService({ connectionString, schemas: ["public"], poolConfig: { max: 10 } })],
  grafserv: { graphqlPath: "/graphql", graphiql: false },
  grafast: { explain: false },
});
const serv = pgl.createServ(grafserv);
const server = createServer();
serv.addTo(server).then(() => {
  server.listen(Number(portText), "127.0.0.1", () => console.log(`listening on ${portText}`));
});
