// Queries and mutations a client sends again and again (the console's own documents, an app's) run compiled to
// JavaScript by graphql-jit: the selection walked once, at compile time, not for every field of every row (the
// directory search and the nested chambers read cost 0.86× and 0.85× the CPU; bench/compiled-execution.ts). A
// document seen once runs on graphql-js as before. Compiling costs several executions' CPU (2–6 ms for the
// console's documents, ~30 ms for a 2,700-character one), so a document is compiled from its `afterExecutions`-th
// execution on, and the process compiles at most `compilesPerMinute` documents a minute: a stream of new documents
// cannot turn compiling into a way to burn CPU. A document graphql-jit cannot compile runs on graphql-js.
// Subscriptions stay on graphql-js.
import {
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  GraphQLError,
  type GraphQLFormattedError,
  visit,
} from "graphql";
import { type CompiledQuery, compileQuery, isCompiledQuery } from "graphql-jit";
import type { Plugin } from "graphql-yoga";
import type { Logger } from "../context";

export interface CompiledExecutionOptions {
  /** A document is compiled at this execution of it (1: at its first). */
  afterExecutions: number;
  /** Documents compiled per minute in the process, at most; past it, new ones run on graphql-js. */
  compilesPerMinute: number;
  /** Told of each operation compiled (tests). */
  onCompile?: (document: DocumentNode) => void;
}

export const defaultCompiledExecution: CompiledExecutionOptions = { afterExecutions: 2, compilesPerMinute: 120 };

export function useCompiledExecution(options: CompiledExecutionOptions, logger: Logger): Plugin {
  /** Per document (yoga's parser cache hands out one object per text) and operation: runs so far, or the result. */
  const operations = new WeakMap<DocumentNode, Map<string, number | CompiledQuery | null>>();
  let windowStart = 0;
  let compiles = 0;
  const withinBudget = () => {
    const now = Date.now();
    if (now - windowStart >= 60_000) {
      windowStart = now;
      compiles = 0;
    }
    return compiles < options.compilesPerMinute;
  };
  return {
    onExecute({ args, setExecuteFn }) {
      const key = args.operationName ?? "";
      let byName = operations.get(args.document);
      if (!byName) {
        byName = new Map();
        operations.set(args.document, byName);
      }
      let state: number | CompiledQuery | null = byName.get(key) ?? 0;
      if (typeof state === "number") {
        const runs = state + 1;
        if (runs < options.afterExecutions || !withinBudget()) {
          byName.set(key, runs);
          return;
        }
        compiles++;
        const result = compileQuery(args.schema, args.document, args.operationName ?? undefined);
        if (isCompiledQuery(result)) {
          state = result;
          options.onCompile?.(args.document);
        } else {
          state = null;
          logger.warn({ errors: result.errors?.map((e) => e.message) }, "graphql-jit could not compile an operation");
        }
        byName.set(key, state);
      }
      const compiled = state;
      if (!compiled) return;
      const document = args.document;
      setExecuteFn((run) => {
        const result = compiled.query(run.rootValue, run.contextValue, run.variableValues ?? {});
        return result instanceof Promise
          ? result.then((r) => withLocatedErrors(r, document))
          : withLocatedErrors(result, document);
      });
    },
  };
}

/** Each field of a document by where it starts ("line:column"), to find the nodes of a compiled query's errors. */
const fieldsByLocation = new WeakMap<DocumentNode, Map<string, FieldNode>>();

/**
 * graphql-jit's errors carry their locations but not the document's nodes, which everything after execution
 * (masking, localizing) locates an error by: each becomes graphql-js's own error, at the same nodes and path and
 * with the same original error, as the interpreted run would have made it.
 */
function withLocatedErrors(result: ExecutionResult, document: DocumentNode): ExecutionResult {
  if (!result.errors?.length) return result;
  let fields = fieldsByLocation.get(document);
  if (!fields) {
    const found = new Map<string, FieldNode>();
    visit(document, {
      Field(node) {
        if (node.loc) found.set(`${node.loc.startToken.line}:${node.loc.startToken.column}`, node);
      },
    });
    fields = found;
    fieldsByLocation.set(document, fields);
  }
  const located = fields;
  const errors = result.errors.map((error) => {
    const at = (error as GraphQLFormattedError).locations ?? [];
    const nodes = at.map((l) => located.get(`${l.line}:${l.column}`)).filter((n): n is FieldNode => n !== undefined);
    return new GraphQLError(error.message, {
      nodes: nodes.length ? nodes : undefined,
      path: error.path,
      originalError: error.originalError ?? undefined,
      extensions: error.extensions,
    });
  });
  return { ...result, errors };
}
