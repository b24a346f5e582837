// The contract's error convention for mutations: payloads carry `userErrors`, and a UserInputError thrown
// by a domain service (which rolled its transaction back) becomes that list instead of a GraphQL error.
// Core names the domain's fields (`title`, `selectedChamberIds.2`); this edge maps them to input paths.
import type { FieldMap, ObjectFieldBuilder, ObjectRef } from "@pothos/core";
import { renderMessage, type UserErrorEntry, UserInputError } from "@wz/core";
import { type BuilderTypes, builder } from "../builder";

export const UserErrorRef = builder.objectRef<UserErrorEntry>("UserError").implement({
  description: "Why an input was refused. Nothing was changed.",
  fields: (t) => ({
    field: t.exposeStringList("field", {
      nullable: true,
      description: 'Path to the input field at fault, e.g. ["input", "email"].',
    }),
    message: t.string({
      description: "What is wrong and what to do, in the reader's language (Accept-Language: zh-CN or en).",
      resolve: (error, _args, context) => renderMessage(error.message, context.locale),
    }),
    code: t.exposeString("code", { description: "INVALID, NOT_FOUND, CONFLICT, INVALID_TRANSITION, FORBIDDEN." }),
  }),
});

/** How a domain field path reads in GraphQL. */
export type FieldPathMap = (field: string[]) => string[];

/** The default: a mutation's one argument is `input`, and core's field names are its field names. */
export const underInput: FieldPathMap = (field) => ["input", ...field];

/** Runs a mutation body; a UserInputError becomes `{ userErrors }` with every other payload field null. */
export async function withUserErrors<T extends object>(
  run: () => Promise<T>,
  mapField: FieldPathMap = underInput,
): Promise<Partial<T> & { userErrors: UserErrorEntry[] }> {
  try {
    return { ...(await run()), userErrors: [] };
  } catch (error) {
    if (error instanceof UserInputError) {
      const userErrors = error.errors.map((e) => ({ ...e, field: e.field ? mapField(e.field) : null }));
      return { userErrors } as Partial<T> & { userErrors: UserErrorEntry[] };
    }
    throw error;
  }
}

type PayloadShape = { userErrors: UserErrorEntry[] };

/** A mutation payload type: the fields given (absent on error) plus `userErrors`. The one way to write a payload. */
export function payloadType<Payload extends PayloadShape>(
  name: string,
  fields: (t: ObjectFieldBuilder<BuilderTypes, Payload>) => FieldMap,
  description?: string,
): ObjectRef<BuilderTypes, Payload> {
  return builder.objectRef<Payload>(name).implement({
    description:
      description ??
      "A mutation's result: the changed objects (null when the input was refused) and userErrors (empty on success).",
    fields: (t) => ({
      userErrors: t.field({
        type: [UserErrorRef],
        description: "Why the input was refused, one entry per problem; empty on success. Nothing was changed.",
        resolve: (payload) => payload.userErrors,
      }),
      // A payload may redefine userErrors to describe its paths (importMembers' rows), never leave it out.
      ...fields(t),
    }),
  });
}

/** The common case: one changed object (nullable, absent on error) plus `userErrors`. */
export function objectPayloadType<Shape, Key extends string>(
  name: string,
  key: Key,
  ref: ObjectRef<BuilderTypes, Shape>,
  description?: string,
) {
  type Payload = { [K in Key]?: Shape | null } & PayloadShape;
  return payloadType<Payload>(
    name,
    (t) => ({
      [key]: t.field({
        type: ref,
        nullable: true,
        description: `The ${key} as it now is; null when the input was refused (see userErrors).`,
        resolve: (payload: Payload) => ((payload as Record<string, unknown>)[key] ?? null) as never,
      }),
    }),
    description,
  );
}
