// The GraphQL API over a fresh test database, called the way clients call it (HTTP requests through yoga).

import { encodeGlobalID } from "@pothos/plugin-relay";
import { defaultCoreSettings } from "@wz/core";
import { createGraphQLApp, defaultQueryLimits, type GraphQLApp, type Logger } from "@wz/graphql";
import { createTestDatabase, type TestDatabase } from "./database";

export const silentLogger: Logger = {
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLogger,
};

// biome-ignore lint/suspicious/noExplicitAny: tests read response fields without declaring their types
export interface GraphQLResponse<T = Record<string, any>> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface TestApi {
  db: TestDatabase;
  app: GraphQLApp;
  /** POSTs one operation; `token` signs it in; `headers` adds to the request's (e.g. Accept-Language). */
  // biome-ignore lint/suspicious/noExplicitAny: tests read response fields without declaring their types
  gql<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string | null,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  /** Like gql, but fails the test when the response has errors. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read response fields without declaring their types
  data<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<T>;
  close(): Promise<void>;
}

export async function createTestApi(options: { production?: boolean } = {}): Promise<TestApi> {
  const db = await createTestDatabase();
  const app = createGraphQLApp({
    db: db.db,
    logger: silentLogger,
    settings: defaultCoreSettings,
    production: options.production ?? false,
    limits: defaultQueryLimits,
  });
  const gql = async <T>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string | null,
    headers: Record<string, string> = {},
  ) => {
    const response = await app.fetch("http://test/graphql", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphQLResponse<T>;
  };
  return {
    db,
    app,
    gql,
    data: async <T>(query: string, variables?: Record<string, unknown>, token?: string | null) => {
      const result = await gql<T>(query, variables, token);
      if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
      return result.data as T;
    },
    close: () => db.dispose(),
  };
}

export function globalId(typename: string, id: string): string {
  return encodeGlobalID(typename, id);
}
