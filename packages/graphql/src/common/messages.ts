// Coded errors in the reader's language. An error made here carries its Message in a private extension; as the
// result leaves (HTTP: useLocalizedErrors; WebSocket: apps/api's socket server) `localizeResult` puts it into the
// reader's words and drops the extension, so the code and every other extension stay as they were.
import { type Locale, localeOf, type Message, msg, renderMessage } from "@wz/core";
import { type ExecutionResult, GraphQLError, type GraphQLErrorOptions } from "graphql";
import type { Plugin } from "graphql-yoga";

const MESSAGE = "__message";

/**
 * A GraphQL error that `localizeResult` words for each reader; its own message is the English (`english` when the
 * words are not ours, e.g. graphql-js's).
 */
export function codedError(message: Message, options: GraphQLErrorOptions = {}, english?: string): GraphQLError {
  return new GraphQLError(english ?? renderMessage(message), {
    ...options,
    extensions: { ...options.extensions, [MESSAGE]: message },
  });
}

/**
 * Coded errors graphql-js and yoga make themselves (a syntax error, a field the schema lacks): their own words
 * stay as the detail, after a lead-in in the reader's language.
 */
function foreignWords(error: GraphQLError): Message | undefined {
  const code = error.extensions?.code;
  if (typeof code !== "string") return undefined;
  const detail = error.message;
  if (code === "GRAPHQL_PARSE_FAILED") return msg("errors.syntax", { detail });
  if (code === "GRAPHQL_VALIDATION_FAILED") return msg("errors.invalidQuery", { detail });
  return msg("errors.refused", { detail });
}

function localizeError(error: GraphQLError, locale: Locale): GraphQLError {
  const message =
    (error.extensions?.[MESSAGE] as Message | undefined) ?? (locale === "en" ? undefined : foreignWords(error));
  if (!message) return error;
  const { [MESSAGE]: _said, ...extensions } = error.extensions;
  // English is the message as made (and as later cleaned, e.g. of "Did you mean" hints in production)
  return new GraphQLError(locale === "en" ? error.message : renderMessage(message, locale), {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions,
  });
}

export function localizeResult<T extends ExecutionResult>(result: T, locale: Locale): T {
  if (!result.errors?.some((e) => e.extensions?.[MESSAGE] || (locale !== "en" && e.extensions?.code))) return result;
  return { ...result, errors: result.errors.map((e) => localizeError(e, locale)) };
}

async function* localizeStream<T extends ExecutionResult>(results: AsyncIterable<T>, locale: Locale) {
  for await (const result of results) yield localizeResult(result, locale);
}

/** The reader's language on HTTP: the request's Accept-Language. */
export function requestLocale(request: Request | undefined): Locale {
  return localeOf(request?.headers.get("accept-language"));
}

/** Words every coded error of an HTTP response (single, batched or streamed) in the request's language. */
export function useLocalizedErrors(): Plugin {
  return {
    onResultProcess({ request, result, setResult }) {
      const locale = requestLocale(request);
      if (Array.isArray(result)) setResult(result.map((r) => localizeResult(r as ExecutionResult, locale)));
      else if (Symbol.asyncIterator in (result as object))
        setResult(localizeStream(result as AsyncIterable<ExecutionResult>, locale));
      else setResult(localizeResult(result as ExecutionResult, locale));
    },
  };
}
