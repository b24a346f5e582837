// Assembles the schema: each domain module registers its types and root fields on import.
import { builder } from "./builder";
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

export const schema = builder.toSchema({ sortSchema: false });
