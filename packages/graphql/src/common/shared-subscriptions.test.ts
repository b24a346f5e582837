// Sharing declarations held to their word. A field declared `sharing: "all"` that reads the viewer fails
// when an event is executed once for many subscribers (shown on a tiny schema with a deliberately wrong
// declaration); and every field the real schema declares shared, reachable from Subscription, resolves
// without error in a shared execution of a real lead event.
import { resolveViewer } from "@wz/core";
import { type ChamberSeed, createTestApi, globalId, type SeededUser, seed, type TestApi } from "@wz/testkit";
import {
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLField,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  getNamedType,
  isObjectType,
  parse,
  subscribe,
} from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { schema } from "../schema";
import { guardSharedFields, type SharingExtensions, sharedEventKey } from "./shared-events";
import { subscribeShared } from "./shared-subscriptions";

const unmasked = (result: ExecutionResult) => result;

async function firstResult(stream: AsyncIterable<ExecutionResult> | ExecutionResult | null): Promise<ExecutionResult> {
  if (!stream || !(Symbol.asyncIterator in stream)) throw new Error(`no stream: ${JSON.stringify(stream)}`);
  const iterator = stream[Symbol.asyncIterator]();
  const next = await iterator.next();
  await iterator.return?.();
  if (next.done) throw new Error("the stream ended without a result");
  return next.value;
}

describe("a field declared shared that reads the viewer", () => {
  // `seenBy` is declared the same for every viewer, but reads who asks: the declaration is wrong.
  const context = { viewer: { userId: "u1" }, permissions: {}, token: "t", requestId: "r", db: { ok: true } };
  type Ctx = typeof context;
  const read = (key: keyof Ctx) => ({
    type: GraphQLString,
    extensions: { sharing: "all" } satisfies SharingExtensions,
    resolve: (_tick: unknown, _args: unknown, ctx: Ctx) => JSON.stringify(ctx[key]),
  });
  const Tick = new GraphQLObjectType<{ label: string }, Ctx>({
    name: "Tick",
    fields: {
      label: { type: GraphQLString, extensions: { sharing: "all" } },
      seenBy: { ...read("viewer"), resolve: (_t, _a, ctx) => ctx.viewer.userId },
      permissions: read("permissions"),
      token: read("token"),
      requestId: read("requestId"),
      db: read("db"),
    },
  });
  const tiny = guardSharedFields(
    new GraphQLSchema({
      query: new GraphQLObjectType({ name: "Query", fields: { label: { type: GraphQLString } } }),
      subscription: new GraphQLObjectType({
        name: "Subscription",
        fields: {
          tick: {
            type: Tick,
            extensions: { sharing: "all" },
            subscribe: async function* () {
              yield { label: "tick" };
            },
            resolve: (tick: { label: string }) => tick,
          },
        },
      }),
    }),
  );
  const run = async (query: string, shared: boolean) => {
    const args: ExecutionArgs = { schema: tiny, document: parse(query), contextValue: { ...context } };
    const plan = sharedEventKey(tiny, args.document, query, null, {});
    expect(plan).not.toBeNull();
    return firstResult(shared ? await subscribeShared(args, plan!, unmasked) : await subscribe(args));
  };

  it("fails in a shared execution, naming the field and what it read", async () => {
    const result = await run(`subscription { tick { label seenBy } }`, true);
    expect(result.data).toEqual({ tick: { label: "tick", seenBy: null } });
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.path).toEqual(["tick", "seenBy"]);
    expect(result.errors![0]!.message).toMatch(
      /Tick\.seenBy is declared sharing "all" but read the context's "viewer"/,
    );
  });

  it("refuses everything on the context that depends on who asks, and nothing else", async () => {
    const result = await run(`subscription { tick { permissions token requestId db } }`, true);
    expect(result.data).toEqual({ tick: { permissions: null, token: null, requestId: null, db: '{"ok":true}' } });
    expect(result.errors?.map((e) => e.path?.join("."))).toEqual(["tick.permissions", "tick.token", "tick.requestId"]);
  });

  it("reads the viewer as usual when the event is executed for one subscriber", async () => {
    const result = await run(`subscription { tick { label seenBy } }`, false);
    expect(result).toEqual({ data: { tick: { label: "tick", seenBy: "u1" } } });
  });

  it("refuses declarations that cannot hold, when the schema is built", () => {
    const build = (tick: Record<string, unknown>) =>
      guardSharedFields(
        new GraphQLSchema({
          query: new GraphQLObjectType({ name: "Query", fields: { label: { type: GraphQLString } } }),
          subscription: new GraphQLObjectType({ name: "Subscription", fields: { tick: { type: Tick, ...tick } } }),
        }),
      );
    expect(() => build({ extensions: { sharing: "everyone" } })).toThrow(/Subscription\.tick: unknown sharing/);
    const audience = { of: () => "", covers: ["owner"] };
    expect(() => build({ extensions: { sharing: "all", audience } })).toThrow(
      /covers "owner", which the schema has not/,
    );
    expect(() => build({ extensions: { audience: { ...audience, covers: [""] } } })).toThrow(
      /belongs on a subscription/,
    );
  });
});

describe("an event audience", () => {
  const Person = new GraphQLObjectType({
    name: "Person",
    fields: {
      name: { type: GraphQLString, extensions: { sharing: "all" } },
      phone: { type: GraphQLString, extensions: { sharing: "audience" } },
    },
  });
  const Tick = new GraphQLObjectType({
    name: "Tick",
    fields: {
      owner: { type: Person, extensions: { sharing: "all" } },
      other: { type: Person, extensions: { sharing: "all" } },
    },
  });
  const audience = { of: () => "everyone", covers: ["owner"] };
  const tiny = guardSharedFields(
    new GraphQLSchema({
      query: new GraphQLObjectType({ name: "Query", fields: { label: { type: GraphQLString } } }),
      subscription: new GraphQLObjectType({
        name: "Subscription",
        fields: {
          tick: { type: Tick, extensions: { sharing: "all", audience } },
          tock: { type: Tick, extensions: { sharing: "all" } },
        },
      }),
    }),
  );
  const keyOf = (query: string) => sharedEventKey(tiny, parse(query), query, null, {});

  it("keys by audience the audience-dependent fields at the paths it covers, and no others", () => {
    expect(keyOf(`subscription { tick { owner { name } other { name } } }`)).toEqual({ key: expect.any(String) });
    expect(keyOf(`subscription { tick { owner { name phone } } }`)?.audience).toBe(audience.of);
    expect(keyOf(`subscription { tick { other { phone } } }`)).toBeNull();
    expect(keyOf(`subscription { tock { owner { phone } } }`)).toBeNull();
  });
});

/**
 * Every field declared shared that a subscription field's result reaches through shared fields, as a
 * selection: `sharing: "all"` ones, and with `withAudience` the `sharing: "audience"` ones its audience covers.
 */
function everySharedField(root: GraphQLField<unknown, unknown>, withAudience: boolean): string {
  const covers = new Set(withAudience ? ((root.extensions as SharingExtensions).audience?.covers ?? []) : []);
  const select = (field: GraphQLField<unknown, unknown>, path: string, seen: readonly string[]): string | null => {
    const { sharing } = field.extensions as SharingExtensions;
    const parent = path.split(".").slice(0, -1).join(".");
    if (sharing !== "all" && !(sharing === "audience" && covers.has(parent))) return null;
    expect(
      field.args.filter((a) => a.type.toString().endsWith("!")),
      `${path} needs arguments`,
    ).toEqual([]);
    const type = getNamedType(field.type);
    if (!isObjectType(type)) return field.name;
    if (seen.includes(type.name)) return null; // a cycle: the type's fields are already selected above
    const inner = Object.values(type.getFields())
      .map((f) => select(f, path ? `${path}.${f.name}` : f.name, [...seen, type.name]))
      .filter((s): s is string => s !== null);
    return inner.length ? `${field.name} { ${inner.join(" ")} }` : null;
  };
  return `subscription { ${select(root, "", [])} }`;
}

describe("every field the schema declares shared", () => {
  let api: TestApi;
  let shanghai: ChamberSeed;
  let poster: { merchantId: string; user: SeededUser };
  let fellow: SeededUser;
  let outsider: SeededUser;
  let leadId: string;

  beforeAll(async () => {
    api = await createTestApi();
    const s = seed(api.db.db);
    shanghai = await s.chamber({ name: "上海市温州商会", kind: "PROVINCIAL", provinceCode: "31" });
    const shenzhen = await s.chamber({ name: "深圳温州商会", provinceCode: "44", city: "深圳" });
    poster = await shanghai.member({ name: "陈一新", mobile: "13800000001", mobileVisibility: "CHAMBER" });
    fellow = (await shanghai.member()).user;
    outsider = (await shenzhen.member()).user;
    const { postLead } = await api.data(
      `mutation ($input: PostLeadInput!) { postLead(input: $input) { lead { id } userErrors { message } } }`,
      {
        input: {
          chamberId: globalId("Chamber", shanghai.id),
          kind: "BUSINESS_OPPORTUNITY",
          title: "共享字段",
          description: "详情",
          visibility: "SELECTED_CHAMBERS",
          selectedChamberIds: [globalId("Chamber", shenzhen.id)],
          industry: "C",
          amount: "1000000",
          expiresOn: "2099-12-31",
        },
      },
      poster.user.token,
    );
    expect(postLead.userErrors).toEqual([]);
    leadId = postLead.lead.id;
    const { updateLeadStatus } = await api.data(
      `mutation ($input: UpdateLeadStatusInput!) { updateLeadStatus(input: $input) { userErrors { message } } }`,
      { input: { leadId, status: "IN_PROGRESS" } },
      poster.user.token,
    );
    expect(updateLeadStatus.userErrors).toEqual([]);
  });
  afterAll(() => api.close());

  /** One subscriber's first event of `query`, replayed from the start of the log, executed shared. */
  async function sharedEvent(query: string, token: string, variables: Record<string, unknown>) {
    const viewer = await resolveViewer(api.db.db, token);
    const socketContext = { socketViewer: viewer, socketToken: token, requestId: "shared-fields" };
    const { contextFactory } = api.app.getEnveloped(socketContext as never);
    const document = parse(query);
    const args: ExecutionArgs = { schema, document, variableValues: variables, contextValue: await contextFactory() };
    const plan = sharedEventKey(schema, document, query, null, variables);
    expect(plan, query).not.toBeNull();
    return { plan: plan!, result: await firstResult(await subscribeShared(args, plan!, unmasked)) };
  }

  const roots = Object.values(schema.getSubscriptionType()!.getFields()).filter(
    (f) => (f.extensions as SharingExtensions).sharing === "all",
  );

  it("covers the lead subscriptions", () => {
    expect(roots.map((f) => f.name)).toEqual(["leadPosted", "leadUpdated"]);
    const selection = everySharedField(roots[0]!, true);
    for (const field of [
      "title",
      "eventCursor",
      "viewerCanManage",
      "chamber { id name",
      "postedBy { id name",
      "mobile",
    ])
      expect(selection).toContain(field);
    expect(selection).not.toContain("responses");
  });

  for (const withAudience of [false, true])
    it(`resolve without error in a shared execution${
      withAudience ? ", audience-dependent ones " + "included" : ""
    }`, async () => {
      for (const root of roots) {
        // From the start of the log; leadUpdated for the one lead, which all three may see.
        const args = root.name === "leadUpdated" ? `(leadId: $leadId, after: "0")` : `(after: "0")`;
        const query = everySharedField(root, withAudience)
          .replace(root.name, `${root.name}${args}`)
          .replace("subscription", root.name === "leadUpdated" ? "subscription ($leadId: ID)" : "subscription");
        const subscribers = { poster: poster.user.token, fellow: fellow.token, outsider: outsider.token };
        for (const [who, token] of Object.entries(subscribers)) {
          const { plan, result } = await sharedEvent(query, token, { leadId });
          expect(plan.audience === undefined, query).toBe(!withAudience);
          expect(result.errors, `${root.name} for the ${who}`).toBeUndefined();
          expect(result.data?.[root.name]).toMatchObject({ id: leadId, title: "共享字段" });
        }
      }
    });

  it(
    "costs the audience-dependent fields no statement: the loaders primed from the event survive the " + "guard",
    async () => {
      const [root] = roots;
      const cost = async (withAudience: boolean) => {
        const query = everySharedField(root!, withAudience).replace("leadPosted", `leadPosted(after: "0")`);
        api.db.resetStatements();
        const { result } = await sharedEvent(query, fellow.token, {});
        expect(result.errors).toBeUndefined();
        // showing the poster's CHAMBER-visible contact fields to a fellow member writes one access entry
        const recording = api.db.statements.filter((s) => /insert into "contact_access"/.test(s));
        expect(recording).toHaveLength(withAudience ? 1 : 0);
        return api.db.statements.length - recording.length;
      };
      expect(await cost(true)).toBe(await cost(false));
    },
  );
});
