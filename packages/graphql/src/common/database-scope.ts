// Every operation's statements run in its viewer's database scope (packages/db/src/scope.ts), so row-level
// security on PostgreSQL and PGlite holds whatever a resolver forgets: queries and mutations for their whole
// execution, subscriptions while they subscribe and each time an event is resolved. The scope is read at each
// statement from the operation's permissions, which over a socket follow the viewer's current roles.
import { databaseScopeOf } from "@wz/core";
import { type DatabaseScope, inScope } from "@wz/db";
import type { Plugin } from "graphql-yoga";
import type { GraphQLContext } from "../context";

function scopeOf(context: unknown): () => DatabaseScope {
  const { permissions } = context as GraphQLContext;
  return () => databaseScopeOf(permissions.viewer);
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === "object" && value !== null && Symbol.asyncIterator in value;
}

/** The events of a subscription, each one resolved in the subscriber's scope. */
function scopedIterable<T>(source: AsyncIterable<T>, scope: () => DatabaseScope): AsyncIterableIterator<T> {
  const iterator = source[Symbol.asyncIterator]();
  const scoped: AsyncIterableIterator<T> = {
    next: () => inScope(scope, () => iterator.next()),
    return: (value?: unknown) =>
      iterator.return ? inScope(scope, () => iterator.return!(value)) : Promise.resolve({ done: true, value }),
    throw: (error?: unknown) => (iterator.throw ? inScope(scope, () => iterator.throw!(error)) : Promise.reject(error)),
    [Symbol.asyncIterator]: () => scoped,
  };
  return scoped;
}

export function useDatabaseScope(): Plugin {
  return {
    onExecute({ executeFn, setExecuteFn }) {
      setExecuteFn((args) => inScope(scopeOf(args.contextValue), () => executeFn(args)));
    },
    onSubscribe({ subscribeFn, setSubscribeFn }) {
      setSubscribeFn(async (args) => {
        const scope = scopeOf(args.contextValue);
        const result = await inScope(scope, () => subscribeFn(args));
        return isAsyncIterable(result) ? scopedIterable(result, scope) : result;
      });
    },
  };
}
