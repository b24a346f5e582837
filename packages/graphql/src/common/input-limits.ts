// Bounds on what one request may send, checked on the arguments as executed (literals and variables alike)
// before any resolver runs: every list argument and input list has at most `maxItems` entries, every string at
// most `maxLength` characters, and no string holds control characters, unpaired surrogates or bidi controls.
// A field or argument declares other bounds where it is (`extensions: { maxItems, maxLength, file }`).
// Query and subscription arguments that break a rule get a coded GraphQL error; a mutation's `input` gets its
// payload's `userErrors` (see `guardMutationInputs`), except for the hard caps that protect the process.
import { decodeGlobalID } from "@pothos/plugin-relay";
import { type Message, msg, textProblem, textProblemMessage, type UserErrorEntry } from "@wz/core";
import {
  type DocumentNode,
  type GraphQLError,
  type GraphQLFieldConfig,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLSchema,
  getArgumentValues,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from "graphql";
import type { Plugin } from "graphql-yoga";
import { BAD_USER_INPUT } from "./input-errors";
import { codedError } from "./messages";

export interface InputLimits {
  /** Entries of a list, unless the argument or field declares `maxItems`. */
  maxItems: number;
  /** Characters of a string, unless the argument or field declares `maxLength`. */
  maxLength: number;
}

export const defaultInputLimits: InputLimits = { maxItems: 100, maxLength: 2_000 };

/** The most a connection hands out in one page: a larger `first`/`last` is refused, never silently cut. */
export const MAX_PAGE_SIZE = 100;

/** No declaration lifts a string or a list above these (the body limit stops anything larger first). */
const HARD_MAX_LENGTH = 20_000_000;
const HARD_MAX_ITEMS = 10_000;

interface Bounds {
  maxItems?: number;
  maxLength?: number;
  /** A file's content (CSV, base64): only its length is bounded here; its reader checks each cell. */
  file?: boolean;
  /** A Relay global id (Pothos's `t.globalID`): of one of these types when the list is given. */
  globalId?: { for: string[] | null };
}

export interface InputViolation {
  /** Path to the value: the argument name, then input fields and list positions. */
  path: string[];
  /** The field whose argument it is (queries and subscriptions). */
  field?: string;
  message: Message;
  /** True when only the hard caps (not text hygiene or a declared bound) were broken. */
  hard: boolean;
}

function boundsOf(extensions: unknown): Bounds {
  const e = (extensions ?? {}) as {
    maxItems?: unknown;
    maxLength?: unknown;
    file?: unknown;
    isRelayGlobalID?: unknown;
    relayGlobalIDFor?: { typename: string }[] | null;
  };
  return {
    maxItems: typeof e.maxItems === "number" ? e.maxItems : undefined,
    maxLength: typeof e.maxLength === "number" ? e.maxLength : undefined,
    file: e.file === true,
    ...(e.isRelayGlobalID === true ? { globalId: { for: e.relayGlobalIDFor?.map((t) => t.typename) ?? null } } : {}),
  };
}

/** Why a value is no global id (of the expected types), or null when it is one. */
function globalIdProblem(value: string, expected: string[] | null): Message | null {
  let typename: string;
  try {
    typename = decodeGlobalID(value).typename;
  } catch {
    return msg("limits.badId", { id: JSON.stringify(value) });
  }
  if (expected && !expected.includes(typename))
    return msg("limits.wrongIdType", { id: JSON.stringify(value), types: expected.join(" / ") });
  return null;
}

/** Every violation in one argument's value (coerced), walking input objects and lists. */
export function inputViolations(
  value: unknown,
  type: GraphQLInputType,
  path: string[],
  bounds: Bounds,
  limits: InputLimits,
  into: InputViolation[] = [],
): InputViolation[] {
  if (value === null || value === undefined) return into;
  const inner = getNullableType(type);
  if (isListType(inner)) {
    if (!Array.isArray(value)) return into;
    const max = Math.min(bounds.maxItems ?? limits.maxItems, HARD_MAX_ITEMS);
    if (value.length > max) {
      into.push({
        path,
        message: msg("limits.entries", { max, got: value.length }),
        hard: value.length > HARD_MAX_ITEMS,
      });
      return into;
    }
    for (const [i, item] of value.entries())
      inputViolations(item, inner.ofType, [...path, String(i)], bounds, limits, into);
    return into;
  }
  if (isInputObjectType(inner)) {
    if (typeof value !== "object") return into;
    const fields = inner.getFields();
    for (const [name, fieldValue] of Object.entries(value as Record<string, unknown>)) {
      const field = fields[name];
      if (field) inputViolations(fieldValue, field.type, [...path, name], boundsOf(field.extensions), limits, into);
    }
    return into;
  }
  if (typeof value === "string" && (isScalarType(inner) || isEnumType(inner))) {
    if (value.length > HARD_MAX_LENGTH) {
      into.push({ path, message: msg("input.atMostCharacters", { max: HARD_MAX_LENGTH }), hard: true });
      return into;
    }
    const max = bounds.maxLength ?? limits.maxLength;
    const problem = bounds.file ? (value.length > max ? "TOO_LONG" : null) : textProblem(value, max);
    if (problem) into.push({ path, message: textProblemMessage(problem, max), hard: false });
    else if (bounds.globalId) {
      const idProblem = globalIdProblem(value, bounds.globalId.for);
      if (idProblem) into.push({ path, message: idProblem, hard: false });
    }
  }
  return into;
}

/** Whether a mutation answers with a payload carrying `userErrors` (so its input's problems go there). */
function hasUserErrors(field: { type: unknown }): boolean {
  const type = getNamedType(field.type as never);
  return isObjectType(type) && "userErrors" in type.getFields();
}

/** `first`/`last` of a connection: at most MAX_PAGE_SIZE, never negative. */
function pageSizeViolations(field: { type: GraphQLOutputType }, arg: string, value: unknown): InputViolation[] {
  if ((arg !== "first" && arg !== "last") || typeof value !== "number") return [];
  if (!getNamedType(field.type).name.endsWith("Connection")) return [];
  if (value > MAX_PAGE_SIZE)
    return [{ path: [arg], message: msg("limits.pageSize", { max: MAX_PAGE_SIZE, got: value }), hard: false }];
  if (value < 0) return [{ path: [arg], message: msg("limits.negativePageSize"), hard: false }];
  return [];
}

/** Violations of the operation about to run, by field argument; mutation inputs only for the hard caps. */
function operationViolations(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
  limits: InputLimits,
): InputViolation[] {
  const typeInfo = new TypeInfo(schema);
  const found: InputViolation[] = [];
  let operationCount = 0;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      OperationDefinition(node) {
        operationCount++;
        // only the operation being executed: another one's variables are not given
        if (operationName ? node.name?.value !== operationName : operationCount > 1) return false;
        return undefined;
      },
      Field(node) {
        const field = typeInfo.getFieldDef();
        if (!field || field.args.length === 0) return;
        let values: Record<string, unknown>;
        try {
          values = getArgumentValues(field, node, variables);
        } catch {
          return; // execution reports the bad value itself
        }
        const parent = typeInfo.getParentType();
        const guarded = parent === schema.getMutationType() && hasUserErrors(field);
        // `node`/`nodes` answer a malformed id as a missing one (null), like any id the viewer may not know of
        const lookup = parent === schema.getQueryType() && (field.name === "node" || field.name === "nodes");
        for (const arg of field.args) {
          const bounds = boundsOf(arg.extensions);
          if (lookup) delete bounds.globalId;
          const violations = [
            ...inputViolations(values[arg.name], arg.type, [arg.name], bounds, limits),
            ...pageSizeViolations(field, arg.name, values[arg.name]),
          ].map((v) => ({ ...v, field: field.name }));
          found.push(...(guarded && arg.name === "input" ? violations.filter((v) => v.hard) : violations));
        }
      },
    }),
  );
  return found;
}

/** Refuses an operation whose arguments break the bounds, before anything runs (HTTP and WebSocket alike). */
export function useInputLimits(limits: InputLimits = defaultInputLimits): Plugin {
  const withoutVariables = new WeakMap<DocumentNode, Map<string, InputViolation[]>>();
  const refuse = ({
    args,
    setResultAndStopExecution,
  }: {
    args: { schema: GraphQLSchema; document: unknown; operationName?: string | null; variableValues?: unknown };
    setResultAndStopExecution: (result: { errors: GraphQLError[] }) => void;
  }) => {
    const document = args.document as DocumentNode;
    if (!document.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION)) return;
    const variables = (args.variableValues ?? {}) as Record<string, unknown>;
    const check = () => operationViolations(args.schema, document, args.operationName, variables, limits);
    // Without variables the answer depends on the document alone (yoga hands the same parsed document for the same
    // text), so an operation sent again is not walked again.
    let violations: InputViolation[];
    if (Object.keys(variables).length === 0) {
      const byOperation = withoutVariables.get(document) ?? new Map<string, InputViolation[]>();
      withoutVariables.set(document, byOperation);
      const key = args.operationName ?? "";
      violations = byOperation.get(key) ?? check();
      byOperation.set(key, violations);
    } else violations = check();
    if (violations.length === 0) return;
    setResultAndStopExecution({
      errors: violations.slice(0, 10).map((v) =>
        codedError(msg("limits.argument", { argument: v.path.join("."), problem: v.message }), {
          // `argument` as first published; `argumentPath` and `field` as every coded input error has them
          extensions: { code: BAD_USER_INPUT, argument: v.path, argumentPath: v.path, field: v.field ?? "" },
        }),
      ),
    });
  };
  return { onExecute: refuse, onSubscribe: refuse };
}

/** An answer with only `userErrors`: nullable fields null, non-null counts 0, flags false, lists empty. */
function emptyPayload(type: unknown, userErrors: UserErrorEntry[]): Record<string, unknown> {
  const payload: Record<string, unknown> = { userErrors };
  const named = getNamedType(type as never);
  if (!isObjectType(named)) return payload;
  for (const [name, field] of Object.entries(named.getFields())) {
    if (name === "userErrors" || !isNonNullType(field.type)) continue;
    const inner = field.type.ofType;
    if (isListType(inner)) payload[name] = [];
    else if (isScalarType(inner) && (inner.name === "Int" || inner.name === "Float")) payload[name] = 0;
    else if (isScalarType(inner) && inner.name === "Boolean") payload[name] = false;
  }
  return payload;
}

/**
 * Wraps every mutation whose payload carries `userErrors`: text problems and declared bounds in its `input`
 * answer as `userErrors` on the input's path, and nothing runs.
 */
export function guardMutationInputs(schema: GraphQLSchema, limits: InputLimits = defaultInputLimits): GraphQLSchema {
  const mutation = schema.getMutationType();
  if (!mutation) return schema;
  for (const field of Object.values(mutation.getFields())) {
    const input = field.args.find((a) => a.name === "input");
    if (!input || !hasUserErrors(field) || !field.resolve) continue;
    const resolve = field.resolve as NonNullable<GraphQLFieldConfig<unknown, unknown>["resolve"]>;
    field.resolve = (root, args, context, info) => {
      const violations = inputViolations(args.input, input.type, ["input"], boundsOf(input.extensions), limits);
      if (violations.length === 0) return resolve(root, args, context, info);
      return emptyPayload(
        field.type,
        violations.map((v) => ({ field: v.path, message: v.message, code: "INVALID" as const })),
      );
    };
  }
  return schema;
}
