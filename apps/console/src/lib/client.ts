// The GraphQL client: urql with graphcache (normalised by Relay global ids) over HTTP, and one graphql-ws
// connection for subscriptions. Both carry the token and the chosen language.
import { cacheExchange, type Data } from "@urql/exchange-graphcache";
import { createClient as createWsClient, type Client as WsClient } from "graphql-ws";
import { Client, fetchExchange, subscriptionExchange } from "urql";
import type { Language } from "../i18n";

// Types without an id are embedded in their parent rather than normalised.
const embedded = [
  "PageInfo",
  "Viewer",
  "ChamberRole",
  "Company",
  "ContactVisibility",
  "DuesStatus",
  "DuesPayment",
  "ChecklistItem",
  "UserError",
  "FormationProgress",
  "FormationStatusCount",
  "FormationForecast",
  "FormationStep",
  "FormationPlannedStep",
  "ChamberRollup",
  "RollupFigures",
  "MembershipLevelCount",
  "FeeScheduleEntry",
  "MembershipNote",
  "PossibleDuplicate",
  "MergeMerchantsPayload",
  "MergedMembershipConflict",
  "MemberExport",
  "ImportMembersPayload",
  "ImportMembersLine",
  "LoginPayload",
  "LeadPayload",
  "LeadResponsePayload",
  "MembershipPayload",
  "FormationPayload",
  "InviteUserPayload",
  "ChecklistItemPayload",
  "AddMembershipNotePayload",
  "DelegationActivity",
  "DelegationMonth",
  "DelegationParticipant",
  "DelegationVisit",
  "DelegationPayload",
  "FrameworkAgreement",
  "CityStaffCard",
  "LeadingGooseCoverage",
  "GooseCoverage",
  "LeaderCoverage",
  "LeadingGoosePayload",
  "GooseLinkPayload",
  "GooseContactPayload",
  "GatheringInvitation",
  "GatheringPayload",
  "InviteToGatheringPayload",
  "RecognitionNominationPayload",
];

// Provinces have no id: their code is the key. (A named function, so it is not mistaken for a component.)
function provinceKey(province: Data): string | null {
  return (province.code as string | undefined) ?? null;
}

export interface Session {
  token: string | null;
  language: Language;
}

export interface Clients {
  client: Client;
  ws: WsClient | null;
}

export function wsUrl(): string {
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql`;
}

export function createClients(session: Session): Clients {
  const ws = session.token
    ? createWsClient({
        url: wsUrl(),
        connectionParams: { authorization: `Bearer ${session.token}`, locale: session.language },
        lazy: true,
        retryAttempts: Infinity,
        shouldRetry: () => true,
      })
    : null;
  const exchanges = [
    cacheExchange({
      keys: {
        ...Object.fromEntries(embedded.map((name) => [name, () => null])),
        Province: provinceKey,
      },
    }),
    fetchExchange,
  ];
  if (ws) {
    exchanges.push(
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? "" }, sink) }),
        }),
      }),
    );
  }
  const client = new Client({
    url: "/graphql",
    exchanges,
    requestPolicy: "cache-and-network",
    // POST only: yoga's CSRF prevention refuses GET requests without its header, and POST keeps tokens out of URLs.
    preferGetMethod: false,
    fetchOptions: () => ({
      headers: {
        // yoga's CSRF prevention wants this on every request that is not JSON: the multipart upload of a member file
        "x-graphql-yoga-csrf": "1",
        "accept-language": session.language,
        ...(session.token ? { authorization: `Bearer ${session.token}` } : {}),
      },
    }),
  });
  return { client, ws };
}
