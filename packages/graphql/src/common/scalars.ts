// Date (YYYY-MM-DD), DateTime (ISO 8601) and Decimal (CNY as an exact string), each validated on input; File,
// an upload in a GraphQL multipart request (yoga puts the part's File in the variables).
import { isIsoDate } from "@wz/core";
import { GraphQLError } from "graphql";
import { builder } from "../builder";

builder.scalarType("Date", {
  description: "A calendar date, YYYY-MM-DD.",
  serialize: (value) => value,
  parseValue: (value) => {
    if (typeof value !== "string" || !isIsoDate(value))
      throw new GraphQLError(`Date must be a real date in YYYY-MM-DD form, got ${JSON.stringify(value)}.`);
    return value;
  },
});

builder.scalarType("DateTime", {
  description: "An instant, ISO 8601.",
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(value as string).toISOString()),
  parseValue: (value) => {
    const d = typeof value === "string" ? new Date(value) : null;
    if (!d || Number.isNaN(d.getTime()))
      throw new GraphQLError(`DateTime must be an ISO 8601 instant, got ${JSON.stringify(value)}.`);
    return d;
  },
});

builder.scalarType("File", {
  description: "An uploaded file: a variable given as a part of a GraphQL multipart request (input only).",
  serialize: () => {
    throw new GraphQLError("A File is input only.");
  },
  // yoga's multipart parser hands over its fetch implementation's File (a ponyfill in Node), not the global class
  parseValue: (value) => {
    const file = value as Partial<File> | null;
    if (typeof file !== "object" || file === null || typeof file.arrayBuffer !== "function" || !("size" in file))
      throw new GraphQLError("File must be an upload: send the request as a GraphQL multipart request.");
    return file as File;
  },
});

const DECIMAL = /^-?\d{1,14}(\.\d{1,2})?$/;
builder.scalarType("Decimal", {
  description: 'An amount of money in CNY as a decimal string with at most two decimals, e.g. "12500.00".',
  serialize: (value) => value,
  parseValue: (value) => {
    if (typeof value !== "string" || !DECIMAL.test(value.trim()))
      throw new GraphQLError(
        `Decimal must be a string like "12500.00" (at most two decimals), got ${JSON.stringify(value)}.`,
      );
    return value.trim();
  },
});
