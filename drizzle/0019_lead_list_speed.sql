CREATE INDEX "lead_response_referred_idx" ON "lead_response" USING btree ("referred_merchant_id");--> statement-breakpoint
CREATE INDEX "lead_created_idx" ON "lead" USING btree ("created_at","id");--> statement-breakpoint

-- 0018's rule for leads, unchanged in what it lets through, cheaper to run (issue 11's lead-list benchmark):
-- - the commonest case first: a count over every lead tests each row, and most pass as FEDERATION;
-- - the chambers named: a sub-select hashed once per statement, read through lead_audience's chamber index one
--   viewer chamber at a time (LATERAL … OFFSET 0). Written as `a.chamber_id = ANY (the viewer's chambers)`,
--   PostgreSQL cannot know at planning time how few those are and read the whole of lead_audience to build the
--   hash, for every statement (~0.7 ms at 4,000 audience rows, growing with the table);
-- - those who answered or were referred: the same kind of sub-select, now on two indexed columns.
DROP POLICY lead_visible ON lead;
--> statement-breakpoint
CREATE POLICY lead_visible ON lead FOR ALL TO wz_app
  USING (
    (SELECT rls_system())
    OR (visibility = 'FEDERATION' AND (SELECT rls_signed_in()))
    OR chamber_id = ANY ((SELECT rls_tenant_of())::uuid[])
    OR posted_by_merchant_id = (SELECT rls_merchant())
    OR (visibility = 'SELECTED_CHAMBERS' AND (chamber_id, id) IN (SELECT a.lead_chamber_id, a.lead_id
      FROM unnest((SELECT rls_tenant_of())::uuid[]) viewer_chamber (id)
      CROSS JOIN LATERAL (SELECT lead_chamber_id, lead_id FROM lead_audience
        WHERE lead_audience.chamber_id = viewer_chamber.id OFFSET 0) a))
    OR EXISTS (SELECT 1 FROM lead_response r WHERE r.chamber_id = lead.chamber_id AND r.lead_id = lead.id
      AND (r.responder_merchant_id = (SELECT rls_merchant()) OR r.referred_merchant_id = (SELECT rls_merchant())))
  );
