// Where "who looked" entries are written: at the end of each operation, in the envelop that HTTP and WebSocket
// operations share (and, for subscription events executed once for many subscribers, at each delivery:
// common/shared-subscriptions.ts). The entries are written before the answer leaves, in one statement shared
// with the operations ending at the same time; if that write fails the answer is withheld, so a contact value
// never reaches anyone without its entry.
import { msg } from "@wz/core";
import type { AccessChannel } from "@wz/db";
import type { ExecutionResult } from "graphql";
import type { Plugin } from "graphql-yoga";
import { codedError } from "../common/messages";
import type { GraphQLContext, Logger } from "../context";

/** Writes what the operation's recorder holds; false (and logged) when it could not be written. */
export async function flushContactAccess(ctx: GraphQLContext, channel: AccessChannel): Promise<boolean> {
  const drafts = ctx.access.take(channel);
  if (!drafts.length) return true;
  try {
    await ctx.accessLog.write(drafts);
    return true;
  } catch (err) {
    (ctx.logger as Logger).error({ err, entries: drafts.length }, "contact access entries not recorded");
    return false;
  }
}

/** The answer given instead of one whose access entries could not be written. */
export const withheldResult = (): ExecutionResult => ({
  errors: [codedError(msg("errors.accessNotRecorded"), { extensions: { code: "DATABASE_UNAVAILABLE" } })],
});

const isResult = (value: unknown): value is ExecutionResult =>
  typeof value === "object" && value !== null && !(Symbol.asyncIterator in value);

export function useContactAccessLog(): Plugin<GraphQLContext> {
  return {
    onExecute: () => ({
      // queries and mutations, over HTTP and WebSocket alike
      onExecuteDone: async ({ args, result, setResult }) => {
        if (!isResult(result)) return;
        if (!(await flushContactAccess(args.contextValue, "QUERY"))) setResult(withheldResult());
      },
    }),
    onSubscribe: () => ({
      // each event of a subscription executed per subscriber (shared ones are written at delivery)
      onSubscribeResult: () => ({
        onNext: async ({ args, setResult }) => {
          if (!(await flushContactAccess(args.contextValue, "SUBSCRIPTION"))) setResult(withheldResult());
        },
      }),
    }),
  };
}
