// Node ids of rows keyed by more than one column: "<chamberId>/<id>" inside the opaque global id, so a tenant
// row is found by its whole primary key. A key that does not split reads as a missing id.

export function tenantNodeKey(row: { chamberId: string }, own: string): string {
  return `${row.chamberId}/${own}`;
}

/** The two parts of a "<chamberId>/<rest>" node key, or null when it has no such shape. */
export function splitTenantNodeKey(key: string): { chamberId: string; rest: string } | null {
  const slash = key.indexOf("/");
  if (slash <= 0 || slash === key.length - 1) return null;
  return { chamberId: key.slice(0, slash), rest: key.slice(slash + 1) };
}

/** Node keys that are whole positive numbers (bigserial ids); anything else reads as missing (NaN → null). */
export function numericNodeKey(key: string): number {
  return /^[1-9]\d{0,15}$/.test(key) ? Number(key) : Number.NaN;
}
