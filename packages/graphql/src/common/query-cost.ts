// What an operation will cost, priced by the work it causes rather than by its shape, checked with its
// variables before any resolver runs; and the limit errors of every query limit, coded and saying what to change.
//
// The price is in "values": every field value produced costs 1 per row it is produced for, and every statement
// costs STATEMENT_COST. Statements do not multiply with rows: a field under a list is read by one batched
// statement for all its parents (DataLoader, `nestedConnection`). Rows multiply: a connection's `edges` hold
// `first`/`last` rows (20 by default, 100 at most), a plain list the `rows` its field declares (10 by default),
// `nodes(ids:)` as many as it is given. A field declares what differs from these defaults on itself:
// `extensions: { cost: { statements: 0, rows: 40 } }`.

import { type Message, msg } from "@wz/core";
import {
  type ArgumentNode,
  type DirectiveNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLError,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  SchemaMetaFieldDef,
  type SelectionSetNode,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  valueFromASTUntyped,
} from "graphql";
import type { Plugin } from "graphql-yoga";
import { codedError } from "./messages";

export const QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX";

/** What one field costs beyond the defaults, declared in its `extensions.cost`. */
export interface FieldCost {
  /** Statements the field sends for all its parents together (1 for a field of object type, else 0). */
  statements?: number;
  /** Rows a list field holds per parent (10 when undeclared). */
  rows?: number;
}

/** One statement is worth this many field values (a round trip, planning, and the driver's work). */
export const STATEMENT_COST = 50;
const DEFAULT_LIST_ROWS = 10;
const DEFAULT_PAGE = 20;
const MAX_PAGE = 100;
/** Introspection answers from memory: a tenth of a value each. */
const INTROSPECTION_VALUE = 0.1;

export interface OperationCost {
  statements: number;
  values: number;
  total: number;
}

interface Tally {
  statements: number;
  /** Values produced for one row of the parent. */
  values: number;
}

type Variables = Record<string, unknown> | null | undefined;

function argument(node: { arguments?: readonly ArgumentNode[] }, name: string, variables: Variables): unknown {
  const arg = node.arguments?.find((a) => a.name.value === name);
  return arg ? valueFromASTUntyped(arg.value, variables ?? undefined) : undefined;
}

function skipped(node: { directives?: readonly DirectiveNode[] }, v: Variables) {
  for (const d of node.directives ?? []) {
    const condition = argument(d, "if", v);
    if (d.name.value === "skip" && condition === true) return true;
    if (d.name.value === "include" && condition === false) return true;
  }
  return false;
}

function pageSize(field: { arguments?: readonly ArgumentNode[] }, v: Variables) {
  const first = argument(field, "first", v);
  const last = argument(field, "last", v);
  const size = typeof first === "number" ? first : typeof last === "number" ? last : DEFAULT_PAGE;
  return Math.max(0, Math.min(size, MAX_PAGE));
}

const isConnection = (type: GraphQLNamedType) => type.name.endsWith("Connection");

/** The cost of one operation of `document` with these variables. */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Variables,
): OperationCost {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  for (const d of document.definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    else if (d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName))
      operation ??= d;
  }
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return { statements: 0, values: 0, total: 0 };
  // A fragment is priced once per type it is spread on (spreading it again costs the same again, not more work).
  const memo = new Map<string, Tally>();
  const visiting = new Set<string>();

  const selection = (
    type: GraphQLNamedType,
    set: SelectionSetNode,
    context: { introspection: boolean; connectionRows: number; rootConnection: boolean },
  ): Tally => {
    const tally: Tally = { statements: 0, values: 0 };
    const add = (t: Tally, times = 1) => {
      tally.statements += t.statements;
      tally.values += t.values * times;
    };
    for (const s of set.selections) {
      if (skipped(s, variables)) continue;
      if (s.kind === Kind.INLINE_FRAGMENT) {
        const on = s.typeCondition ? (schema.getType(s.typeCondition.name.value) ?? type) : type;
        add(selection(on, s.selectionSet, context));
        continue;
      }
      if (s.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(s.name.value);
        const key = `${s.name.value}:${type.name}:${context.connectionRows}:${context.rootConnection}`;
        if (!fragment || visiting.has(key)) continue; // a cycle is refused by validation
        let cost = memo.get(key);
        if (!cost) {
          visiting.add(key);
          const on = schema.getType(fragment.typeCondition.name.value) ?? type;
          cost = selection(on, fragment.selectionSet, context);
          visiting.delete(key);
          memo.set(key, cost);
        }
        add(cost);
        continue;
      }
      const name = s.name.value;
      const valueCost = context.introspection ? INTROSPECTION_VALUE : 1;
      if (name === TypeNameMetaFieldDef.name) {
        tally.values += valueCost;
        continue;
      }
      // Fields of a union are selected in fragments; an unknown field fails validation anyway.
      const field: GraphQLField<unknown, unknown> | undefined =
        name === SchemaMetaFieldDef.name && type === root
          ? SchemaMetaFieldDef
          : name === TypeMetaFieldDef.name && type === root
            ? TypeMetaFieldDef
            : isObjectType(type) || isInterfaceType(type)
              ? type.getFields()[name]
              : undefined;
      if (!field) continue;
      const declared = field.extensions?.cost as FieldCost | undefined;
      const fieldType = getNamedType(field.type);
      const introspection = context.introspection || name.startsWith("__");
      const composite = isCompositeType(fieldType);
      const inContainer = isConnection(type) || type.name.endsWith("Edge") || type.name === "PageInfo";
      let statements = declared?.statements ?? (composite && !introspection && !inContainer ? 1 : 0);
      if (name === "totalCount" && isConnection(type)) statements = context.rootConnection ? 1 : 0;
      tally.statements += statements;
      tally.values += valueCost;
      if (!s.selectionSet || !composite) continue;
      let rows = 1;
      const list = isListType(getNullableType(field.type));
      if (list && isConnection(type) && (name === "edges" || name === "nodes")) rows = context.connectionRows;
      else if (list) {
        const ids = argument(s, "ids", variables);
        rows = Array.isArray(ids) ? ids.length : (declared?.rows ?? DEFAULT_LIST_ROWS);
      }
      const inner = selection(fieldType, s.selectionSet, {
        introspection,
        connectionRows: isConnection(fieldType) ? pageSize(s, variables) : context.connectionRows,
        rootConnection: isConnection(fieldType) ? type === root : context.rootConnection,
      });
      add(inner, rows);
    }
    return tally;
  };

  const tally = selection(root, operation.selectionSet, {
    introspection: false,
    connectionRows: DEFAULT_PAGE,
    rootConnection: false,
  });
  const values = Math.ceil(tally.values);
  return { statements: tally.statements, values, total: tally.statements * STATEMENT_COST + values };
}

/** A coded limit error whose message says what to change. */
export function tooComplex(message: Message, extensions: Record<string, unknown> = {}): GraphQLError {
  return codedError(message, { extensions: { code: QUERY_TOO_COMPLEX, ...extensions } });
}

const fmt = (n: number) => n.toLocaleString("en-US");

/** Refuses an operation whose cost exceeds `maxCost`, with its variables, before any resolver runs. */
export function useQueryCost(maxCost: number): Plugin {
  const check = (args: {
    schema: GraphQLSchema;
    document: DocumentNode;
    operationName?: string | null;
    variableValues?: Variables;
  }) => {
    const cost = operationCost(args.schema, args.document, args.operationName, args.variableValues);
    if (cost.total <= maxCost) return null;
    return tooComplex(
      msg("limits.cost", {
        cost: fmt(cost.total),
        max: fmt(maxCost),
        statements: fmt(cost.statements),
        values: fmt(cost.values),
      }),
      { cost: cost.total, maxCost, statements: cost.statements, values: cost.values },
    );
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const error = check(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const error = check(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}

/** What to change, per query limit of graphql-armor (whose own messages start "Syntax Error"). */
const advice = {
  depth: msg("limits.depth"),
  aliases: msg("limits.aliases"),
  tokens: msg("limits.tokens"),
  directives: msg("limits.directives"),
};

/** armor's `onReject` for one limit: throws the coded error instead of armor's "Syntax Error: …". */
export function rejectAs(limit: keyof typeof advice) {
  return [
    (_context: unknown, error: GraphQLError) => {
      const found = error.message.replace(/^Syntax Error:\s*/, "");
      throw tooComplex(msg("limits.armor", { found, advice: advice[limit] }), { limit });
    },
  ];
}
