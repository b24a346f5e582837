// Probes of the tenant wall generated from the schema: a query for every root field and every Node type, with
// every field to a few levels (connections with their counts), so a new type or field is probed without anyone
// naming it. Used by the tenant probe suites (HTTP and subscriptions).
import { decodeGlobalID } from "@pothos/plugin-relay";
import {
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isScalarType,
  isUnionType,
} from "graphql";
import type { ChamberSeed } from "./seed";

/** Values planted in a chamber's private data; none may ever reach an outsider. */
export const SECRETS = {
  leadTitle: "机密商机SECRETLEAD1",
  leadDescription: "SECRETLEADDESC1",
  response: "SECRETRESPONSE1",
  note: "SECRETNOTE1",
  receipt: "SECRETRCPT1",
  reason: "SECRETREASON1",
  investmentProject: "机密回归项目SECRETPROJECT1",
  investmentProblem: "SECRETPROBLEM1",
  delegationTitle: "机密考察团SECRETDELEGATION1",
  delegationVisit: "SECRETVISITCO1",
  delegationAgreement: "SECRETAGREEMENT1",
  gooseNote: "SECRETGOOSENOTE1",
  gatheringTitle: "机密年会SECRETGATHERING1",
  nominationReason: "SECRETNOMINATION1",
  mobile: "13911110001",
  email: "secret1@hidden.example",
  wechat: "SECRETWX1",
  /** The name of a profile the chamber imported, never agreed to the privacy notice: found only inside it. */
  importedName: "机密导入SECRETIMPORT1",
};

const ROOT_SKIP = new Set(["node", "nodes"]);
const NESTED_PAGE = 5;
const ROOT_PAGE = 20;

/** A member of the probed chamber whose contact fields hold the secrets, each hidden from outsiders. */
export function secretHolder(chamber: ChamberSeed) {
  return chamber.member({
    name: "陈机密",
    mobile: SECRETS.mobile,
    mobileVisibility: "PRIVATE",
    email: SECRETS.email,
    emailVisibility: "CHAMBER",
    wechat: SECRETS.wechat,
    wechatVisibility: "CHAMBER",
    // public like the profile: probed as a Company node
    companies: [{ name: "机密实业有限公司", industry: "C" }],
  });
}

export interface Fill {
  chamberId: string;
}

/** A value for a required argument or input field, by type: enough to make the field run. */
function fillValue(type: GraphQLInputType, name: string, fill: Fill): string | null {
  const inner = getNullableType(type);
  if (isListType(inner)) {
    const item = fillValue(inner.ofType, name, fill);
    return item === null ? null : `[${item}]`;
  }
  if (isInputObjectType(inner)) {
    const parts: string[] = [];
    for (const field of Object.values(inner.getFields())) {
      if (!isNonNullType(field.type)) continue;
      const value = fillValue(field.type, field.name, fill);
      if (value === null) return null;
      parts.push(`${field.name}: ${value}`);
    }
    return `{ ${parts.join(", ")} }`;
  }
  if (isEnumType(inner)) return inner.getValues()[0]?.name ?? null;
  switch (inner.name) {
    case "ID":
      // the one id every probe aims at: the chamber whose private data outsiders must not reach
      return JSON.stringify(fill.chamberId);
    case "Int":
      return /year/i.test(name) ? "2014" : "1";
    case "Float":
      return "1";
    case "Boolean":
      return "false";
    case "Date":
      return '"2014-04-30"';
    case "String":
      return '"x"';
    default:
      return null;
  }
}

/** `(a: …, first: 5)` for a field: required arguments filled, pages kept small; null when one cannot be filled. */
export function argumentsFor(field: GraphQLField<unknown, unknown>, fill: Fill, page: number): string | null {
  const parts: string[] = [];
  for (const arg of field.args) {
    if (arg.name === "first") parts.push(`first: ${page}`);
    else if (isNonNullType(arg.type)) {
      const value = fillValue(arg.type, arg.name, fill);
      if (value === null) return null;
      parts.push(`${arg.name}: ${value}`);
    }
  }
  return parts.length ? `(${parts.join(", ")})` : "";
}

/** Every field of a type to `depth` levels (scalars at the last level), connections with their counts. */
export function selectionFor(schema: GraphQLSchema, type: GraphQLNamedType, depth: number, fill: Fill): string {
  if (isScalarType(type) || isEnumType(type)) return "";
  if (isInterfaceType(type) || isUnionType(type)) {
    const possible = schema.getPossibleTypes(type);
    const fragments = possible.map((t) => `... on ${t.name} ${selectionFor(schema, t, depth, fill)}`);
    return `{ __typename ${fragments.join(" ")} }`;
  }
  const object = type as GraphQLObjectType;
  const parts: string[] = ["__typename"];
  for (const field of Object.values(object.getFields())) {
    const named = getNamedType(field.type);
    const leaf = isScalarType(named) || isEnumType(named);
    if (!leaf && depth === 0) continue;
    const args = argumentsFor(field, fill, NESTED_PAGE);
    if (args === null) continue;
    if (leaf) parts.push(`${field.name}${args}`);
    else parts.push(`${field.name}${args} ${selectionFor(schema, named, depth - 1, fill)}`);
  }
  return `{ ${parts.join(" ")} }`;
}

/** One query per root field, named after it. */
export function rootProbes(schema: GraphQLSchema, fill: Fill): { name: string; query: string }[] {
  const probes: { name: string; query: string }[] = [];
  for (const field of Object.values(schema.getQueryType()!.getFields())) {
    if (ROOT_SKIP.has(field.name)) continue;
    const args = argumentsFor(field, fill, ROOT_PAGE);
    if (args === null) continue;
    const named = getNamedType(field.type);
    probes.push({ name: field.name, query: `{ ${field.name}${args} ${selectionFor(schema, named, 2, fill)} }` });
  }
  // search, by the secrets too: contact values are never searchable, an unlisted profile never found outside
  for (const value of [SECRETS.mobile, SECRETS.email, SECRETS.wechat, SECRETS.leadTitle, SECRETS.importedName])
    probes.push({
      name: `merchants(query: ${value})`,
      query: `{ merchants(query: ${JSON.stringify(value)}, first: 20) { totalCount edges { node { id } } } }`,
    });
  return probes;
}

export function nodeQuery(schema: GraphQLSchema, typename: string, fill: Fill): string {
  const type = schema.getType(typename);
  if (!type) throw new Error(`no type ${typename}`);
  return `query($id: ID!) { node(id: $id) { __typename ... on ${typename} ${selectionFor(schema, type, 1, fill)} } }`;
}

export function nodesQuery(): string {
  return "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }";
}

/** Every global id in an answer (fields named `id` holding `Type:uuid`). */
export function collectIds(value: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const v of value) collectIds(v, into);
  else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) {
      if (k === "id" && typeof v === "string") into.add(v);
      else collectIds(v, into);
    }
  return into;
}

export function decodableId(id: string): { typename: string; id: string } | null {
  try {
    return decodeGlobalID(id);
  } catch {
    return null;
  }
}
