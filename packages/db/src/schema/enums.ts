// Postgres enums for the domain vocabulary of PRODUCT.md; GraphQL enums mirror these names exactly.
import { pgEnum } from "drizzle-orm/pg-core";

export const chamberKindEnum = pgEnum("chamber_kind", ["FEDERATION", "PROVINCIAL", "MUNICIPAL", "OVERSEAS"]);
export const chamberStatusEnum = pgEnum("chamber_status", ["FORMING", "ACTIVE", "DISSOLVED"]);
export const formationStatusEnum = pgEnum("formation_status", [
  "NOT_STARTED",
  "INITIATED",
  "PREPARATORY",
  "APPLIED",
  "APPROVED",
  "FOUNDED",
]);
export const chamberRoleKindEnum = pgEnum("chamber_role_kind", ["SECRETARY", "MEMBER"]);
export const visibilityEnum = pgEnum("field_visibility", ["PUBLIC", "FEDERATION", "CHAMBER", "PRIVATE"]);
export const membershipLevelEnum = pgEnum("membership_level", [
  "PRESIDENT",
  "EXECUTIVE_VICE_PRESIDENT",
  "VICE_PRESIDENT",
  "STANDING_DIRECTOR",
  "DIRECTOR",
  "MEMBER",
]);
export const membershipStatusEnum = pgEnum("membership_status", [
  "APPLIED",
  "ACTIVE",
  "REJECTED",
  "LAPSED",
  "SUSPENDED",
  "LEFT",
]);
export const leadKindEnum = pgEnum("lead_kind", [
  "INVESTMENT_PROJECT",
  "BUSINESS_OPPORTUNITY",
  "SUPPLY",
  "DEMAND",
  "PARTNERSHIP",
]);
export const leadVisibilityEnum = pgEnum("lead_visibility", ["CHAMBER", "SELECTED_CHAMBERS", "FEDERATION"]);
export const leadStatusEnum = pgEnum("lead_status", [
  "OPEN",
  "IN_PROGRESS",
  "CLOSED_WON",
  "CLOSED_LOST",
  "WITHDRAWN",
  "EXPIRED",
]);
export const leadResponseKindEnum = pgEnum("lead_response_kind", ["INTEREST", "REFERRAL"]);
export const leadEventKindEnum = pgEnum("lead_event_kind", ["POSTED", "UPDATED", "RESPONDED"]);

export type ChamberKind = (typeof chamberKindEnum.enumValues)[number];
export type ChamberStatus = (typeof chamberStatusEnum.enumValues)[number];
export type FormationStatus = (typeof formationStatusEnum.enumValues)[number];
export type ChamberRoleKind = (typeof chamberRoleKindEnum.enumValues)[number];
export type FieldVisibility = (typeof visibilityEnum.enumValues)[number];
export type MembershipLevel = (typeof membershipLevelEnum.enumValues)[number];
export type MembershipStatus = (typeof membershipStatusEnum.enumValues)[number];
export type LeadKind = (typeof leadKindEnum.enumValues)[number];
export type LeadVisibility = (typeof leadVisibilityEnum.enumValues)[number];
export type LeadStatus = (typeof leadStatusEnum.enumValues)[number];
export type LeadResponseKind = (typeof leadResponseKindEnum.enumValues)[number];
export type LeadEventKind = (typeof leadEventKindEnum.enumValues)[number];
export const investmentStageEnum = pgEnum("investment_stage", [
  "PROMOTED",
  "NEGOTIATING",
  "SIGNED",
  "TO_START",
  "UNDER_CONSTRUCTION",
  "IN_OPERATION",
  "DROPPED",
]);
export const capitalCategoryEnum = pgEnum("capital_category", ["RETURN_OUTSIDE_PROVINCE", "REAL_ESTATE_OUTSIDE_CITY"]);
export const investmentPledgeKindEnum = pgEnum("investment_pledge_kind", [
  "INITIAL",
  "INCREASE",
  "REVISION",
  "NEW_INVESTOR",
]);
export const investmentMerchantRoleEnum = pgEnum("investment_merchant_role", ["INVESTOR", "BROUGHT"]);
export const investmentProblemKindEnum = pgEnum("investment_problem_kind", [
  "LAND",
  "FUNDS",
  "APPROVAL",
  "ENVIRONMENT_CAPACITY",
  "OTHER",
]);
export const investmentProblemStatusEnum = pgEnum("investment_problem_status", ["OPEN", "RESOLVED"]);
export const investmentEventKindEnum = pgEnum("investment_event_kind", [
  "PROJECT_CREATED",
  "STAGE_CHANGED",
  "CAPITAL_ARRIVED",
  "CAPITAL_REVERSED",
  "PLEDGE_REVISED",
  "INVESTOR_CHANGED",
  "PROBLEM_OPENED",
  "PROBLEM_RESOLVED",
  "PROBLEM_OVERDUE",
]);

export type InvestmentStage = (typeof investmentStageEnum.enumValues)[number];
export type CapitalCategory = (typeof capitalCategoryEnum.enumValues)[number];
export type InvestmentPledgeKind = (typeof investmentPledgeKindEnum.enumValues)[number];
export type InvestmentMerchantRole = (typeof investmentMerchantRoleEnum.enumValues)[number];
export type InvestmentProblemKind = (typeof investmentProblemKindEnum.enumValues)[number];
export type InvestmentProblemStatus = (typeof investmentProblemStatusEnum.enumValues)[number];
export type InvestmentEventKind = (typeof investmentEventKindEnum.enumValues)[number];

// delegations home, the leading geese
export const delegationStatusEnum = pgEnum("delegation_status", ["PLANNED", "CONFIRMED", "DONE", "CANCELLED"]);
export const delegationOutcomeEnum = pgEnum("delegation_outcome", ["NEGOTIATING", "SIGNED"]);
export const gooseContactKindEnum = pgEnum("goose_contact_kind", ["VISIT", "CALL", "MEETING"]);

export type DelegationStatus = (typeof delegationStatusEnum.enumValues)[number];
export type DelegationOutcome = (typeof delegationOutcomeEnum.enumValues)[number];
export type GooseContactKind = (typeof gooseContactKindEnum.enumValues)[number];

// gatherings and recognition
export const gatheringKindEnum = pgEnum("gathering_kind", [
  "ANNUAL_MEETING",
  "FELLOWSHIP",
  "SYMPOSIUM",
  "TEA_PARTY",
  "JOINT_MEETING",
]);
export const gatheringStatusEnum = pgEnum("gathering_status", ["PLANNED", "HELD", "CANCELLED"]);
export const gatheringRsvpEnum = pgEnum("gathering_rsvp", ["PENDING", "ATTENDING", "DECLINED"]);
export const recognitionStatusEnum = pgEnum("recognition_status", ["NOMINATED", "RECOGNISED", "DECLINED"]);

export type GatheringKind = (typeof gatheringKindEnum.enumValues)[number];
export type GatheringStatus = (typeof gatheringStatusEnum.enumValues)[number];
export type GatheringRsvp = (typeof gatheringRsvpEnum.enumValues)[number];
export type RecognitionStatus = (typeof recognitionStatusEnum.enumValues)[number];
