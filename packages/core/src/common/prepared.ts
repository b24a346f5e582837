// Hot reads built once and run with values. A statement is built (with `sql.placeholder`s) and prepared once per
// database handle and shape, then only run: no SQL is built per call (drizzle's SQL building walks every chunk
// through its class checks), and its rows come back as the driver returns them (column names, driver values), not
// through drizzle's result mapping, which walks every field of every row the same way; callers map them with the
// table's own column mappers (`tableRowMapper`). A shape must not hold a viewer's own values: those are placeholders
// too, or the statement is built per call.
import { type Executor, rowsOf } from "@wz/db";
import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";

/** A row as the database returns it. */
export type RawRow = Record<string, unknown>;

type Prepared = { execute(values?: Record<string, unknown>): Promise<unknown> };

const prepared = new WeakMap<object, Map<string, Prepared>>();
const dialect = new PgDialect();

/** Runs the statement `build` makes for `shape` (built and prepared once per database handle) with `values`. */
export async function runPrepared(
  db: Executor,
  shape: string,
  build: () => SQL,
  values: Record<string, unknown>,
): Promise<RawRow[]> {
  let shapes = prepared.get(db);
  if (!shapes) {
    shapes = new Map();
    prepared.set(db, shapes);
  }
  let statement = shapes.get(shape);
  if (!statement) {
    // prepared without a field list: drizzle hands back the driver's rows as they are
    statement = db._.session.prepareQuery(dialect.sqlToQuery(build()), undefined, shape, false);
    shapes.set(shape, statement);
  }
  return rowsOf<RawRow>(await statement.execute(values));
}
