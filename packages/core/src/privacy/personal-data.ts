// A copy of everything held about the signed-in person (PIPL Art. 45): account, profile and contact fields with
// their visibility, memberships, dues, leads, answers and referrals, consents (to memberships and to the privacy
// notice), sign-ins and the audit entries about them — as one JSON document or an xlsx workbook. A fixed number
// of statements, whatever they hold.
import {
  auditLogTable,
  chamberRoleTable,
  chamberTable,
  companyTable,
  delegationParticipantTable,
  delegationTable,
  duesPaymentTable,
  gatheringInvitationTable,
  gatheringTable,
  gooseContactTable,
  gooseLiaisonTable,
  investmentMerchantTable,
  investmentProjectTable,
  leadResponseTable,
  leadTable,
  membershipTable,
  merchantTable,
  privacyConsentTable,
  recognitionNominationTable,
  sessionTable,
  userTable,
} from "@wz/db";
import { and, asc, eq, inArray, or } from "drizzle-orm";
import { todayIso } from "../dates";
import { writeWorkbook } from "../membership/member-table-file";
import { effectiveMembershipStatus } from "../membership/membership-status";
import type { ServiceContext } from "../service-context";
import { contactAccessOfMerchant } from "./contact-access";

export type PersonalDataFormat = "JSON" | "XLSX";

/**
 * Every table that refers to a merchant, and where the copy has it; a test fails when a table with a merchant
 * reference is in neither list, so a new domain cannot hold someone's data without their copy showing it.
 */
export const personalDataCoverage = {
  covered: {
    merchant: "profile, contact",
    company: "profile.companies",
    membership: "memberships, consents (and through them duesPayments)",
    app_user: "account",
    lead: "leads",
    lead_response: "answers, referralsToYou",
    investment_merchant: "investments",
    delegation_participant: "delegations",
    gathering_invitation: "gatherings",
    recognition_nomination: "recognitions",
    goose_liaison: "leadingGoose",
    goose_contact: "leadingGoose.contacts (the day and kind; the notes are the city's working notes)",
    contact_access: "whoSawYourContact",
    privacy_consent: "privacyConsents",
  },
  left: {
    merchant_search_gram: "the search index's grams of the name and companies: derived from the profile, nothing more",
  },
} as const;

export interface PersonalDataExport {
  filename: string;
  contentType: string;
  /** JSON text, or the xlsx workbook in base64. */
  content: string;
}

const iso = (value: Date | null) => value?.toISOString() ?? null;

/** Everything held about the viewer, as a plain document (the JSON export is exactly this). */
export async function personalDataDocument(ctx: ServiceContext) {
  const viewer = ctx.permissions.requireViewer();
  const db = ctx.db;
  const [user] = await db
    .select({
      email: userTable.email,
      displayName: userTable.displayName,
      createdAt: userTable.createdAt,
      staff: userTable.isFederationStaff,
    })
    .from(userTable)
    .where(eq(userTable.id, viewer.userId));
  const roles = await db
    .select({ role: chamberRoleTable.role, chamber: chamberTable.name, since: chamberRoleTable.createdAt })
    .from(chamberRoleTable)
    .innerJoin(chamberTable, eq(chamberTable.id, chamberRoleTable.chamberId))
    .where(eq(chamberRoleTable.userId, viewer.userId))
    .orderBy(asc(chamberRoleTable.createdAt));
  const sessions = await db
    .select({ createdAt: sessionTable.createdAt, expiresAt: sessionTable.expiresAt, revokedAt: sessionTable.revokedAt })
    .from(sessionTable)
    .where(eq(sessionTable.userId, viewer.userId))
    .orderBy(asc(sessionTable.createdAt));
  const merchantId = viewer.merchantId;
  // profiles merged into this one were this person too: their old ids name the same person in the audit log
  const merchants = merchantId
    ? await db
        .select()
        .from(merchantTable)
        .where(or(eq(merchantTable.id, merchantId), eq(merchantTable.mergedIntoId, merchantId)))
    : [];
  const merchant = merchants.find((m) => m.id === merchantId) ?? null;
  const companies = merchantId
    ? await db
        .select()
        .from(companyTable)
        .where(eq(companyTable.merchantId, merchantId))
        .orderBy(asc(companyTable.name))
    : [];
  const memberships = merchantId
    ? await db
        .select({ membership: membershipTable, chamber: chamberTable.name })
        .from(membershipTable)
        .innerJoin(chamberTable, eq(chamberTable.id, membershipTable.chamberId))
        .where(eq(membershipTable.merchantId, merchantId))
        .orderBy(asc(membershipTable.appliedAt))
    : [];
  const membershipIds = memberships.map((m) => m.membership.id);
  const chamberOf = new Map(memberships.map((m) => [m.membership.id, m.chamber]));
  const dues = membershipIds.length
    ? await db
        .select()
        .from(duesPaymentTable)
        .where(inArray(duesPaymentTable.membershipId, membershipIds))
        .orderBy(asc(duesPaymentTable.periodStart))
    : [];
  const leads = merchantId
    ? await db
        .select({ lead: leadTable, chamber: chamberTable.name })
        .from(leadTable)
        .innerJoin(chamberTable, eq(chamberTable.id, leadTable.chamberId))
        .where(eq(leadTable.postedByMerchantId, merchantId))
        .orderBy(asc(leadTable.createdAt))
    : [];
  // answers they gave, and referrals naming them (someone passed a lead on to them)
  const answers = merchantId
    ? await db
        .select({ response: leadResponseTable, leadTitle: leadTable.title })
        .from(leadResponseTable)
        .innerJoin(
          leadTable,
          and(eq(leadTable.chamberId, leadResponseTable.chamberId), eq(leadTable.id, leadResponseTable.leadId)),
        )
        .where(
          or(
            eq(leadResponseTable.responderMerchantId, merchantId),
            eq(leadResponseTable.referredMerchantId, merchantId),
          ),
        )
        .orderBy(asc(leadResponseTable.createdAt))
    : [];
  // return-investment projects they invest in or brought (an investor's role, not the city's working figures)
  const investments = merchantId
    ? await db
        .select({
          role: investmentMerchantTable.role,
          since: investmentMerchantTable.createdAt,
          project: investmentProjectTable,
        })
        .from(investmentMerchantTable)
        .innerJoin(investmentProjectTable, eq(investmentProjectTable.id, investmentMerchantTable.projectId))
        .where(eq(investmentMerchantTable.merchantId, merchantId))
        .orderBy(asc(investmentMerchantTable.createdAt))
    : [];
  // delegations they took part in, gatherings they were invited to, nominations of them, their city leader
  const [delegations, gatherings, recognitions, liaisons, contacts] = merchantId
    ? await Promise.all([
        db
          .select({ delegation: delegationTable, chamber: chamberTable.name })
          .from(delegationParticipantTable)
          .innerJoin(delegationTable, eq(delegationTable.id, delegationParticipantTable.delegationId))
          .innerJoin(chamberTable, eq(chamberTable.id, delegationParticipantTable.chamberId))
          .where(eq(delegationParticipantTable.merchantId, merchantId))
          .orderBy(asc(delegationTable.startsOn), asc(delegationTable.id)),
        db
          .select({ invitation: gatheringInvitationTable, gathering: gatheringTable, chamber: chamberTable.name })
          .from(gatheringInvitationTable)
          .innerJoin(gatheringTable, eq(gatheringTable.id, gatheringInvitationTable.gatheringId))
          .innerJoin(chamberTable, eq(chamberTable.id, gatheringTable.chamberId))
          .where(eq(gatheringInvitationTable.merchantId, merchantId))
          .orderBy(asc(gatheringTable.heldOn), asc(gatheringTable.id)),
        db
          .select({ nomination: recognitionNominationTable, chamber: chamberTable.name })
          .from(recognitionNominationTable)
          .innerJoin(chamberTable, eq(chamberTable.id, recognitionNominationTable.chamberId))
          .where(eq(recognitionNominationTable.merchantId, merchantId))
          .orderBy(asc(recognitionNominationTable.year), asc(recognitionNominationTable.id)),
        db
          .select({ since: gooseLiaisonTable.since, leader: userTable.displayName })
          .from(gooseLiaisonTable)
          .innerJoin(userTable, eq(userTable.id, gooseLiaisonTable.leaderUserId))
          .where(eq(gooseLiaisonTable.merchantId, merchantId)),
        db
          .select({ on: gooseContactTable.on, kind: gooseContactTable.kind })
          .from(gooseContactTable)
          .where(eq(gooseContactTable.merchantId, merchantId))
          .orderBy(asc(gooseContactTable.on), asc(gooseContactTable.id)),
      ])
    : [[], [], [], [], []];
  // each agreement to the privacy notice and each withdrawal, under this profile or one merged into it
  const privacyConsents = merchants.length
    ? await db
        .select()
        .from(privacyConsentTable)
        .where(
          inArray(
            privacyConsentTable.merchantId,
            merchants.map((m) => m.id),
          ),
        )
        .orderBy(asc(privacyConsentTable.at))
    : [];
  const about = [
    and(eq(auditLogTable.entityType, "User"), eq(auditLogTable.entityId, viewer.userId)),
    ...(merchants.length
      ? [
          and(
            eq(auditLogTable.entityType, "Merchant"),
            inArray(
              auditLogTable.entityId,
              merchants.map((m) => m.id),
            ),
          ),
        ]
      : []),
    ...(membershipIds.length
      ? [and(eq(auditLogTable.entityType, "Membership"), inArray(auditLogTable.entityId, membershipIds))]
      : []),
  ];
  // What happened to their data and when; the entries' before/after stay out: they hold others' data too
  // (a secretary's name, a chamber's working notes).
  const audit = await db
    .select({ at: auditLogTable.at, action: auditLogTable.action, entityType: auditLogTable.entityType })
    .from(auditLogTable)
    .where(or(...about))
    .orderBy(asc(auditLogTable.at), asc(auditLogTable.id));
  // who was shown their contact fields (PIPL Art. 44): the viewer by display name, as in myAccessLog
  const looked = merchantId ? await contactAccessOfMerchant(db, merchantId) : [];
  const today = todayIso();

  // the day it was made is in the file's name: the document itself reads the same until something changes
  return {
    account: {
      email: user?.email ?? null,
      displayName: user?.displayName ?? null,
      createdAt: iso(user?.createdAt ?? null),
      isFederationStaff: user?.staff ?? false,
      chamberRoles: roles.map((r) => ({ chamber: r.chamber, role: r.role, since: iso(r.since) })),
      sessions: sessions.map((s) => ({
        signedInAt: iso(s.createdAt),
        expiresAt: iso(s.expiresAt),
        revokedAt: iso(s.revokedAt),
      })),
    },
    profile: merchant && {
      name: merchant.name,
      nameLatin: merchant.nameLatin,
      namePinyin: merchant.namePinyin,
      hometownDistrict: merchant.hometownDistrict,
      provinceCode: merchant.provinceCode,
      city: merchant.city,
      countryCode: merchant.countryCode,
      tags: merchant.tags,
      listedInFederationDirectory: merchant.listed,
      agreedPrivacyNoticeVersion: merchant.agreedNoticeVersion,
      createdAt: iso(merchant.createdAt),
      updatedAt: iso(merchant.updatedAt),
      companies: companies.map((c) => ({
        name: c.name,
        industry: c.industry,
        role: c.role,
        size: c.size,
        creditCode: c.creditCode,
      })),
    },
    contact: merchant && {
      mobile: { value: merchant.mobile, visibility: merchant.mobileVisibility },
      landline: { value: merchant.landline, visibility: merchant.landlineVisibility },
      email: { value: merchant.email, visibility: merchant.emailVisibility },
      wechat: { value: merchant.wechat, visibility: merchant.wechatVisibility },
    },
    memberships: memberships.map(({ membership: m, chamber }) => ({
      chamber,
      level: m.level,
      status: effectiveMembershipStatus(m, today),
      appliedAt: iso(m.appliedAt),
      joinedOn: m.joinedOn,
      expiresOn: m.expiresOn,
      statusReason: m.statusReason,
    })),
    consents: memberships.map(({ membership: m, chamber }) => ({
      chamber,
      what: m.proposedBy ? "a chamber's proposal of membership" : "an application for membership",
      agreedAt: iso(m.consentedAt),
    })),
    privacyConsents: privacyConsents.map((c) => ({ action: c.action, noticeVersion: c.noticeVersion, at: iso(c.at) })),
    duesPayments: dues.map((d) => ({
      chamber: chamberOf.get(d.membershipId) ?? null,
      amount: d.amount,
      periodStart: d.periodStart,
      periodEnd: d.periodEnd,
      paidOn: d.paidOn,
      receiptNo: d.receiptNo,
      method: d.method,
    })),
    leads: leads.map(({ lead: l, chamber }) => ({
      chamber,
      title: l.title,
      description: l.description,
      kind: l.kind,
      visibility: l.visibility,
      status: l.status,
      amount: l.amount,
      closedValue: l.closedValue,
      postedAt: iso(l.createdAt),
    })),
    answers: answers
      .filter((a) => a.response.responderMerchantId === merchantId)
      .map((a) => ({
        lead: a.leadTitle,
        kind: a.response.kind,
        message: a.response.message,
        at: iso(a.response.createdAt),
      })),
    referralsToYou: answers
      .filter((a) => a.response.referredMerchantId === merchantId)
      .map((a) => ({ lead: a.leadTitle, at: iso(a.response.createdAt) })),
    investments: investments.map((i) => ({
      project: i.project.name,
      company: i.project.companyName,
      role: i.role,
      stage: i.project.stage,
      district: i.project.district,
      pledged: i.project.pledged,
      since: iso(i.since),
    })),
    delegations: delegations.map(({ delegation: d, chamber }) => ({
      title: d.title,
      through: chamber,
      startsOn: d.startsOn,
      endsOn: d.endsOn,
      status: d.status,
    })),
    gatherings: gatherings.map(({ invitation: i, gathering: g, chamber }) => ({
      title: g.title,
      chamber,
      heldOn: g.heldOn,
      answer: i.rsvp,
      attended: i.attended,
    })),
    recognitions: recognitions.map(({ nomination: n, chamber }) => ({
      year: n.year,
      nominatedBy: chamber,
      reason: n.reason,
      status: n.status,
    })),
    leadingGoose: {
      leader: liaisons[0]?.leader ?? null,
      since: liaisons[0]?.since ?? null,
      contacts: contacts.map((c) => ({ on: c.on, kind: c.kind })),
    },
    auditEntries: audit.map((a) => ({ at: iso(a.at), action: a.action, about: a.entityType })),
    whoSawYourContact: looked.map((l) => ({
      at: iso(l.at),
      viewer: l.viewer,
      fields: l.fields,
      channel: l.channel,
      basis: l.basis,
      chamber: l.chamber,
    })),
  };
}

type Document = Awaited<ReturnType<typeof personalDataDocument>>;

const text = (value: unknown): string =>
  value === null || value === undefined ? "" : Array.isArray(value) ? value.join(", ") : String(value);

/** One sheet per list; the account, profile and contact fields as field/value rows. */
function sheetsOf(doc: Document) {
  const pairs = (prefix: string, record: Record<string, unknown> | null) =>
    Object.entries(record ?? {})
      .filter(([, v]) => typeof v !== "object" || v === null || Array.isArray(v))
      .map(([k, v]) => [`${prefix}.${k}`, text(v)]);
  const table = (name: string, rows: readonly Record<string, unknown>[]) => {
    const header = Object.keys(rows[0] ?? {});
    return { name, header, rows: rows.map((r) => header.map((h) => text(r[h]))) };
  };
  const contact = Object.entries(doc.contact ?? {}).map(([k, v]) => [
    `contact.${k}`,
    `${text(v.value)} (${v.visibility})`,
  ]);
  return [
    {
      name: "profile",
      header: ["field", "value"],
      rows: [
        ...pairs("account", doc.account),
        ...pairs("profile", doc.profile),
        ...contact,
        ...pairs("leadingGoose", doc.leadingGoose),
      ],
    },
    table("companies", doc.profile?.companies ?? []),
    table("chamberRoles", doc.account.chamberRoles),
    table("sessions", doc.account.sessions),
    table("memberships", doc.memberships),
    table("consents", doc.consents),
    table("privacyConsents", doc.privacyConsents),
    table("duesPayments", doc.duesPayments),
    table("leads", doc.leads),
    table("answers", doc.answers),
    table("referralsToYou", doc.referralsToYou),
    table("investments", doc.investments),
    table("delegations", doc.delegations),
    table("gatherings", doc.gatherings),
    table("recognitions", doc.recognitions),
    table("leadingGooseContacts", doc.leadingGoose.contacts),
    table("auditEntries", doc.auditEntries),
    table("whoSawYourContact", doc.whoSawYourContact),
  ];
}

/** The copy in the asked format, named for the day it was made. */
export async function myPersonalData(ctx: ServiceContext, format: PersonalDataFormat): Promise<PersonalDataExport> {
  const doc = await personalDataDocument(ctx);
  const base = `personal-data-${todayIso()}`;
  if (format === "XLSX")
    return {
      filename: `${base}.xlsx`,
      contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      content: (await writeWorkbook(sheetsOf(doc))).toString("base64"),
    };
  return { filename: `${base}.json`, contentType: "application/json", content: JSON.stringify(doc, null, 2) };
}
