// GraphiQL's page names no host but the API's own, its assets are served with validators for caching, and
// production serves neither.
import { createTestApi, type TestApi } from "@wz/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let dev: TestApi;
let production: TestApi;
beforeAll(async () => {
  [dev, production] = await Promise.all([createTestApi(), createTestApi({ production: true })]);
});
afterAll(async () => {
  await Promise.all([dev.close(), production.close()]);
});

const html = { accept: "text/html" };

describe("GraphiQL", () => {
  it("loads every file from /graphql/graphiql/ and opens on the sign-in example", async () => {
    const page = await (await dev.app.fetch("http://test/graphql", { headers: html })).text();
    const urls = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(urls.length).toBeGreaterThanOrEqual(3);
    for (const url of urls) expect(url).toMatch(/^\/graphql\/graphiql\//);
    expect(page).not.toMatch(/https?:\/\//);
    expect(page).toContain("mutation Login");
    // the header template, with `<` escaped inside the script
    expect(page).toContain("Bearer \\u003ctoken from login>");
  });

  it("serves each asset with its type and an ETag, and 304 when it has not changed", async () => {
    for (const [file, type] of [
      ["graphiql.js", /javascript/],
      ["graphiql.css", /text\/css/],
      ["editor.worker.js", /javascript/],
      ["json.worker.js", /javascript/],
      ["graphql.worker.js", /javascript/],
      ["favicon.ico", /image\/x-icon/],
    ] as const) {
      const response = await dev.app.fetch(`http://test/graphql/graphiql/${file}`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(type);
      const etag = response.headers.get("etag")!;
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(1000);
      const again = await dev.app.fetch(`http://test/graphql/graphiql/${file}`, { headers: { "if-none-match": etag } });
      expect(again.status).toBe(304);
    }
    expect((await dev.app.fetch("http://test/graphql/graphiql/nothing.js")).status).toBe(404);
  });

  it("is not served in production, nor are its assets", async () => {
    const page = await production.app.fetch("http://test/graphql", { headers: html });
    expect(await page.text()).not.toMatch(/graphiql\.js/);
    expect((await production.app.fetch("http://test/graphql/graphiql/graphiql.js")).status).not.toBe(200);
  });
});
