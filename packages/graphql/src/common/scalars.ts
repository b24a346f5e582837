// Date (YYYY-MM-DD), DateTime (ISO 8601) and Decimal (CNY as an exact string), each validated on input; File,
// an upload in a GraphQL multipart request (yoga puts the part's File in the variables).
import { isIsoDate } from "@wz/core";
import { GraphQLError, type ValueNode, valueFromASTUntyped } from "graphql";
import { builder } from "../builder";

/**
 * A literal in the document read as the same value given as a variable would be. One argument, unlike the
 * default (which also takes the variables, for a variable inside a literal list or object: no scalar here has
 * one): graphql-jit compiles such a scalar's literals without complaint (common/compiled-execution.ts).
 */
const literal =
  <T>(parse: (value: unknown) => T) =>
  (node: ValueNode): T =>
    parse(valueFromASTUntyped(node));

const parseDate = (value: unknown) => {
  if (typeof value !== "string" || !isIsoDate(value))
    throw new GraphQLError(`Date must be a real date in YYYY-MM-DD form, got ${JSON.stringify(value)}.`);
  return value;
};
builder.scalarType("Date", {
  description: "A calendar date, YYYY-MM-DD.",
  serialize: (value) => value,
  parseValue: parseDate,
  parseLiteral: literal(parseDate),
});

const parseDateTime = (value: unknown) => {
  const d = typeof value === "string" ? new Date(value) : null;
  if (!d || Number.isNaN(d.getTime()))
    throw new GraphQLError(`DateTime must be an ISO 8601 instant, got ${JSON.stringify(value)}.`);
  return d;
};
builder.scalarType("DateTime", {
  description: "An instant, ISO 8601.",
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(value as string).toISOString()),
  parseValue: parseDateTime,
  parseLiteral: literal(parseDateTime),
});

function parseFile(value: unknown): File {
  const file = value as Partial<File> | null;
  if (typeof file !== "object" || file === null || typeof file.arrayBuffer !== "function" || !("size" in file))
    throw new GraphQLError("File must be an upload: send the request as a GraphQL multipart request.");
  return file as File;
}
builder.scalarType("File", {
  description: "An uploaded file: a variable given as a part of a GraphQL multipart request (input only).",
  serialize: () => {
    throw new GraphQLError("A File is input only.");
  },
  // yoga's multipart parser hands over its fetch implementation's File (a ponyfill in Node), not the global class
  parseValue: parseFile,
  parseLiteral: literal(parseFile),
});

const DECIMAL = /^-?\d{1,14}(\.\d{1,2})?$/;
const parseDecimal = (value: unknown) => {
  if (typeof value !== "string" || !DECIMAL.test(value.trim()))
    throw new GraphQLError(
      `Decimal must be a string like "12500.00" (at most two decimals), got ${JSON.stringify(value)}.`,
    );
  return value.trim();
};
builder.scalarType("Decimal", {
  description: 'An amount of money in CNY as a decimal string with at most two decimals, e.g. "12500.00".',
  serialize: (value) => value,
  parseValue: parseDecimal,
  parseLiteral: literal(parseDecimal),
});
