// Small validators shared by services; each returns an error message or null.
import { type Message, msg } from "./messages";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function emailProblem(email: string): Message | null {
  const e = email.trim();
  if (e.length === 0) return msg("input.emailRequired");
  if (e.length > 254 || !EMAIL.test(e)) return msg("input.emailInvalid", { email });
  return null;
}

/** `label` names the field as a sentence starts with it ("Title", "A reason"). */
export function requiredText(value: string | null | undefined, label: Message, max = 200): Message | null {
  const v = (value ?? "").trim();
  if (v.length === 0) return msg("input.required", { label });
  if (v.length > max) return msg("input.tooLong", { label, max });
  return null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Ids arrive from clients: one that is not a UUID is treated as not found, never sent to the database. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
