// Small validators shared by services; each returns an error message or null.

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function emailProblem(email: string): string | null {
  const e = email.trim();
  if (e.length === 0) return "Email is required.";
  if (e.length > 254 || !EMAIL.test(e)) return `"${email}" is not a valid email address.`;
  return null;
}

export function requiredText(value: string | null | undefined, label: string, max = 200): string | null {
  const v = (value ?? "").trim();
  if (v.length === 0) return `${label} is required.`;
  if (v.length > max) return `${label} is at most ${max} characters.`;
  return null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Ids arrive from clients: one that is not a UUID is treated as not found, never sent to the database. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
