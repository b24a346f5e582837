// The yearly recognition of returning merchants (温商回归功勋人物): a chamber's secretaries nominate an active member
// with a reason; city staff recognise or decline each nomination once; everyone who may read them sees the year's
// nominations and the list of those recognised.
import { Card, Form, Input, InputNumber, Radio, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { ResultOf } from "../graphql";
import { useFreshQuery } from "../lib/fresh-query";
import { MerchantSelect } from "../lib/merchant-select";
import { Item, MutationForm } from "../lib/mutation-form";
import { chamberName, todayIso } from "../lib/reference";
import { secretaryChambers, useSession, useViewer } from "../lib/session";
import { EmptyState, ErrorState, Loading } from "../lib/states";
import { DecideRecognitionMutation, NominateForRecognitionMutation, RecognitionNominationsQuery } from "../operations";

type Nomination = ResultOf<typeof RecognitionNominationsQuery>["recognitionNominations"]["edges"][number]["node"];
const STATUS_COLOURS: Record<string, string> = { NOMINATED: "blue", RECOGNISED: "green", DECLINED: "" };

export function RecognitionPage() {
  const { t } = useTranslation();
  const viewer = useViewer();
  const [year, setYear] = useState(Number(todayIso().slice(0, 4)));
  const [version, setVersion] = useState(0);
  const changed = () => setVersion((v) => v + 1);
  return (
    <Space direction="vertical" style={{ width: "100%" }} size="middle">
      <Typography.Title level={2} style={{ margin: 0 }}>
        {t("recognition.title")}
      </Typography.Title>
      <Form layout="inline">
        <Form.Item label={t("recognition.year")} htmlFor="recognition-year">
          <InputNumber id="recognition-year" min={2000} max={2100} value={year} onChange={(v) => v && setYear(v)} />
        </Form.Item>
      </Form>
      {secretaryChambers(viewer).length > 0 && <NominateForm year={year} onDone={changed} />}
      <NominationList year={year} version={version} recognisedOnly onChanged={changed} />
      <NominationList year={year} version={version} onChanged={changed} />
    </Space>
  );
}

function NominateForm(props: { year: number; onDone(): void }) {
  const { t } = useTranslation();
  const viewer = useViewer();
  const { language } = useSession();
  const chambers = secretaryChambers(viewer).map((c) => ({ value: c.id, label: chamberName(c, language) }));
  const merchantLabel = t("recognition.merchant");
  return (
    <Card size="small">
      <MutationForm
        name="nominate"
        ns="recognition"
        action="nominate"
        mutation={NominateForRecognitionMutation}
        fields={["chamberId", "merchantId", "reason", "year"]}
        initialValues={{ chamberId: chambers.length === 1 ? chambers[0]!.value : undefined }}
        style={{ maxWidth: 480 }}
        toInput={(v: Record<string, unknown>) => ({
          chamberId: v.chamberId ?? "",
          merchantId: v.merchantId ?? "",
          reason: v.reason ?? "",
          year: props.year,
        })}
        onDone={props.onDone}
      >
        <Typography.Paragraph type="secondary">{t("recognition.forYear", { year: props.year })}</Typography.Paragraph>
        <Item ns="recognition" name="chamberId" label="chamber" options={chambers} />
        <Form.Item label={merchantLabel} name="merchantId">
          <MerchantSelect aria-label={merchantLabel} />
        </Form.Item>
        <Form.Item label={t("recognition.reason")} name="reason">
          <Input.TextArea rows={3} />
        </Form.Item>
      </MutationForm>
    </Card>
  );
}

function NominationList(props: { year: number; version: number; recognisedOnly?: boolean; onChanged(): void }) {
  const { t } = useTranslation();
  const viewer = useViewer();
  const { language } = useSession();
  const [result, retry] = useFreshQuery(
    {
      query: RecognitionNominationsQuery,
      variables: { year: props.year, status: props.recognisedOnly ? ["RECOGNISED" as const] : null, first: 100 },
    },
    props.version,
  );
  const title = props.recognisedOnly
    ? t("recognition.recognisedList", { year: props.year })
    : t("recognition.nominations", { year: props.year });
  if (result.error) return <ErrorState error={result.error} retry={retry} />;
  if (!result.data) return <Loading />;
  const list = result.data.recognitionNominations;
  const deciding = viewer.isCityStaff && !props.recognisedOnly;
  return (
    <Card size="small" title={`${title} (${list.totalCount})`}>
      {list.totalCount === 0 ? (
        <EmptyState text={props.recognisedOnly ? t("recognition.noneRecognised") : t("recognition.none")} />
      ) : (
        <Table
          size="small"
          rowKey="id"
          scroll={{ x: true }}
          pagination={false}
          aria-label={title}
          dataSource={list.edges.map((e) => e.node)}
          expandable={
            deciding
              ? {
                  rowExpandable: (n) => n.status === "NOMINATED",
                  expandedRowRender: (n: Nomination) => <DecideForm nomination={n} onDone={props.onChanged} />,
                  defaultExpandAllRows: true,
                  showExpandColumn: false,
                }
              : undefined
          }
          columns={[
            {
              title: t("common.name"),
              key: "name",
              render: (_: unknown, n: Nomination) => n.merchant?.name ?? t("common.hidden"),
            },
            {
              title: t("common.chamber"),
              key: "chamber",
              render: (_: unknown, n: Nomination) => chamberName(n.chamber, language),
            },
            { title: t("recognition.reason"), dataIndex: "reason" },
            {
              title: t("common.status"),
              dataIndex: "status",
              render: (s: string) => <Tag color={STATUS_COLOURS[s]}>{t(`recognition.statuses.${s}`)}</Tag>,
            },
            { title: t("recognition.decisionNote"), dataIndex: "decisionNote", render: (v: string | null) => v ?? "" },
          ]}
        />
      )}
    </Card>
  );
}

function DecideForm(props: { nomination: Nomination; onDone(): void }) {
  const { t } = useTranslation();
  return (
    <MutationForm
      name={`decide-${props.nomination.id}`}
      ns="recognition"
      action="decide"
      mutation={DecideRecognitionMutation}
      fields={["recognised", "note"]}
      initialValues={{ recognised: true }}
      style={{ maxWidth: 480 }}
      toInput={(v: Record<string, unknown>) => ({
        nominationId: props.nomination.id,
        recognised: v.recognised === true,
        note: v.note || null,
      })}
      onDone={props.onDone}
    >
      <Form.Item label={t("recognition.decision")} name="recognised">
        <Radio.Group
          optionType="button"
          options={[
            { value: true, label: t("recognition.recognise") },
            { value: false, label: t("recognition.decline") },
          ]}
        />
      </Form.Item>
      <Item ns="recognition" name="note" label="decisionNote" />
    </MutationForm>
  );
}
