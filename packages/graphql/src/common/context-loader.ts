// Per-request DataLoaders for lookups that are not a node or a field's own loader: created lazily, one
// per request context, so batching never crosses requests (or viewers).
import { createContextCache } from "@pothos/core";
import DataLoader from "dataloader";
import type { GraphQLContext } from "../context";

// Pothos's per-context cache, like its node loaders: a shared execution's viewer-less view of a context
// (common/shared-events) finds the same loaders.
const loadersOf = createContextCache((_ctx: GraphQLContext) => new Map<string, DataLoader<string, unknown>>());

export function contextLoader<V>(
  ctx: GraphQLContext,
  name: string,
  batch: (keys: readonly string[], ctx: GraphQLContext) => Promise<V[]>,
  /** e.g. `{ cache: false }` for a lookup a subscription re-reads in one long-lived context. */
  options?: DataLoader.Options<string, V>,
): DataLoader<string, V> {
  const perContext = loadersOf(ctx);
  let loader = perContext.get(name) as DataLoader<string, V> | undefined;
  if (!loader) {
    loader = new DataLoader<string, V>((keys) => batch(keys, ctx), options);
    perContext.set(name, loader as DataLoader<string, unknown>);
  }
  return loader;
}
