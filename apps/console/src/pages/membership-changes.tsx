// A secretary changes a membership's level (with an optional reason) or its status (suspend, reinstate, leave —
// always with a reason); the API's refusals show at their fields, in the chosen language.
import { App, Button, Card, Form, Input, Select, Space, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation } from "urql";
import { showUserErrors, type UserError } from "../lib/user-errors";
import { ChangeMembershipLevelMutation, ChangeMembershipStatusMutation } from "../operations";

const LEVELS = ["PRESIDENT", "EXECUTIVE_VICE_PRESIDENT", "VICE_PRESIDENT", "STANDING_DIRECTOR", "DIRECTOR", "MEMBER"];
// What a secretary may set by hand; LAPSED follows from unpaid dues and APPLIED is decided, not set.
const STATUSES = ["SUSPENDED", "ACTIVE", "LEFT"];

/** The API names the changed field `level` or `status`; both forms call it `value`. */
const asValue = (errors: readonly UserError[], field: string): UserError[] =>
  errors.map((e) => ({ ...e, field: e.field ? e.field.map((f) => (f === field ? "value" : f)) : null }));

interface Change {
  value: string;
  reason: string;
}

export function MembershipChanges(props: { membership: { id: string; level: string }; onChanged(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [levelForm] = Form.useForm<Change>();
  const [statusForm] = Form.useForm<Change>();
  const [levelState, changeLevel] = useMutation(ChangeMembershipLevelMutation);
  const [statusState, changeStatus] = useMutation(ChangeMembershipStatusMutation);
  const [levelError, setLevelError] = useState<string | null>(null);
  const [statusError, setStatusError] = useState<string | null>(null);

  const submitLevel = async ({ value, reason }: Change) => {
    setLevelError(null);
    const result = await changeLevel({
      input: { membershipId: props.membership.id, level: value as never, reason: reason?.trim() || null },
    });
    if (result.error) return setLevelError(result.error.message);
    const payload = result.data?.changeMembershipLevel;
    if (payload?.membership) {
      void message.success(t("members.changed"));
      props.onChanged();
    } else if (payload) {
      setLevelError(showUserErrors(levelForm, asValue(payload.userErrors, "level"), ["value", "reason"])[0] ?? null);
    }
  };
  const submitStatus = async ({ value, reason }: Change) => {
    setStatusError(null);
    const result = await changeStatus({
      input: { membershipId: props.membership.id, status: value as never, reason: reason ?? "" },
    });
    if (result.error) return setStatusError(result.error.message);
    const payload = result.data?.changeMembershipStatus;
    if (payload?.membership) {
      void message.success(t("members.changed"));
      statusForm.resetFields();
      props.onChanged();
    } else if (payload) {
      setStatusError(showUserErrors(statusForm, asValue(payload.userErrors, "status"), ["value", "reason"])[0] ?? null);
    }
  };

  return (
    <Card size="small" title={t("members.changeTitle")}>
      <Space wrap align="start" size="large" style={{ width: "100%" }}>
        <Form
          form={levelForm}
          name="level"
          layout="vertical"
          onFinish={submitLevel}
          initialValues={{ value: props.membership.level, reason: "" }}
          aria-label={t("members.changeLevel")}
          style={{ minWidth: 260 }}
        >
          <Form.Item label={t("members.newLevel")} name="value">
            <Select options={LEVELS.map((l) => ({ value: l, label: t(`members.levels.${l}`) }))} />
          </Form.Item>
          <Form.Item label={t("members.levelReason")} name="reason">
            <Input />
          </Form.Item>
          {levelError && <Typography.Paragraph type="danger">{levelError}</Typography.Paragraph>}
          <Button htmlType="submit" loading={levelState.fetching}>
            {t("members.changeLevel")}
          </Button>
        </Form>
        <Form
          form={statusForm}
          name="status"
          layout="vertical"
          onFinish={submitStatus}
          initialValues={{ value: "SUSPENDED", reason: "" }}
          aria-label={t("members.changeStatus")}
          style={{ minWidth: 260 }}
        >
          <Form.Item label={t("members.newStatus")} name="value">
            <Select options={STATUSES.map((s) => ({ value: s, label: t(`members.statuses.${s}`) }))} />
          </Form.Item>
          <Form.Item label={t("members.statusChangeReason")} name="reason">
            <Input />
          </Form.Item>
          {statusError && <Typography.Paragraph type="danger">{statusError}</Typography.Paragraph>}
          <Button htmlType="submit" loading={statusState.fetching}>
            {t("members.changeStatus")}
          </Button>
        </Form>
      </Space>
    </Card>
  );
}
