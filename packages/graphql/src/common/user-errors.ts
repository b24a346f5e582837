// The contract's error convention for mutations: payloads carry `userErrors`, and a UserInputError thrown
// by a domain service (which rolled its transaction back) becomes that list instead of a GraphQL error.
import { UserInputError, type UserErrorEntry } from "@wz/core";
import { builder } from "../builder";

export const UserErrorRef = builder.objectRef<UserErrorEntry>("UserError").implement({
  description: "Why an input was refused. Nothing was changed.",
  fields: (t) => ({
    field: t.exposeStringList("field", { nullable: true, description: "Path to the input field at fault, e.g. [\"input\", \"email\"]." }),
    message: t.exposeString("message"),
    code: t.exposeString("code", { description: "INVALID, NOT_FOUND, CONFLICT, INVALID_TRANSITION, FORBIDDEN." }),
  }),
});

/** Runs a mutation body; a UserInputError becomes `{ userErrors }` with every other payload field null. */
export async function withUserErrors<T extends object>(
  run: () => Promise<T>,
): Promise<Partial<T> & { userErrors: UserErrorEntry[] }> {
  try {
    return { ...(await run()), userErrors: [] };
  } catch (error) {
    if (error instanceof UserInputError) return { userErrors: error.errors } as Partial<T> & { userErrors: UserErrorEntry[] };
    throw error;
  }
}

/** A mutation payload type: one changed object (nullable, absent on error) plus `userErrors`. */
export function payloadType<Shape, Key extends string>(
  name: string,
  key: Key,
  ref: import("@pothos/core").ObjectRef<import("../builder").BuilderTypes, Shape>,
) {
  type Payload = { [K in Key]?: Shape | null } & { userErrors: UserErrorEntry[] };
  return builder.objectRef<Payload>(name).implement({
    fields: (t) => ({
      [key]: t.field({ type: ref, nullable: true, resolve: (payload: Payload) => ((payload as Record<string, unknown>)[key] ?? null) as never }),
      userErrors: t.field({ type: [UserErrorRef], resolve: (payload: Payload) => payload.userErrors }),
    }),
  });
}
