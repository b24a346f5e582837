-- Row-level security: the wall behind the application's own tenant conditions (issue 11, item 9).
-- The application's statements run as `wz_app` — a role that owns nothing, is no superuser and cannot bypass
-- RLS — inside a transaction that first sets who is asking (`set_config('app.…', …, true)`, see
-- packages/db/src/scope.ts). With no scope set, every table below reads as empty. Migrations run as the owner.

-- The role is cluster-wide: created once (concurrent test databases may race to create it). It may log in
-- (deployments give it a password, or connect as a login role granted `wz_app`); a superuser connection
-- becomes it for each scoped transaction.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'wz_app') THEN
    CREATE ROLE wz_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END
$$;
--> statement-breakpoint
-- Short statements: compiling one to machine code (JIT) costs more than running it, and the policies' extra
-- expressions tip more of them over jit_above_cost (a lead count: 40 ms of JIT for 15 ms of work).
-- (The role is the cluster's, shared by every database: test databases migrating at once race on it, and the
-- loser of the race ("tuple concurrently updated", or a duplicate key) may skip it, the winner having set it.)
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole
    WHERE r.rolname = 'wz_app' AND s.setdatabase = 0 AND 'jit=off' = ANY (s.setconfig)) THEN
    ALTER ROLE wz_app SET jit = off;
  END IF;
EXCEPTION WHEN internal_error OR unique_violation THEN
  NULL;
END
$$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO wz_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO wz_app;
--> statement-breakpoint
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO wz_app;
--> statement-breakpoint
-- Tables later migrations create (as this same owner) are granted too; their policies are not: a new tenant
-- table enables and forces RLS itself (row-level-security.test.ts fails on one with chamber_id that does not).
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO wz_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO wz_app;
--> statement-breakpoint
-- The application may see which migrations were applied (a process started with only its own URL checks them).
GRANT USAGE ON SCHEMA drizzle TO wz_app;
--> statement-breakpoint
GRANT SELECT ON ALL TABLES IN SCHEMA drizzle TO wz_app;
--> statement-breakpoint

-- Who is asking, read from the transaction's settings. STABLE and called as `(SELECT …)` by the policies, so
-- each is evaluated once per statement (an InitPlan), not once per row.
CREATE FUNCTION rls_system() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT coalesce(current_setting('app.scope', true) = 'system', false)
$$;
--> statement-breakpoint
CREATE FUNCTION rls_scoped() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT coalesce(current_setting('app.scope', true) IN ('system', 'viewer'), false)
$$;
--> statement-breakpoint
CREATE FUNCTION rls_viewer(setting text) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN current_setting('app.scope', true) = 'viewer' THEN nullif(current_setting(setting, true), '') END
$$;
--> statement-breakpoint
CREATE FUNCTION rls_signed_in() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT rls_viewer('app.user_id') IS NOT NULL
$$;
--> statement-breakpoint
CREATE FUNCTION rls_staff() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT rls_system() OR coalesce(rls_viewer('app.staff') = 'on', false)
$$;
--> statement-breakpoint
CREATE FUNCTION rls_city() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT rls_system() OR coalesce(rls_viewer('app.city') = 'on', false)
$$;
--> statement-breakpoint
CREATE FUNCTION rls_user() RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT rls_viewer('app.user_id')::uuid
$$;
--> statement-breakpoint
CREATE FUNCTION rls_merchant() RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT rls_viewer('app.merchant_id')::uuid
$$;
--> statement-breakpoint
-- Chambers whose secretariat the viewer belongs to.
CREATE FUNCTION rls_secretary_of() RETURNS uuid[] LANGUAGE sql STABLE AS $$
  SELECT coalesce(rls_viewer('app.secretary_of')::uuid[], '{}')
$$;
--> statement-breakpoint
-- Chambers the viewer is inside of: their secretariats and their ACTIVE, unexpired memberships.
CREATE FUNCTION rls_tenant_of() RETURNS uuid[] LANGUAGE sql STABLE AS $$
  SELECT rls_secretary_of() || coalesce(rls_viewer('app.member_of')::uuid[], '{}')
$$;
--> statement-breakpoint

-- membership: the chamber's inside (secretaries, active members), federation staff, the merchant's own; city
-- staff read them (delegations and recognitions are of active members).
ALTER TABLE membership ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE membership FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY membership_tenant ON membership FOR ALL TO wz_app
  USING ((SELECT rls_staff()) OR chamber_id = ANY ((SELECT rls_tenant_of())::uuid[]) OR merchant_id = (SELECT rls_merchant()))
  WITH CHECK ((SELECT rls_staff()) OR chamber_id = ANY ((SELECT rls_secretary_of())::uuid[])
    OR merchant_id = (SELECT rls_merchant()));
--> statement-breakpoint
CREATE POLICY membership_city ON membership FOR SELECT TO wz_app USING ((SELECT rls_city()));
--> statement-breakpoint

-- dues: the chamber's secretaries, federation staff, and the member whose dues they are.
ALTER TABLE dues_payment ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE dues_payment FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY dues_payment_tenant ON dues_payment FOR ALL TO wz_app
  USING ((SELECT rls_staff()) OR chamber_id = ANY ((SELECT rls_secretary_of())::uuid[])
    OR EXISTS (SELECT 1 FROM membership m WHERE m.chamber_id = dues_payment.chamber_id
      AND m.id = dues_payment.membership_id AND m.merchant_id = (SELECT rls_merchant())))
  WITH CHECK ((SELECT rls_staff()) OR chamber_id = ANY ((SELECT rls_secretary_of())::uuid[]));
--> statement-breakpoint

-- fee schedule: the chamber's inside, staff, and anyone holding a membership there (what they owe).
ALTER TABLE fee_schedule ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE fee_schedule FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY fee_schedule_tenant ON fee_schedule FOR ALL TO wz_app
  USING ((SELECT rls_staff()) OR chamber_id = ANY ((SELECT rls_tenant_of())::uuid[])
    OR EXISTS (SELECT 1 FROM membership m WHERE m.chamber_id = fee_schedule.chamber_id
      AND m.merchant_id = (SELECT rls_merchant())))
  WITH CHECK ((SELECT rls_staff()) OR chamber_id = ANY ((SELECT rls_secretary_of())::uuid[]));
--> statement-breakpoint

-- private notes: only the chamber's secretaries (not even federation staff).
ALTER TABLE membership_note ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE membership_note FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY membership_note_secretariat ON membership_note FOR ALL TO wz_app
  USING ((SELECT rls_system()) OR chamber_id = ANY ((SELECT rls_secretary_of())::uuid[]))
  WITH CHECK ((SELECT rls_system()) OR chamber_id = ANY ((SELECT rls_secretary_of())::uuid[]));
--> statement-breakpoint

-- invitations: the inviting chamber's secretaries and staff; accepting one (by its token) is system work.
ALTER TABLE invite ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE invite FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY invite_secretariat ON invite FOR ALL TO wz_app
  USING ((SELECT rls_staff()) OR chamber_id = ANY ((SELECT rls_secretary_of())::uuid[]))
  WITH CHECK ((SELECT rls_staff()) OR chamber_id = ANY ((SELECT rls_secretary_of())::uuid[]));
--> statement-breakpoint

-- a chamber's secretariat: the user's own roles, the chamber's secretaries, staff.
ALTER TABLE chamber_role ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE chamber_role FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY chamber_role_secretariat ON chamber_role FOR ALL TO wz_app
  USING ((SELECT rls_staff()) OR chamber_id = ANY ((SELECT rls_secretary_of())::uuid[]) OR user_id = (SELECT rls_user()))
  WITH CHECK ((SELECT rls_staff()) OR chamber_id = ANY ((SELECT rls_secretary_of())::uuid[]));
--> statement-breakpoint

-- the approval checklist: staff keep it, the chamber's secretaries read it.
ALTER TABLE checklist_item ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE checklist_item FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY checklist_item_read ON checklist_item FOR SELECT TO wz_app
  USING ((SELECT rls_staff()) OR chamber_id = ANY ((SELECT rls_secretary_of())::uuid[]));
--> statement-breakpoint
CREATE POLICY checklist_item_keep ON checklist_item FOR ALL TO wz_app
  USING ((SELECT rls_staff())) WITH CHECK ((SELECT rls_staff()));
--> statement-breakpoint

-- leads by their level: FEDERATION to every signed-in viewer, CHAMBER to the posting chamber's inside,
-- SELECTED_CHAMBERS to the inside of the chambers named too, and always to the poster, responders and referred
-- merchants (the rule of core's visibleLeadsSql). Staff get no more than anyone.
ALTER TABLE lead ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE lead FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY lead_visible ON lead FOR ALL TO wz_app
  USING (
    (SELECT rls_system())
    OR chamber_id = ANY ((SELECT rls_tenant_of())::uuid[])
    OR (visibility = 'FEDERATION' AND (SELECT rls_signed_in()))
    OR posted_by_merchant_id = (SELECT rls_merchant())
    -- written as the application writes them: PostgreSQL hashes each once per statement (a hashed SubPlan)
    OR (visibility = 'SELECTED_CHAMBERS' AND EXISTS (SELECT 1 FROM lead_audience a
      WHERE a.lead_chamber_id = lead.chamber_id AND a.lead_id = lead.id
        AND a.chamber_id = ANY ((SELECT rls_tenant_of())::uuid[])))
    OR EXISTS (SELECT 1 FROM lead_response r WHERE r.chamber_id = lead.chamber_id AND r.lead_id = lead.id
      AND (r.responder_merchant_id = (SELECT rls_merchant()) OR r.referred_merchant_id = (SELECT rls_merchant())))
  );
--> statement-breakpoint

-- audiences: the inside of the posting chamber and of the chamber named. (They cannot refer to `lead`, whose
-- policy reads them: PostgreSQL refuses policies that recurse.)
ALTER TABLE lead_audience ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE lead_audience FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY lead_audience_tenant ON lead_audience FOR ALL TO wz_app
  USING ((SELECT rls_system()) OR chamber_id = ANY ((SELECT rls_tenant_of())::uuid[])
    OR lead_chamber_id = ANY ((SELECT rls_tenant_of())::uuid[]))
  WITH CHECK ((SELECT rls_system()) OR lead_chamber_id = ANY ((SELECT rls_tenant_of())::uuid[]));
--> statement-breakpoint

-- answers: the inside of the lead's chamber and of the chamber answered for, the responder and the merchant a
-- referral names.
ALTER TABLE lead_response ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE lead_response FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY lead_response_party ON lead_response FOR ALL TO wz_app
  USING ((SELECT rls_system()) OR chamber_id = ANY ((SELECT rls_tenant_of())::uuid[])
    OR responder_chamber_id = ANY ((SELECT rls_tenant_of())::uuid[])
    OR responder_merchant_id = (SELECT rls_merchant()) OR referred_merchant_id = (SELECT rls_merchant()))
  WITH CHECK ((SELECT rls_system()) OR chamber_id = ANY ((SELECT rls_tenant_of())::uuid[])
    OR responder_merchant_id = (SELECT rls_merchant()));
--> statement-breakpoint

-- the lead event log: an event is visible where its lead is; the feed reads it in the system scope.
ALTER TABLE lead_event ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE lead_event FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY lead_event_visible ON lead_event FOR SELECT TO wz_app
  USING ((SELECT rls_system()) OR EXISTS (SELECT 1 FROM lead l
    WHERE l.chamber_id = lead_event.chamber_id AND l.id = lead_event.lead_id));
--> statement-breakpoint
CREATE POLICY lead_event_append ON lead_event FOR INSERT TO wz_app WITH CHECK ((SELECT rls_scoped()));
--> statement-breakpoint
-- merges, erasure and retention rewrite or delete events in the system scope
CREATE POLICY lead_event_system ON lead_event FOR ALL TO wz_app USING ((SELECT rls_system())) WITH CHECK ((SELECT rls_system()));
--> statement-breakpoint

-- gatherings: the chamber's inside, federation staff, city staff; the federation's own (no chamber) to staff.
ALTER TABLE gathering ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE gathering FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY gathering_tenant ON gathering FOR ALL TO wz_app
  USING ((SELECT rls_staff()) OR (SELECT rls_city()) OR chamber_id = ANY ((SELECT rls_tenant_of())::uuid[]))
  WITH CHECK ((SELECT rls_staff()) OR chamber_id = ANY ((SELECT rls_secretary_of())::uuid[]));
--> statement-breakpoint
ALTER TABLE gathering_invitation ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE gathering_invitation FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY gathering_invitation_tenant ON gathering_invitation FOR ALL TO wz_app
  USING ((SELECT rls_staff()) OR (SELECT rls_city()) OR chamber_id = ANY ((SELECT rls_tenant_of())::uuid[])
    OR merchant_id = (SELECT rls_merchant()))
  WITH CHECK ((SELECT rls_staff()) OR chamber_id = ANY ((SELECT rls_secretary_of())::uuid[])
    OR merchant_id = (SELECT rls_merchant()));
--> statement-breakpoint

-- nominations for recognition: the nominating chamber's secretaries, the city and federation staff; the year's
-- honour list (RECOGNISED) is for every signed-in viewer.
ALTER TABLE recognition_nomination ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE recognition_nomination FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY recognition_nomination_tenant ON recognition_nomination FOR ALL TO wz_app
  USING ((SELECT rls_staff()) OR (SELECT rls_city()) OR chamber_id = ANY ((SELECT rls_secretary_of())::uuid[])
    OR (status = 'RECOGNISED' AND (SELECT rls_signed_in())))
  WITH CHECK ((SELECT rls_city()) OR chamber_id = ANY ((SELECT rls_secretary_of())::uuid[]));
--> statement-breakpoint

-- delegations' chambers and participants: the chambers' inside, the city and federation staff.
ALTER TABLE delegation_chamber ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE delegation_chamber FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY delegation_chamber_tenant ON delegation_chamber FOR ALL TO wz_app
  USING ((SELECT rls_staff()) OR (SELECT rls_city()) OR chamber_id = ANY ((SELECT rls_tenant_of())::uuid[]))
  WITH CHECK ((SELECT rls_city()) OR chamber_id = ANY ((SELECT rls_secretary_of())::uuid[]));
--> statement-breakpoint
ALTER TABLE delegation_participant ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE delegation_participant FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY delegation_participant_tenant ON delegation_participant FOR ALL TO wz_app
  USING ((SELECT rls_staff()) OR (SELECT rls_city()) OR chamber_id = ANY ((SELECT rls_tenant_of())::uuid[])
    OR merchant_id = (SELECT rls_merchant()))
  WITH CHECK ((SELECT rls_city()) OR chamber_id = ANY ((SELECT rls_secretary_of())::uuid[]));
--> statement-breakpoint

-- return investment credited to chambers: the city and federation staff, the project's investors, and chambers'
-- secretaries — all of them: a project shared by chambers shows each its partners' credits, a rule a policy could
-- only state by reading this same table (PostgreSQL refuses a policy that recurses). The application narrows it.
ALTER TABLE investment_credit ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE investment_credit FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY investment_credit_tenant ON investment_credit FOR ALL TO wz_app
  USING ((SELECT rls_staff()) OR (SELECT rls_city()) OR chamber_id = ANY ((SELECT rls_secretary_of())::uuid[])
    OR cardinality((SELECT rls_secretary_of())::uuid[]) > 0
    OR EXISTS (SELECT 1 FROM investment_merchant i WHERE i.project_id = investment_credit.project_id
      AND i.merchant_id = (SELECT rls_merchant())))
  WITH CHECK ((SELECT rls_city()) OR chamber_id = ANY ((SELECT rls_secretary_of())::uuid[]));
--> statement-breakpoint
ALTER TABLE investment_chamber_day ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE investment_chamber_day FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY investment_chamber_day_tenant ON investment_chamber_day FOR ALL TO wz_app
  USING ((SELECT rls_staff()) OR (SELECT rls_city()) OR chamber_id = ANY ((SELECT rls_secretary_of())::uuid[]))
  WITH CHECK ((SELECT rls_city()) OR chamber_id = ANY ((SELECT rls_secretary_of())::uuid[]));
--> statement-breakpoint

-- the audit trail: read by federation staff; every scoped change appends to it (and reads back the number of its
-- entry: an actor may read their own entries).
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY audit_log_read ON audit_log FOR SELECT TO wz_app USING ((SELECT rls_staff()) OR actor_user_id = (SELECT rls_user()));
--> statement-breakpoint
CREATE POLICY audit_log_append ON audit_log FOR INSERT TO wz_app WITH CHECK ((SELECT rls_scoped()));
--> statement-breakpoint
-- erasure scrubs earlier entries and retention deletes old ones, in the system scope; nothing else changes an entry
CREATE POLICY audit_log_system ON audit_log FOR ALL TO wz_app USING ((SELECT rls_system())) WITH CHECK ((SELECT rls_system()));
--> statement-breakpoint

-- mail waiting to be sent (it names people and chambers): written by any scoped change, read and sent by the
-- mail worker in the system scope.
ALTER TABLE mail_outbox ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE mail_outbox FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY mail_outbox_worker ON mail_outbox FOR ALL TO wz_app
  USING ((SELECT rls_system())) WITH CHECK ((SELECT rls_system()));

--> statement-breakpoint
CREATE POLICY mail_outbox_append ON mail_outbox FOR INSERT TO wz_app WITH CHECK ((SELECT rls_scoped()));
