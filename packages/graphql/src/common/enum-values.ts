// GraphQL enums mirror the domain's lists (packages/db enums, core's constants). `describedValues` keeps the
// list's values and order and asks for one description per value: a value added to the list without one
// fails to compile.

export function describedValues<const Value extends string>(
  values: readonly Value[],
  descriptions: { readonly [V in Value]: string },
): { [V in Value]: { description: string } } {
  return Object.fromEntries(values.map((value) => [value, { description: descriptions[value] }])) as {
    [V in Value]: { description: string };
  };
}
