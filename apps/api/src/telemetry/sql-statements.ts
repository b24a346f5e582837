// One observation point per SQL statement, for metrics and traces, without touching packages/db or core:
// drizzle runs every statement through its prepared query's `execute` or `all` (one class per driver), so
// wrapping those two methods sees each statement, in the async context of the resolver that sent it.
import { PglitePreparedQuery } from "drizzle-orm/pglite/session";
import { PostgresJsPreparedQuery } from "drizzle-orm/postgres-js/session";

/** Called as a statement starts; the returned function is called when it ends (with the error, if any). */
export type StatementObserver = (sql: string) => (error?: unknown) => void;

const observers = new Set<StatementObserver>();
let installed = false;

type Run = (this: { queryString?: string; query?: { sql: string } }, ...args: unknown[]) => Promise<unknown>;

function wrap(prototype: Record<string, unknown>, method: "execute" | "all"): void {
  const original = prototype[method] as Run | undefined;
  if (typeof original !== "function") return;
  prototype[method] = function observed(this: ThisParameterType<Run>, ...args: unknown[]) {
    if (observers.size === 0) return original.apply(this, args);
    const sql = this.queryString ?? this.query?.sql ?? "";
    const ends = [...observers].map((observe) => observe(sql));
    const finish = (error?: unknown) => {
      for (const end of ends) end(error);
    };
    try {
      const result = original.apply(this, args);
      result.then(() => finish(), finish);
      return result;
    } catch (error) {
      finish(error);
      throw error;
    }
  };
}

/** Starts observing statements (both drivers); returns a function that stops this observer. */
export function observeStatements(observer: StatementObserver): () => void {
  if (!installed) {
    installed = true;
    for (const driver of [PostgresJsPreparedQuery, PglitePreparedQuery]) {
      const prototype = driver.prototype as unknown as Record<string, unknown>;
      wrap(prototype, "execute");
      wrap(prototype, "all");
    }
  }
  observers.add(observer);
  return () => void observers.delete(observer);
}

/** `select`, `insert`… : the statement's first word, for span names and metric labels. */
export function statementKind(sql: string): string {
  const word = /^\s*([a-z]+)/i.exec(sql)?.[1]?.toLowerCase() ?? "other";
  const known = ["select", "insert", "update", "delete", "with", "begin", "commit", "rollback"];
  return known.includes(word) ? word : "other";
}
