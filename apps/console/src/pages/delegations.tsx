// Delegations home (组团回乡投资考察): the year's list; for city and federation staff the months against the goal of
// 2–3 a month (months under it flagged); for city staff and the organising chambers' secretaries planning one,
// changing it and moving it along (confirm, record its results as DONE, cancel), each refusal shown at its field.
import {
  Button,
  Card,
  Form,
  type FormListFieldData,
  Input,
  InputNumber,
  Progress,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from "antd";
import { type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQuery } from "urql";
import type { ResultOf } from "../graphql";
import type { Language } from "../i18n";
import { useFreshQuery } from "../lib/fresh-query";
import { MerchantSelect } from "../lib/merchant-select";
import { Item, MutationForm } from "../lib/mutation-form";
import { chamberName, todayIso } from "../lib/reference";
import { secretaryChambers, useSession, useViewer, type Viewer } from "../lib/session";
import { EmptyState, ErrorState, Loading } from "../lib/states";
import {
  CancelDelegationMutation,
  ChamberOptionsQuery,
  CityContactOptionsQuery,
  CompleteDelegationMutation,
  ConfirmDelegationMutation,
  CreateDelegationMutation,
  DelegationActivityQuery,
  DelegationProjectOptionsQuery,
  DelegationQuery,
  DelegationsQuery,
  UpdateDelegationMutation,
} from "../operations";

type Listed = ResultOf<typeof DelegationsQuery>["delegations"]["edges"][number]["node"];
type Delegation = Extract<NonNullable<ResultOf<typeof DelegationQuery>["node"]>, { __typename: "Delegation" }>;
const STATUS_COLOURS: Record<string, string> = { PLANNED: "blue", CONFIRMED: "gold", DONE: "green", CANCELLED: "" };
const DETAIL_FIELDS = [
  "title",
  "startsOn",
  "endsOn",
  "chamberIds",
  "participantMerchantIds",
  "cityContactUserIds",
  "notes",
];
/** A CNY amount (Decimal string) in 亿 (100 million), two decimals. */
const yi = (amount: string) => (Number(amount) / 1e8).toFixed(2);

/** City staff keep any delegation; a chamber's secretaries those organised by their chambers alone. */
function mayKeep(viewer: Viewer, chamberIds: readonly string[]): boolean {
  if (viewer.isCityStaff) return true;
  const mine = new Set(secretaryChambers(viewer).map((c) => c.id));
  return chamberIds.length > 0 && chamberIds.every((id) => mine.has(id));
}

export function DelegationsPage() {
  const { t } = useTranslation();
  const viewer = useViewer();
  const [year, setYear] = useState(Number(todayIso().slice(0, 4)));
  const [version, setVersion] = useState(0);
  const changed = () => setVersion((v) => v + 1);
  const mayPlan = viewer.isCityStaff || secretaryChambers(viewer).length > 0;
  return (
    <Space direction="vertical" style={{ width: "100%" }} size="middle">
      <Typography.Title level={2} style={{ margin: 0 }}>
        {t("delegations.title")}
      </Typography.Title>
      <Form layout="inline">
        <Form.Item label={t("delegations.year")} htmlFor="delegations-year">
          <InputNumber id="delegations-year" min={2000} max={2100} value={year} onChange={(v) => v && setYear(v)} />
        </Form.Item>
      </Form>
      {(viewer.isCityStaff || viewer.isFederationStaff) && <ActivityView year={year} version={version} />}
      {mayPlan && (
        <Card size="small" title={t("delegations.plan")}>
          <DelegationForm onDone={changed} />
        </Card>
      )}
      {/* a new year starts from its first page */}
      <DelegationList key={year} year={year} version={version} onChanged={changed} />
    </Space>
  );
}

function ActivityView(props: { year: number; version: number }) {
  const { t } = useTranslation();
  const [result, retry] = useFreshQuery(
    { query: DelegationActivityQuery, variables: { year: props.year } },
    props.version,
  );
  if (result.error) return <ErrorState error={result.error} retry={retry} />;
  if (!result.data) return <Loading />;
  const a = result.data.delegationActivity;
  const most = Math.max(3, ...a.byMonth.map((m) => m.count));
  return (
    <Card
      size="small"
      title={t("delegations.activity", { year: a.year })}
      extra={t("delegations.activitySummary", { total: a.total, under: a.monthsUnderGoal, goal: a.goalPerMonth })}
    >
      <Table
        size="small"
        pagination={false}
        rowKey="month"
        scroll={{ x: true }}
        aria-label={t("delegations.activity", { year: a.year })}
        dataSource={a.byMonth}
        rowClassName={(m) => (m.underGoal ? "wz-under-goal" : "")}
        columns={[
          {
            title: t("delegations.month"),
            dataIndex: "month",
            render: (m: number) => t("delegations.monthName", { m }),
          },
          {
            title: t("delegations.count"),
            dataIndex: "count",
            render: (count: number, m) => (
              <Space size={8}>
                <span data-testid={`month-${m.month}-count`}>{count}</span>
                <Progress
                  percent={(count / most) * 100}
                  showInfo={false}
                  size="small"
                  style={{ width: 80, margin: 0 }}
                  status={m.underGoal ? "exception" : "normal"}
                  aria-hidden
                />
                {m.underGoal && <Tag color="red">{t("delegations.underGoal")}</Tag>}
              </Space>
            ),
          },
          { title: t("delegations.participants"), dataIndex: "participants" },
          { title: t("delegations.agreements"), dataIndex: "agreements" },
          { title: t("delegations.pledgedYi"), dataIndex: "pledged", render: (v: string) => yi(v) },
          {
            title: t("delegations.projectsSigned"),
            dataIndex: "projectsSigned",
            render: (n: number, m) => <span data-testid={`month-${m.month}-signed`}>{n}</span>,
          },
        ]}
      />
    </Card>
  );
}

function DelegationList(props: { year: number; version: number; onChanged(): void }) {
  const { t } = useTranslation();
  const viewer = useViewer();
  const { language } = useSession();
  const [after, setAfter] = useState<string | null>(null);
  const [result, retry] = useFreshQuery(
    {
      query: DelegationsQuery,
      variables: { filter: { from: `${props.year}-01-01`, to: `${props.year}-12-31` }, first: 20, after },
    },
    props.version,
  );
  if (result.error) return <ErrorState error={result.error} retry={retry} />;
  if (!result.data) return <Loading />;
  const list = result.data.delegations;
  return (
    <Card size="small" title={`${t("delegations.list")} (${list.totalCount})`}>
      {list.totalCount === 0 ? (
        <EmptyState text={t("delegations.none", { year: props.year })} />
      ) : (
        <Table
          size="small"
          rowKey="id"
          scroll={{ x: true }}
          pagination={false}
          dataSource={list.edges.map((e) => e.node)}
          expandable={{
            expandIcon: ({ expanded, onExpand, record }) => (
              <Button size="small" type="link" aria-expanded={expanded} onClick={(e) => onExpand(record, e)}>
                {expanded ? t("delegations.hide") : t("delegations.open")}
              </Button>
            ),
            expandedRowRender: (d: Listed) => (
              <DelegationDetails
                id={d.id}
                keeper={mayKeep(
                  viewer,
                  d.chambers.map((c) => c.id),
                )}
                onChanged={props.onChanged}
              />
            ),
          }}
          columns={[
            { title: t("delegations.name"), dataIndex: "title" },
            {
              title: t("delegations.dates"),
              key: "dates",
              render: (_: unknown, d: Listed) => `${d.startsOn} – ${d.endsOn}`,
            },
            {
              title: t("delegations.chambers"),
              dataIndex: "chambers",
              render: (chambers: Listed["chambers"]) => chambers.map((c) => chamberName(c, language)).join("、"),
            },
            {
              title: t("common.status"),
              dataIndex: "status",
              render: (s: string) => <Tag color={STATUS_COLOURS[s]}>{t(`delegations.statuses.${s}`)}</Tag>,
            },
          ]}
        />
      )}
      {list.pageInfo.hasNextPage && (
        <Typography.Link onClick={() => setAfter(list.pageInfo.endCursor ?? null)}>{t("common.next")}</Typography.Link>
      )}
    </Card>
  );
}

function DelegationDetails(props: { id: string; keeper: boolean; onChanged(): void }) {
  const { t } = useTranslation();
  const { language } = useSession();
  const [result, refetch] = useQuery({ query: DelegationQuery, variables: { id: props.id } });
  if (result.error) return <ErrorState error={result.error} retry={() => refetch({ requestPolicy: "network-only" })} />;
  const d = result.data?.node;
  if (d?.__typename !== "Delegation") return <Loading />;
  const open = d.status === "PLANNED" || d.status === "CONFIRMED";
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Details delegation={d} language={language} />
      {props.keeper && open && (
        <Space wrap align="start" size="large">
          {d.status === "PLANNED" && (
            <MutationForm
              name={`confirm-${d.id}`}
              ns="delegations"
              action="confirm"
              mutation={ConfirmDelegationMutation}
              fields={[]}
              toInput={() => ({ delegationId: d.id })}
              onDone={props.onChanged}
            >
              <Typography.Paragraph type="secondary">{t("delegations.confirmHint")}</Typography.Paragraph>
            </MutationForm>
          )}
          {d.status === "CONFIRMED" && <CompleteForm delegation={d} onDone={props.onChanged} />}
          <MutationForm
            name={`cancel-${d.id}`}
            ns="delegations"
            action="cancel"
            mutation={CancelDelegationMutation}
            fields={["reason"]}
            toInput={(v: Record<string, unknown>) => ({ delegationId: d.id, reason: v.reason ?? "" })}
            onDone={props.onChanged}
          >
            <Item ns="delegations" name="reason" label="cancelReason" />
          </MutationForm>
        </Space>
      )}
      {props.keeper && open && (
        <Card size="small" title={t("delegations.edit")}>
          <DelegationForm key={JSON.stringify(d)} delegation={d} onDone={props.onChanged} />
        </Card>
      )}
    </Space>
  );
}

function Details({ delegation: d, language }: { delegation: Delegation; language: Language }) {
  const { t } = useTranslation();
  const line = (label: string, text: string) =>
    text ? (
      <Typography.Paragraph style={{ margin: 0 }}>
        <Typography.Text strong>{label}：</Typography.Text>
        {text}
      </Typography.Paragraph>
    ) : null;
  return (
    <div>
      {line(
        t("delegations.participants"),
        d.participants.map((p) => p.merchant?.name ?? t("common.hidden")).join("、"),
      )}
      {line(
        t("delegations.visits"),
        d.visits.map((v) => [v.visitedOn, v.place, v.company].filter(Boolean).join(" ")).join("；"),
      )}
      {line(t("delegations.cityContacts"), d.cityContacts.map((c) => c.displayName).join("、"))}
      {line(
        t("delegations.agreements"),
        d.agreements.map((a) => `${a.title} ${t("delegations.yi", { value: yi(a.pledged) })}`).join("；"),
      )}
      {line(t("delegations.notes"), d.notes ?? "")}
      {line(t("delegations.cancelReason"), d.cancelReason ?? "")}
      {line(t("delegations.chambers"), d.chambers.map((c) => chamberName(c, language)).join("、"))}
    </div>
  );
}

interface DetailsValues extends Record<string, unknown> {
  title?: string;
  startsOn?: string;
  endsOn?: string;
  chamberIds?: string[];
  participantMerchantIds?: string[];
  cityContactUserIds?: string[];
  visits?: { place?: string; company?: string; visitedOn?: string }[];
  notes?: string;
}

/** Plans a delegation, or (given one) replaces its details. */
function DelegationForm(props: { delegation?: Delegation; onDone(): void }) {
  const { t } = useTranslation();
  const viewer = useViewer();
  const { language } = useSession();
  const [chambers] = useQuery({ query: ChamberOptionsQuery, pause: !viewer.isCityStaff });
  const [contacts] = useQuery({ query: CityContactOptionsQuery, pause: !viewer.isCityStaff });
  const chamberOptions = viewer.isCityStaff
    ? (chambers.data?.chambers.edges ?? []).map(({ node }) => ({ value: node.id, label: chamberName(node, language) }))
    : secretaryChambers(viewer).map((c) => ({ value: c.id, label: chamberName(c, language) }));
  const contactOptions = new Map<string, string>();
  if (viewer.isCityStaff) contactOptions.set(viewer.user.id, viewer.user.displayName);
  for (const l of contacts.data?.leadingGooseCoverage.leaders ?? [])
    contactOptions.set(l.leader.userId, l.leader.displayName);
  for (const c of props.delegation?.cityContacts ?? []) contactOptions.set(c.userId, c.displayName);
  const d = props.delegation;
  const initialValues: DetailsValues = d
    ? {
        title: d.title,
        startsOn: d.startsOn,
        endsOn: d.endsOn,
        chamberIds: d.chambers.map((c) => c.id),
        participantMerchantIds: d.participants.flatMap((p) => (p.merchant ? [p.merchant.id] : [])),
        cityContactUserIds: d.cityContacts.map((c) => c.userId),
        visits: d.visits.map((v) => ({ place: v.place, company: v.company ?? "", visitedOn: v.visitedOn ?? "" })),
        notes: d.notes ?? "",
      }
    : { chamberIds: chamberOptions.length === 1 ? [chamberOptions[0]!.value] : [], visits: [] };
  const details = (v: DetailsValues) => ({
    title: v.title ?? "",
    startsOn: v.startsOn ?? "",
    endsOn: v.endsOn ?? "",
    chamberIds: v.chamberIds ?? [],
    participantMerchantIds: v.participantMerchantIds ?? [],
    cityContactUserIds: v.cityContactUserIds ?? [],
    visits: (v.visits ?? []).map((visit) => ({
      place: visit.place ?? "",
      company: visit.company || null,
      visitedOn: visit.visitedOn || null,
    })),
    notes: v.notes || null,
  });
  const participantLabel = t("delegations.participants");
  return (
    <MutationForm<DetailsValues, unknown>
      name={d ? `edit-${d.id}` : "plan-delegation"}
      ns="delegations"
      action={d ? "save" : "plan"}
      mutation={d ? UpdateDelegationMutation : CreateDelegationMutation}
      fields={DETAIL_FIELDS}
      initialValues={initialValues}
      style={{ maxWidth: 640 }}
      toInput={(v) => (d ? { delegationId: d.id, details: details(v) } : details(v))}
      onDone={props.onDone}
    >
      <Item ns="delegations" name="title" label="name" />
      <Space wrap>
        <Item ns="delegations" name="startsOn" label="startsOn" type="date" />
        <Item ns="delegations" name="endsOn" label="endsOn" type="date" />
      </Space>
      <Item ns="delegations" name="chamberIds" label="chambers" options={chamberOptions} multiple />
      <Form.Item label={participantLabel} name="participantMerchantIds">
        <MerchantSelect
          multiple
          aria-label={participantLabel}
          known={d?.participants.flatMap((p) => (p.merchant ? [p.merchant] : []))}
        />
      </Form.Item>
      {viewer.isCityStaff && (
        <Item
          ns="delegations"
          name="cityContactUserIds"
          label="cityContacts"
          options={[...contactOptions].map(([value, label]) => ({ value, label }))}
          multiple
        />
      )}
      <RowList
        name="visits"
        label={t("delegations.visits")}
        add={t("delegations.addVisit")}
        remove={t("delegations.removeVisit")}
        row={(field) => (
          <>
            <Form.Item name={[field.name, "place"]} noStyle>
              <Input placeholder={t("delegations.place")} aria-label={t("delegations.place")} />
            </Form.Item>
            <Form.Item name={[field.name, "company"]} noStyle>
              <Input placeholder={t("delegations.company")} aria-label={t("delegations.company")} />
            </Form.Item>
            <Form.Item name={[field.name, "visitedOn"]} noStyle>
              <Input type="date" aria-label={t("delegations.visitedOn")} />
            </Form.Item>
          </>
        )}
      />
      <Form.Item label={t("delegations.notes")} name="notes">
        <Input.TextArea rows={2} />
      </Form.Item>
    </MutationForm>
  );
}

interface CompleteValues extends Record<string, unknown> {
  on?: string;
  agreements?: { title?: string; pledged?: string; signedOn?: string }[];
  projects?: { projectId?: string; outcome?: "NEGOTIATING" | "SIGNED" }[];
}

/**
 * CONFIRMED → DONE with its results: framework agreements (and their pledged sums) and, for city staff (the
 * projects are the city's), the projects moved to NEGOTIATING or SIGNED on it — each a stage move credited to it.
 */
function CompleteForm(props: { delegation: Delegation; onDone(): void }) {
  const { t } = useTranslation();
  const viewer = useViewer();
  const [projects] = useQuery({ query: DelegationProjectOptionsQuery, pause: !viewer.isCityStaff });
  const projectOptions = (projects.data?.investmentProjects.edges ?? []).map(({ node }) => ({
    value: node.id,
    label: `${node.name}（${t(`returnInvestment.stages.${node.stage}`)}）`,
  }));
  const outcomes = (["NEGOTIATING", "SIGNED"] as const).map((o) => ({
    value: o,
    label: t(`returnInvestment.stages.${o}`),
  }));
  return (
    <MutationForm<CompleteValues, unknown>
      name={`complete-${props.delegation.id}`}
      ns="delegations"
      action="complete"
      mutation={CompleteDelegationMutation}
      fields={["on", "agreements", "projects"]}
      initialValues={{ on: props.delegation.endsOn, agreements: [], projects: [] }}
      style={{ minWidth: 240, maxWidth: 520 }}
      toInput={(v) => ({
        delegationId: props.delegation.id,
        on: v.on || null,
        agreements: (v.agreements ?? []).map((a) => ({
          title: a.title ?? "",
          pledged: (a.pledged ?? "").trim(),
          signedOn: a.signedOn || null,
        })),
        projects: (v.projects ?? [])
          .filter((p) => p.projectId)
          .map((p) => ({ projectId: p.projectId ?? "", outcome: p.outcome ?? "SIGNED" })),
      })}
      onDone={props.onDone}
    >
      <Item ns="delegations" name="on" label="doneOn" type="date" />
      {viewer.isCityStaff && (
        <RowList
          name="projects"
          label={t("delegations.projectResults")}
          add={t("delegations.addProject")}
          remove={t("delegations.removeProject")}
          blank={{ outcome: "SIGNED" }}
          row={(field) => (
            <>
              <Form.Item name={[field.name, "projectId"]} noStyle>
                <Select
                  showSearch
                  optionFilterProp="label"
                  style={{ minWidth: 220 }}
                  loading={projects.fetching}
                  options={projectOptions}
                  aria-label={t("delegations.project")}
                  placeholder={t("delegations.project")}
                />
              </Form.Item>
              <Form.Item name={[field.name, "outcome"]} noStyle>
                <Select style={{ minWidth: 100 }} options={outcomes} aria-label={t("delegations.outcome")} />
              </Form.Item>
            </>
          )}
        />
      )}
      <RowList
        name="agreements"
        label={t("delegations.agreements")}
        add={t("delegations.addAgreement")}
        remove={t("delegations.removeAgreement")}
        row={(field) => (
          <>
            <Form.Item name={[field.name, "title"]} noStyle>
              <Input placeholder={t("delegations.agreementTitle")} aria-label={t("delegations.agreementTitle")} />
            </Form.Item>
            <Form.Item name={[field.name, "pledged"]} noStyle>
              <Input inputMode="decimal" placeholder={t("delegations.pledged")} aria-label={t("delegations.pledged")} />
            </Form.Item>
            <Form.Item name={[field.name, "signedOn"]} noStyle>
              <Input type="date" aria-label={t("delegations.signedOn")} />
            </Form.Item>
          </>
        )}
      />
    </MutationForm>
  );
}

/** A form's rows (visits, agreements, projects): each row's inputs and its remove button, then an add button. */
function RowList(props: {
  name: string;
  label: string;
  add: string;
  remove: string;
  /** A new row's values. */
  blank?: Record<string, unknown>;
  row(field: FormListFieldData): ReactNode;
}) {
  return (
    <Form.List name={props.name}>
      {(fields, { add, remove }) => (
        <Form.Item label={props.label}>
          {fields.map((field) => (
            <Space key={field.key} wrap align="baseline">
              {props.row(field)}
              <Button size="small" onClick={() => remove(field.name)}>
                {props.remove}
              </Button>
            </Space>
          ))}
          <Button size="small" onClick={() => add(props.blank ?? {})}>
            {props.add}
          </Button>
        </Form.Item>
      )}
    </Form.List>
  );
}
