// A chamber's annual dues per level (会费标准), kept by its secretaries: each level's fee, or none; each refusal
// shows at the level it is about.
import { App, Button, Form, InputNumber, Space, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "urql";
import { ErrorState, Loading } from "../lib/states";
import { showUserErrors } from "../lib/user-errors";
import { FeeScheduleQuery, SetFeeScheduleMutation } from "../operations";

const LEVELS = ["PRESIDENT", "EXECUTIVE_VICE_PRESIDENT", "VICE_PRESIDENT", "STANDING_DIRECTOR", "DIRECTOR", "MEMBER"];

export function FeeSchedulePanel(props: { chamberId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Record<string, number | null>>();
  const [result, refetch] = useQuery({ query: FeeScheduleQuery, variables: { id: props.chamberId } });
  const [state, save] = useMutation(SetFeeScheduleMutation);
  const [formError, setFormError] = useState<string | null>(null);
  if (result.error) return <ErrorState error={result.error} retry={() => refetch({ requestPolicy: "network-only" })} />;
  const chamber = result.data?.node;
  if (!chamber) return <Loading />;
  const current = chamber.__typename === "Chamber" ? (chamber.feeSchedule ?? []) : [];
  const initial = Object.fromEntries(LEVELS.map((l) => [l, current.find((f) => f.level === l)?.annualFee ?? null]));
  const submit = async (values: Record<string, number | string | null>) => {
    setFormError(null);
    const fees = LEVELS.filter((l) => values[l] !== null && values[l] !== undefined && values[l] !== "").map(
      (level) => ({ level: level as never, annualFee: String(values[level]) }),
    );
    const answer = await save({ input: { chamberId: props.chamberId, fees } });
    if (answer.error) return setFormError(answer.error.message);
    const payload = answer.data?.setFeeSchedule;
    if (payload?.fees) {
      void message.success(t("fees.saved"));
      refetch({ requestPolicy: "network-only" });
      return;
    }
    if (!payload) return;
    // the API names a fee by its place in `fees`: ["input", "fees", "2", "annualFee"] → that level's field
    const placed = payload.userErrors.map((e) => {
      const at = e.field?.indexOf("fees") ?? -1;
      const level = at >= 0 ? fees[Number(e.field?.[at + 1])]?.level : undefined;
      return { ...e, field: level ? [level as string] : e.field };
    });
    setFormError(showUserErrors(form, placed, LEVELS)[0] ?? null);
  };
  return (
    <Form form={form} name="fees" layout="vertical" onFinish={submit} initialValues={initial} style={{ maxWidth: 420 }}>
      <Typography.Paragraph type="secondary">{t("fees.hint")}</Typography.Paragraph>
      {LEVELS.map((level) => (
        <Form.Item key={level} label={t("fees.feeFor", { level: t(`members.levels.${level}`) })} name={level}>
          <InputNumber min={0} step={100} precision={2} style={{ width: "100%" }} addonAfter={t("fees.perYear")} />
        </Form.Item>
      ))}
      {formError && <Typography.Paragraph type="danger">{formError}</Typography.Paragraph>}
      <Space>
        <Button type="primary" htmlType="submit" loading={state.fetching}>
          {t("common.save")}
        </Button>
      </Space>
    </Form>
  );
}
