// userErrors next to their fields: ["input", "email"] → the form field "email"; the rest go to a form-level list.
import type { FormInstance } from "antd";

export interface UserError {
  field: readonly string[] | null;
  message: string;
  code: string;
}

/** Puts each error on its form field when the form has it; returns the errors that belong to no field. */
export function showUserErrors(form: FormInstance, errors: readonly UserError[], fields: readonly string[]): string[] {
  const unplaced: string[] = [];
  const byField = new Map<string, string[]>();
  for (const error of errors) {
    const path = (error.field ?? []).filter((part) => part !== "input");
    const name = path.find((part) => fields.includes(part));
    if (name) byField.set(name, [...(byField.get(name) ?? []), error.message]);
    else unplaced.push(error.message);
  }
  form.setFields([...byField].map(([name, messages]) => ({ name, errors: messages })));
  return unplaced;
}
