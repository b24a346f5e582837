// The printed schema (schema.graphql) stays described and named in one style: @graphql-eslint's
// require-description on every type, field, argument, input field and enum value, and its naming rules.
// A failure lists each problem as `line:column rule: message`; describe the item where Pothos defines it
// (`description:` on the type, field, t.arg or enum value) and run `npm run schema:print`.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import graphqlPlugin from "@graphql-eslint/eslint-plugin";
import { ESLint, type Linter } from "eslint";
import { describe, expect, it } from "vitest";
import { schemaFile } from "./print-schema";

const rules: Linter.RulesRecord = {
  "@graphql-eslint/require-description": [
    "error",
    {
      types: true,
      rootField: true,
      FieldDefinition: true,
      InputValueDefinition: true,
      EnumValueDefinition: true,
      DirectiveDefinition: true,
    },
  ],
  "@graphql-eslint/naming-convention": [
    "error",
    {
      types: "PascalCase",
      FieldDefinition: "camelCase",
      InputValueDefinition: "camelCase",
      Argument: "camelCase",
      DirectiveDefinition: "camelCase",
      EnumValueDefinition: "UPPER_CASE",
      "FieldDefinition[parent.name.value=Query]": { forbiddenPrefixes: ["query", "get"], forbiddenSuffixes: ["Query"] },
      "FieldDefinition[parent.name.value=Mutation]": {
        forbiddenPrefixes: ["mutation"],
        forbiddenSuffixes: ["Mutation"],
      },
      "FieldDefinition[parent.name.value=Subscription]": {
        forbiddenPrefixes: ["subscription"],
        forbiddenSuffixes: ["Subscription"],
      },
      "EnumTypeDefinition,EnumTypeExtension": { forbiddenPrefixes: ["Enum"], forbiddenSuffixes: ["Enum"] },
      "InterfaceTypeDefinition,InterfaceTypeExtension": {
        forbiddenPrefixes: ["Interface"],
        forbiddenSuffixes: ["Interface"],
      },
      "ObjectTypeDefinition,ObjectTypeExtension": { forbiddenPrefixes: ["Type"], forbiddenSuffixes: ["Type"] },
    },
  ],
  "@graphql-eslint/no-typename-prefix": "error",
  "@graphql-eslint/no-hashtag-description": "error",
  "@graphql-eslint/require-deprecation-reason": "error",
  "@graphql-eslint/description-style": ["error", { style: "block" }],
  "@graphql-eslint/strict-id-in-types": [
    "error",
    {
      acceptedIdNames: ["id"],
      acceptedIdTypes: ["ID"],
      // Values, results and payloads, not entities: they have no identity of their own to cache by, and a client
      // caches them under the entity or field that holds them. A new type with no `id` must be one or the other.
      exceptions: {
        suffixes: ["Connection", "Edge", "Payload", "Error", "Count", "Figures", "Rollup", "Export"],
        types: [
          "CapitalCategoryProgress",
          "ChamberInvestmentProgress",
          "ChamberDelegationActivity",
          "ChamberRole",
          // a city staff member as a contact (a delegation's, a goose's leader): a name and an email, not the account
          "CityStaffCard",
          "ContactVisibility",
          // a delegation's parts and results, read only through the delegation (a Node)
          "DelegationActivity",
          "DelegationMonth",
          "DelegationParticipant",
          "DelegationProjectResult",
          "DelegationVisit",
          "DistrictProgress",
          "DistrictTarget",
          "DuesStatus",
          "FeeScheduleEntry",
          "FormationForecast",
          "FormationPlannedStep",
          "FormationProgress",
          "FrameworkAgreement",
          // an invitation, read only through its gathering (a Node)
          "GatheringInvitation",
          // the coverage view's rows, read as of a day (leadingGooseCoverage(asOf)) and not through `node`
          "GooseCoverage",
          "ImportMembersColumn",
          "ImportMembersLine",
          // a project's credits and stage moves: read only through the project, cached under it
          "InvestmentCredit",
          // a subscription's delivery: the kind and cursor of one event, around the project (a Node)
          "InvestmentProjectEvent",
          "InvestmentStageChange",
          "LeaderCoverage",
          "LeadingGooseCoverage",
          "MergedMembershipConflict",
          "MonthProgress",
          "PageInfo",
          "PossibleDuplicate",
          // the viewer's own consent state, read only through myPrivacyConsent and the consent mutations
          "PrivacyConsent",
          "ReturnInvestmentProgress",
          // the year's target, read by year (returnInvestmentTarget(year)) and not through `node`
          "ReturnInvestmentTarget",
          // a name and an email to reach a key project's officer, under the project; not the User account
          "ServiceOfficerCard",
          "Viewer",
        ],
      },
    },
  ],
};

/** Lints SDL text (the schema it describes is itself) with the rules above. */
async function lintSchema(sdl: string, filePath: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ["**/*.graphql"],
        languageOptions: { parser: graphqlPlugin.parser, parserOptions: { schemaSdl: sdl } },
        plugins: { "@graphql-eslint": graphqlPlugin as unknown as ESLint.Plugin },
        rules,
      },
    ],
  });
  const [result] = await eslint.lintText(sdl, { filePath });
  return (result?.messages ?? []).map((m) => `${m.line}:${m.column} ${m.ruleId ?? "parse"}: ${m.message}`);
}

describe("schema lint", () => {
  it("schema.graphql: everything described, names in the house style (no problems listed)", async () => {
    const problems = await lintSchema(readFileSync(schemaFile, "utf8"), fileURLToPath(schemaFile));
    expect(problems).toEqual([]);
  });

  it("catches an undescribed field, argument and enum value (the rules above really run)", async () => {
    const sdl = [
      '"""Reads."""',
      "type Query {",
      '  """Described."""',
      "  described: Int!",
      "  undescribed(limit: Int): Int!",
      "}",
      '"""Colours."""',
      "enum Colour {",
      "  RED",
      "}",
      "",
    ].join("\n");
    const problems = await lintSchema(sdl, fileURLToPath(new URL("../inline-check.graphql", import.meta.url)));
    expect(problems).toEqual([
      expect.stringMatching(/^5:3 @graphql-eslint\/require-description: .*"undescribed"/),
      expect.stringMatching(/^5:15 @graphql-eslint\/require-description: .*"limit"/),
      expect.stringMatching(/^9:3 @graphql-eslint\/require-description: .*"RED"/),
    ]);
  });
});
