// The hundred leading geese (百名领头雁), for city and federation staff: the geese against the cap of 100, each with
// their city leader, last contact and arrived capital; the coverage (geese without a leader, leaders outside 2–3,
// geese not contacted in the window). City staff tag and untag geese (a full list is refused with its reason), link
// a goose to a leader and log a contact.
import { App, Button, Card, Col, Form, Row, Space, Statistic, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "urql";
import type { ResultOf } from "../graphql";
import { MerchantSelect } from "../lib/merchant-select";
import { Item, MutationForm } from "../lib/mutation-form";
import { todayIso } from "../lib/reference";
import { useViewer } from "../lib/session";
import { EmptyState, ErrorState, Loading } from "../lib/states";
import {
  LeadingGooseCoverageQuery,
  LinkGooseToLeaderMutation,
  RecordGooseContactMutation,
  SetLeadingGooseMutation,
} from "../operations";

type Coverage = ResultOf<typeof LeadingGooseCoverageQuery>["leadingGooseCoverage"];
type Goose = Coverage["geese"][number];
type Leader = Coverage["leaders"][number];
const CONTACT_KINDS = ["MEETING", "VISIT", "CALL"];
const yi = (amount: string) => (Number(amount) / 1e8).toFixed(2);

export function LeadingGeesePage() {
  const { t } = useTranslation();
  const viewer = useViewer();
  const [result, refetch] = useQuery({ query: LeadingGooseCoverageQuery, requestPolicy: "cache-and-network" });
  const reload = () => refetch({ requestPolicy: "network-only" });
  const title = (
    <Typography.Title level={2} style={{ margin: 0 }}>
      {t("geese.title")}
    </Typography.Title>
  );
  if (result.error)
    return (
      <Space direction="vertical" style={{ width: "100%" }}>
        {title}
        <ErrorState error={result.error} retry={reload} />
      </Space>
    );
  if (!result.data)
    return (
      <Space direction="vertical" style={{ width: "100%" }}>
        {title}
        <Loading />
      </Space>
    );
  const c = result.data.leadingGooseCoverage;
  const withoutLeader = c.geese.filter((g) => !g.leader);
  const notContacted = c.geese.filter((g) => !g.contactedRecently);
  const outside = c.leaders.filter((l) => !l.withinRange);
  return (
    <Space direction="vertical" style={{ width: "100%" }} size="middle">
      {title}
      <Row gutter={[8, 8]}>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t("geese.count")} value={c.geeseCount} suffix={`/ ${c.cap}`} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t("geese.withoutLeader")} value={withoutLeader.length} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t("geese.leadersOutside")} value={outside.length} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t("geese.notContacted", { days: c.contactWindowDays })} value={notContacted.length} />
          </Card>
        </Col>
      </Row>
      {viewer.isCityStaff && <GooseForms coverage={c} onChanged={reload} />}
      <Card size="small" title={t("geese.coverage", { date: c.asOf })}>
        <Space direction="vertical" style={{ width: "100%" }}>
          <Typography.Text strong>{t("geese.withoutLeader")}</Typography.Text>
          <Names geese={withoutLeader} testId="geese-without-leader" />
          <Typography.Text strong>{t("geese.notContacted", { days: c.contactWindowDays })}</Typography.Text>
          <Names geese={notContacted} testId="geese-not-contacted" />
          <Typography.Text strong>{t("geese.leadersOutside")}</Typography.Text>
          <LeaderTable leaders={outside} />
        </Space>
      </Card>
      <Card size="small" title={t("geese.leaders")}>
        <LeaderTable leaders={c.leaders} geese={c.geese} />
      </Card>
      <GooseTable coverage={c} onChanged={viewer.isCityStaff ? reload : null} />
    </Space>
  );
}

function Names(props: { geese: Goose[]; testId: string }) {
  const { t } = useTranslation();
  if (props.geese.length === 0) return <Typography.Text type="secondary">{t("geese.noneListed")}</Typography.Text>;
  return (
    <div data-testid={props.testId}>
      <Space size={[4, 4]} wrap>
        {props.geese.map((g, i) => (
          <Tag key={g.merchant?.id ?? i}>{g.merchant?.name ?? t("common.hidden")}</Tag>
        ))}
      </Space>
    </div>
  );
}

function LeaderTable(props: { leaders: Leader[]; geese?: Goose[] }) {
  const { t } = useTranslation();
  const geese = props.geese;
  if (props.leaders.length === 0) return <EmptyState text={t("geese.noLeaders")} />;
  return (
    <Table
      size="small"
      rowKey={(l) => l.leader.userId}
      pagination={false}
      scroll={{ x: true }}
      dataSource={props.leaders}
      columns={[
        { title: t("geese.leader"), key: "leader", render: (_: unknown, l: Leader) => l.leader.displayName },
        {
          title: t("geese.geeseCount"),
          dataIndex: "geese",
          render: (n: number, l: Leader) => (
            <Space>
              {n}
              {!l.withinRange && <Tag color="red">{t("geese.outsideRange")}</Tag>}
            </Space>
          ),
        },
        ...(geese
          ? [
              {
                title: t("geese.geese"),
                key: "names",
                render: (_: unknown, l: Leader) =>
                  geese
                    .filter((g) => g.leader?.userId === l.leader.userId)
                    .map((g) => g.merchant?.name ?? t("common.hidden"))
                    .join("、"),
              },
            ]
          : []),
      ]}
    />
  );
}

function GooseTable(props: { coverage: Coverage; onChanged: (() => void) | null }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [untagging, setLeadingGoose] = useMutation(SetLeadingGooseMutation);
  const [page, setPage] = useState(1);
  const onChanged = props.onChanged;
  const untag = async (merchantId: string) => {
    const result = await setLeadingGoose({ input: { merchantId, leadingGoose: false } });
    const errors = result.data?.setLeadingGoose.userErrors ?? [];
    if (result.error || errors.length)
      void message.error(result.error?.message ?? errors.map((e) => e.message).join(" "));
    else {
      void message.success(t("common.saved"));
      onChanged?.();
    }
  };
  return (
    <Card size="small" title={`${t("geese.list")} (${props.coverage.geeseCount})`}>
      <Table
        size="small"
        rowKey={(g, i) => g.merchant?.id ?? String(i)}
        scroll={{ x: true }}
        dataSource={props.coverage.geese}
        pagination={{ current: page, onChange: setPage, pageSize: 20, showSizeChanger: false }}
        columns={[
          {
            title: t("common.name"),
            key: "name",
            render: (_: unknown, g: Goose) => g.merchant?.name ?? t("common.hidden"),
          },
          { title: t("geese.leader"), key: "leader", render: (_: unknown, g: Goose) => g.leader?.displayName ?? "—" },
          {
            title: t("geese.lastContact"),
            key: "last",
            render: (_: unknown, g: Goose) => (
              <Space size={4}>
                {g.lastContactOn ?? "—"}
                {!g.contactedRecently && <Tag color="orange">{t("geese.stale")}</Tag>}
              </Space>
            ),
          },
          { title: t("geese.projects"), dataIndex: "projects" },
          { title: t("geese.arrivedYi"), dataIndex: "arrived", render: (v: string) => yi(v) },
          ...(onChanged
            ? [
                {
                  title: t("common.actions"),
                  key: "actions",
                  render: (_: unknown, g: Goose) =>
                    g.merchant && (
                      <Button size="small" loading={untagging.fetching} onClick={() => untag(g.merchant!.id)}>
                        {t("geese.untag")}
                      </Button>
                    ),
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}

function GooseForms(props: { coverage: Coverage; onChanged(): void }) {
  const { t } = useTranslation();
  const geese = props.coverage.geese.flatMap((g) =>
    g.merchant ? [{ value: g.merchant.id, label: g.merchant.name }] : [],
  );
  const leaders = props.coverage.leaders.map((l) => ({ value: l.leader.userId, label: l.leader.displayName }));
  const merchantLabel = t("geese.merchant");
  return (
    <Card size="small">
      <Space wrap align="start" size="large">
        <MutationForm
          name="tag-goose"
          ns="geese"
          action="tag"
          mutation={SetLeadingGooseMutation}
          fields={["merchantId"]}
          toInput={(v: Record<string, unknown>) => ({ merchantId: v.merchantId ?? "", leadingGoose: true })}
          onDone={props.onChanged}
        >
          <Form.Item label={merchantLabel} name="merchantId">
            <MerchantSelect aria-label={merchantLabel} />
          </Form.Item>
        </MutationForm>
        <MutationForm
          name="link-goose"
          ns="geese"
          action="link"
          mutation={LinkGooseToLeaderMutation}
          fields={["merchantId", "leaderUserId", "since"]}
          initialValues={{ since: todayIso() }}
          toInput={(v: Record<string, unknown>) => ({
            merchantId: v.merchantId ?? "",
            leaderUserId: v.leaderUserId ?? "",
            since: v.since,
          })}
          onDone={props.onChanged}
        >
          <Item ns="geese" name="merchantId" label="goose" options={geese} />
          <Item ns="geese" name="leaderUserId" label="leader" options={leaders} />
          <Item ns="geese" name="since" label="since" type="date" />
        </MutationForm>
        <MutationForm
          name="goose-contact"
          ns="geese"
          action="recordContact"
          mutation={RecordGooseContactMutation}
          fields={["merchantId", "kind", "on", "notes"]}
          initialValues={{ on: todayIso(), kind: "MEETING" }}
          toInput={(v: Record<string, unknown>) => ({
            merchantId: v.merchantId ?? "",
            kind: v.kind,
            on: v.on,
            notes: v.notes || null,
          })}
          onDone={props.onChanged}
        >
          <Item ns="geese" name="merchantId" label="goose" options={geese} />
          <Item
            ns="geese"
            name="kind"
            label="contactKind"
            options={CONTACT_KINDS.map((k) => ({ value: k, label: t(`geese.contactKinds.${k}`) }))}
          />
          <Item ns="geese" name="on" label="on" type="date" />
          <Item ns="geese" name="notes" label="notes" />
        </MutationForm>
      </Space>
    </Card>
  );
}
