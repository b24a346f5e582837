// Assembles the schema: each domain module registers its types and root fields on import.
import { builder } from "./builder";
import { guardMutationInputs } from "./common/input-limits";
import { guardSharedFields } from "./common/shared-events";
import "./common/scalars";
import "./common/user-errors";
import "./chambers/chamber";
import "./viewer/viewer";
import "./directory/merchant";
import "./membership/membership";
import "./membership/membership-mutations";
import "./membership/member-import";
import "./formation/formation";
import "./chambers/chamber-rollup";
import "./audit/audit";
import "./leads/lead";
import "./privacy/personal-data";
import "./privacy/contact-access";
import "./privacy/consent";
import "./return-investment/investment";
import "./delegations/delegation";
import "./leading-geese/goose";
import "./gatherings/gathering";
import "./recognition/recognition";

// Fields declared `sharing: "all"` see no viewer when an event is executed once for many subscribers;
// mutations answer bad text in their input with userErrors before they run (see common/input-limits).
export const schema = guardMutationInputs(guardSharedFields(builder.toSchema({ sortSchema: false })));
