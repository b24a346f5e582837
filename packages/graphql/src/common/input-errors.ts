// Bad values get a coded error that says where they are: `extensions.code = "BAD_USER_INPUT"`, the field and
// the argument path (`argumentPath: ["filter", "from"]`), for literals (graphql-js's ValuesOfCorrectTypeRule,
// run with the path tracked) and for variables (coerced here before execution, HTTP and WebSocket alike, with
// `variablePath` too). graphql-js's own messages are kept; in production its "Did you mean …?" hints are not.

import { msg } from "@wz/core";
import {
  type ASTNode,
  type ASTVisitor,
  coerceInputValue,
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  isInputType,
  isNonNullType,
  Kind,
  type OperationDefinitionNode,
  specifiedRules,
  TypeInfo,
  typeFromAST,
  type ValidationContext,
  type ValidationRule,
  ValuesOfCorrectTypeRule,
  visit,
  visitInParallel,
  visitWithTypeInfo,
} from "graphql";
import type { Plugin } from "graphql-yoga";
import { codedError } from "./messages";

export const BAD_USER_INPUT = "BAD_USER_INPUT";

const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/** graphql-js's own words stay the English (and the detail of other languages, without "Did you mean" hints). */
const badValue = (detail: string) => msg("input.badValue", { detail: detail.replace(SUGGESTION, "") });

/** graphql-js reports a missing required input field at its object: the path goes on to the field itself. */
const MISSING_FIELD = /^Field "(?:\w+\.)?(\w+)" of required type/;
const toMissingField = (path: string[], message: string) => {
  const missing = MISSING_FIELD.exec(message)?.[1];
  return missing ? [...path, missing] : path;
};

export interface InputErrorPlace {
  /** The field (or directive) whose argument holds the value. */
  field: string;
  /** The argument's name, then input fields and list positions. */
  argumentPath: string[];
}

const VALUE_KINDS = new Set<string>([
  Kind.VARIABLE,
  Kind.INT,
  Kind.FLOAT,
  Kind.STRING,
  Kind.BOOLEAN,
  Kind.NULL,
  Kind.ENUM,
  Kind.LIST,
  Kind.OBJECT,
]);

/**
 * A visitor keeping the place (field and argument path) of the value being visited; `at()` reads it. Runs
 * beside another visitor (visitInParallel) that reports errors while it is inside a value.
 */
function placeTracker() {
  const fields: string[] = [];
  const path: string[] = [];
  const nodes: ASTNode[] = [];
  const listItem = (node: ASTNode, key: unknown) => VALUE_KINDS.has(node.kind) && typeof key === "number";
  const visitor: ASTVisitor = {
    enter(node, key) {
      if (node.kind === Kind.FIELD || node.kind === Kind.DIRECTIVE) fields.push(node.name.value);
      else if (node.kind === Kind.ARGUMENT || node.kind === Kind.OBJECT_FIELD) path.push(node.name.value);
      else if (listItem(node, key)) path.push(String(key));
      if (VALUE_KINDS.has(node.kind)) nodes.push(node);
    },
    leave(node, key) {
      if (node.kind === Kind.FIELD || node.kind === Kind.DIRECTIVE) fields.pop();
      else if (node.kind === Kind.ARGUMENT || node.kind === Kind.OBJECT_FIELD) path.pop();
      else if (listItem(node, key)) path.pop();
      if (VALUE_KINDS.has(node.kind)) nodes.pop();
    },
  };
  return {
    visitor,
    at: (): InputErrorPlace & { node: ASTNode | undefined } => ({
      field: fields.at(-1) ?? "",
      argumentPath: [...path],
      node: nodes.at(-1),
    }),
  };
}

/** ValuesOfCorrectTypeRule with every error it reports coded and placed. */
export const CodedValuesOfCorrectTypeRule: ValidationRule = (context: ValidationContext) => {
  const tracker = placeTracker();
  const coded = Object.create(context) as ValidationContext;
  coded.reportError = (error: GraphQLError) => {
    const { field, argumentPath, node } = tracker.at();
    const nodes = error.nodes?.length ? error.nodes : node ? [node] : undefined;
    const path = toMissingField(argumentPath, error.message);
    context.reportError(
      codedError(
        badValue(error.message),
        {
          nodes,
          extensions: { ...error.extensions, code: BAD_USER_INPUT, field, argumentPath: path },
        },
        error.message,
      ),
    );
  };
  return visitInParallel([tracker.visitor, ValuesOfCorrectTypeRule(coded)]);
};

/** The place of each variable's first use in the operation: `$i` in `postLead(input: $i)` → postLead, [input]. */
function variableUses(schema: GraphQLSchema, operation: OperationDefinitionNode): Map<string, InputErrorPlace> {
  const uses = new Map<string, InputErrorPlace>();
  const tracker = placeTracker();
  visit(
    operation.selectionSet,
    visitWithTypeInfo(
      new TypeInfo(schema),
      visitInParallel([
        tracker.visitor,
        {
          Variable(node) {
            if (uses.has(node.name.value)) return;
            const { field, argumentPath } = tracker.at();
            uses.set(node.name.value, { field, argumentPath });
          },
        },
      ]),
    ),
  );
  return uses;
}

/** Coded errors for the variables of the operation about to run (none when they all coerce). */
export function variableErrors(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  inputs: Record<string, unknown>,
): GraphQLError[] {
  const operation = getOperationAST(document, operationName);
  if (!operation?.variableDefinitions?.length) return [];
  const errors: GraphQLError[] = [];
  let uses: Map<string, InputErrorPlace> | undefined;
  const report = (name: string, node: ASTNode, message: string, subPath: string[]) => {
    uses ??= variableUses(schema, operation);
    const use = uses.get(name);
    const argumentPath = [...(use?.argumentPath ?? []), ...subPath];
    errors.push(
      codedError(
        badValue(message),
        {
          nodes: [node],
          extensions: {
            code: BAD_USER_INPUT,
            field: use?.field ?? "",
            argumentPath,
            variablePath: [name, ...subPath],
          },
        },
        message,
      ),
    );
  };
  for (const definition of operation.variableDefinitions) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type);
    if (!type || !isInputType(type)) continue; // validation has refused the operation already
    const given = Object.hasOwn(inputs, name);
    if (!given || inputs[name] === null) {
      if (isNonNullType(type) && (given || !definition.defaultValue))
        report(
          name,
          definition,
          given
            ? `Variable "$${name}" of non-null type "${String(type)}" must not be null.`
            : `Variable "$${name}" of required type "${String(type)}" was not provided.`,
          [],
        );
      continue;
    }
    coerceInputValue(inputs[name], type, (path, invalid, error) => {
      const subPath = toMissingField(path.map(String), error.message);
      const at = subPath.length
        ? ` at "${name}${path.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("")}"`
        : "";
      report(
        name,
        definition,
        `Variable "$${name}" got invalid value ${JSON.stringify(invalid)}${at}; ${error.message}`,
        subPath,
      );
    });
  }
  return errors;
}

const withoutSuggestions = (error: GraphQLError) =>
  new GraphQLError(error.message.replace(SUGGESTION, ""), { nodes: error.nodes, extensions: error.extensions });

/** Codes bad literals (validation) and bad variables (before execution or subscription). */
export function useCodedInputErrors(options: { production: boolean }): Plugin {
  const stopOnBadVariables = ({
    args,
    setResultAndStopExecution,
  }: {
    args: {
      schema: GraphQLSchema;
      document: DocumentNode;
      operationName?: string | null;
      variableValues?: unknown;
    };
    setResultAndStopExecution: (result: { errors: GraphQLError[] }) => void;
  }) => {
    const errors = variableErrors(
      args.schema,
      args.document,
      args.operationName,
      (args.variableValues ?? {}) as Record<string, unknown>,
    );
    if (errors.length)
      setResultAndStopExecution({ errors: options.production ? errors.map(withoutSuggestions) : errors });
  };
  return {
    onValidate({ setValidationFn, validateFn }) {
      setValidationFn((schema, document, rules, ...rest) =>
        validateFn(
          schema,
          document,
          (rules ?? specifiedRules).map((rule: ValidationRule) =>
            rule === ValuesOfCorrectTypeRule || rule.name === "ValuesOfCorrectTypeRule"
              ? CodedValuesOfCorrectTypeRule
              : rule,
          ),
          ...rest,
        ),
      );
    },
    onExecute: stopOnBadVariables,
    onSubscribe: stopOnBadVariables,
  };
}
