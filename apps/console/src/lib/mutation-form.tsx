// One small form per action: its fields, the mutation it runs with `{ input }`, each userError at its field (the
// API's field names, as the form names them), what belongs to no field under the form, in the chosen language.
import { App, Button, Form, type FormInstance, Input, Select, Typography } from "antd";
import { type CSSProperties, type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { type AnyVariables, type TypedDocumentNode, useMutation } from "urql";
import { showUserErrors, type UserError } from "./user-errors";

type Payload = { userErrors: readonly UserError[] } & Record<string, unknown>;

/**
 * One small form: submits `toInput(values)` with `mutation`, puts each userError at its field (the API's field
 * names, as the form names them), and calls `onDone` when accepted.
 */
export function MutationForm<V extends Record<string, unknown>, D>(props: {
  name: string;
  /** The namespace of `action` and the field labels (default returnInvestment). */
  ns?: string;
  /** The `${ns}.*` key naming the form and its button. */
  action: string;
  /** Wider forms (several fields in a row) set their own style. */
  style?: CSSProperties;
  // biome-ignore lint/suspicious/noExplicitAny: every mutation here takes `{ input }`; its type is the operation's
  mutation: TypedDocumentNode<D, any>;
  fields: readonly string[];
  toInput(values: V): Record<string, unknown>;
  onDone(form: FormInstance<V>): void;
  initialValues?: Partial<V>;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const ns = props.ns ?? "returnInvestment";
  const { message } = App.useApp();
  const [form] = Form.useForm<V>();
  const [state, run] = useMutation<D, AnyVariables>(props.mutation);
  const [formError, setFormError] = useState<string | null>(null);
  const finish = async (values: V) => {
    setFormError(null);
    const result = await run({ input: props.toInput(values) });
    if (result.error) return setFormError(result.error.message);
    const payload = Object.values(result.data ?? {})[0] as Payload | undefined;
    if (!payload) return;
    if (payload.userErrors.length === 0) {
      void message.success(t("common.saved"));
      form.resetFields();
      props.onDone(form);
    } else setFormError(showUserErrors(form, payload.userErrors, props.fields).join(" ") || null);
  };
  return (
    <Form
      form={form}
      name={props.name}
      layout="vertical"
      onFinish={finish}
      initialValues={props.initialValues}
      aria-label={t(`${ns}.${props.action}`)}
      style={props.style ?? { minWidth: 240, maxWidth: 320 }}
    >
      <Typography.Text strong>{t(`${ns}.${props.action}`)}</Typography.Text>
      {props.children}
      {formError && <Typography.Paragraph type="danger">{formError}</Typography.Paragraph>}
      <Button htmlType="submit" loading={state.fetching}>
        {t(`${ns}.${props.action}`)}
      </Button>
    </Form>
  );
}

/** A labelled field: a date (the browser's picker), a line of text, or a choice (`options`). */
export function Item(props: {
  name: string;
  /** The `${ns}.*` key of its label (default returnInvestment). */
  label: string;
  ns?: string;
  multiple?: boolean;
  type?: "date" | "text" | "decimal";
  options?: { value: string; label: string }[];
}) {
  const { t } = useTranslation();
  const label = t(`${props.ns ?? "returnInvestment"}.${props.label}`);
  return (
    <Form.Item label={label} name={props.name}>
      {props.options ? (
        <Select
          aria-label={label}
          showSearch
          optionFilterProp="label"
          options={props.options}
          mode={props.multiple ? "multiple" : undefined}
        />
      ) : (
        <Input
          type={props.type === "date" ? "date" : "text"}
          inputMode={props.type === "decimal" ? "decimal" : undefined}
        />
      )}
    </Form.Item>
  );
}
