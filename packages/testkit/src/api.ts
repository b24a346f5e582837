// The GraphQL API over a fresh test database, called the way clients call it (HTTP requests through yoga).

import { encodeGlobalID } from "@pothos/plugin-relay";
import { defaultCoreSettings } from "@wz/core";
import {
  type CompiledExecutionOptions,
  createGraphQLApp,
  defaultQueryLimits,
  type GraphQLApp,
  type Logger,
} from "@wz/graphql";
import { createTestDatabase, type TestDatabase } from "./database";

export const silentLogger: Logger = {
  info: () => {},
  warn: () => {},
  // TEST_LOG_ERRORS=1 shows what a masked INTERNAL_SERVER_ERROR hid (when a test fails on one)
  error: (obj) => {
    if (process.env.TEST_LOG_ERRORS) console.error(obj);
  },
  child: () => silentLogger,
};

// biome-ignore lint/suspicious/noExplicitAny: tests read response fields without declaring their types
export interface GraphQLResponse<T = Record<string, any>> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** A file as a browser would upload it. */
export interface UploadFile {
  name: string;
  type?: string;
  bytes: Uint8Array | string;
}

/** The multipart body (graphql-multipart-request-spec): `operations`, `map`, then one part per file. */
export function multipartBody(
  query: string,
  variables: Record<string, unknown>,
  files: Record<string, UploadFile>,
): FormData {
  const form = new FormData();
  const paths = Object.keys(files);
  const withNulls = structuredClone(variables);
  for (const path of paths) {
    const keys = path.split(".");
    let at = withNulls as Record<string, unknown>;
    for (const key of keys.slice(0, -1)) {
      at[key] ??= {};
      at = at[key] as Record<string, unknown>;
    }
    at[keys[keys.length - 1]!] = null;
  }
  form.set("operations", JSON.stringify({ query, variables: withNulls }));
  form.set("map", JSON.stringify(Object.fromEntries(paths.map((path, i) => [String(i), [`variables.${path}`]]))));
  paths.forEach((path, i) => {
    const file = files[path]!;
    const bytes = typeof file.bytes === "string" ? new TextEncoder().encode(file.bytes) : file.bytes;
    form.set(String(i), new File([bytes as BlobPart], file.name, { type: file.type ?? "application/octet-stream" }));
  });
  return form;
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
  /**
   * POSTs one operation as a GraphQL multipart request: each file goes in the variables at its path
   * ("input.file"), with the CSRF header every non-JSON request needs (leave it out with `csrf: false`).
   */
  // biome-ignore lint/suspicious/noExplicitAny: tests read response fields without declaring their types
  upload<T = Record<string, any>>(
    query: string,
    variables: Record<string, unknown>,
    files: Record<string, UploadFile>,
    token?: string | null,
    options?: { csrf?: boolean },
  ): Promise<GraphQLResponse<T> & { status: number }>;
  /** Like gql, but fails the test when the response has errors. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read response fields without declaring their types
  data<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<T>;
  close(): Promise<void>;
}

export async function createTestApi(
  options: { production?: boolean; compiledExecution?: CompiledExecutionOptions } = {},
): Promise<TestApi> {
  const db = await createTestDatabase();
  const app = createGraphQLApp({
    db: db.db,
    logger: silentLogger,
    settings: defaultCoreSettings,
    production: options.production ?? false,
    limits: defaultQueryLimits,
    // every operation compiled at its first run, so every test exercises the path repeated documents take in
    // production (the first run's graphql-js path is checked against it in common/compiled-execution.test.ts)
    compiledExecution: options.compiledExecution ?? { afterExecutions: 1, compilesPerMinute: 1_000_000 },
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
  const upload = async <T>(
    query: string,
    variables: Record<string, unknown>,
    files: Record<string, UploadFile>,
    token?: string | null,
    options: { csrf?: boolean } = {},
  ) => {
    const response = await app.fetch("http://test/graphql", {
      method: "POST",
      headers: {
        ...(options.csrf === false ? {} : { "x-graphql-yoga-csrf": "1" }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: multipartBody(query, variables, files),
    });
    return { ...((await response.json()) as GraphQLResponse<T>), status: response.status };
  };
  return {
    db,
    app,
    gql,
    upload,
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
