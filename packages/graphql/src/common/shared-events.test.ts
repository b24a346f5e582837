// Which subscription operations may share one execution per event, decided on the real schema: only those
// whose every field (through fragments) is declared to read the same for every viewer, or for every viewer
// in the same audience of the event.
import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { schema } from "../schema";
import { sharedEventKey } from "./shared-events";

const keyOf = (query: string, variables?: Record<string, unknown>, operationName?: string) =>
  sharedEventKey(schema, parse(query), query, operationName, variables);

describe("sharedEventKey", () => {
  it("shares selections of public facts, through fragments, inline fragments and @include/@skip", () => {
    expect(
      keyOf(`subscription { leadPosted { id title kind eventCursor chamber { id name } postedBy { id name } } }`),
    ).not.toBeNull();
    expect(
      keyOf(
        `subscription { leadUpdated { ...F } } fragment F on Lead { status ... on Lead { closedValue }
          selectedChambers { name } }`,
      ),
    ).not.toBeNull();
    expect(
      keyOf(`subscription ($x: Boolean!) { leadPosted { title @include(if: $x) __typename } }`, { x: true }),
    ).not.toBeNull();
  });

  it("judges each fragment once per place, so spreads of spreads cost linear time", () => {
    const levels = 20;
    const chain = Array.from(
      { length: levels },
      (_, i) => `fragment F${i} on Lead { id ...F${i + 1} ...F${i + 1} }`,
    ).join(" ");
    const withContact = `subscription { leadPosted { ...F0 postedBy { ...M0 } } } ${chain} fragment F${levels} on Lead
      { title }
      ${Array.from(
        { length: levels },
        (_, i) => `fragment M${i} on Merchant { name ...M${i + 1} ...M${i + 1}
        }`,
      ).join(" ")} fragment M${levels} on Merchant { mobile }`;
    // Without the per-place judgement that is 2^20 visits a chain (several seconds); with it, a millisecond.
    const started = performance.now();
    expect(
      keyOf(
        `subscription { ...S0 } ${Array.from(
          { length: levels },
          (_, i) => `fragment S${i} on Subscription {
          ...S${i + 1} ...S${i + 1} }`,
        ).join(" ")} fragment S${levels} on Subscription { leadPosted { id } }`,
      ),
    ).not.toBeNull();
    expect(keyOf(withContact)?.audience).toBeTypeOf("function");
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("keys by operation and variables", () => {
    const q = `subscription ($x: Boolean!) { leadPosted { title @skip(if: $x) } }`;
    expect(keyOf(q, { x: true })?.key).not.toEqual(keyOf(q, { x: false })?.key);
    expect(keyOf(q, { x: true })?.key).toEqual(keyOf(q, { x: true })?.key);
    const two = `subscription A { leadPosted { id } } subscription B { leadPosted { title } }`;
    expect(keyOf(two, {}, "A")?.key).not.toEqual(keyOf(two, {}, "B")?.key);
  });

  it("keys by the event's audience what depends on the viewer's access to the poster or right to manage", () => {
    expect(keyOf(`subscription { leadPosted { id title } }`)?.audience).toBeUndefined();
    for (const q of [
      `subscription { leadPosted { id viewerCanManage } }`,
      `subscription { leadPosted { postedBy { mobile } } }`,
      `subscription { leadUpdated { ...F } } fragment F on Lead { postedBy { ...G } } fragment G on Merchant { name
        email wechat }`,
    ])
      expect(keyOf(q)?.audience, q).toBeTypeOf("function");
  });

  it("runs per subscriber whatever may depend on the viewer otherwise", () => {
    for (const q of [
      `subscription { leadUpdated { id responses { message } } }`,
      `subscription { leadUpdated { id responses { responder { name } } } }`,
      `subscription { leadPosted { postedBy { contactVisibility { mobile } } } }`,
      `subscription { leadPosted { chamber { members { totalCount } } } }`,
      `subscription { leadPosted { id @deprecated } }`,
      `subscription { formationChanged { code } }`,
      `query { viewer { id } }`,
      `subscription A { leadPosted { id } } subscription B { leadPosted { id } }`, // no operation name: ambiguous
    ])
      expect(keyOf(q), q).toBeNull();
  });
});
