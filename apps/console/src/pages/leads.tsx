// Leads: the live feed (leadPosted over graphql-ws, resuming from the last eventCursor), filters and paging,
// posting a lead, answering one, and moving one's own lead along its statuses.

import { formatDocument, stringifyDocument } from "@urql/core";
import {
  Alert,
  App,
  Badge,
  Button,
  Card,
  Col,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Radio,
  Row,
  Select,
  Space,
  Tag,
  Typography,
} from "antd";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "urql";
import type { ResultOf } from "../graphql";
import { Pager, usePaging, useResetOnChange } from "../lib/paging";
import { chamberName, industry, province, todayIso } from "../lib/reference";
import { memberChambers, useSession, useViewer } from "../lib/session";
import { EmptyState, ErrorState, Loading, NotFound } from "../lib/states";
import { showUserErrors } from "../lib/user-errors";
import {
  ChamberOptionsQuery,
  DirectoryQuery,
  LeadPostedSubscription,
  LeadQuery,
  LeadsQuery,
  PostLeadMutation,
  RespondToLeadMutation,
  UpdateLeadStatusMutation,
} from "../operations";

const PAGE = 15;
const KINDS = ["INVESTMENT_PROJECT", "BUSINESS_OPPORTUNITY", "SUPPLY", "DEMAND", "PARTNERSHIP"] as const;
const STATUSES = ["OPEN", "IN_PROGRESS", "CLOSED_WON", "CLOSED_LOST", "WITHDRAWN", "EXPIRED"] as const;
const VISIBILITIES = ["CHAMBER", "SELECTED_CHAMBERS", "FEDERATION"] as const;
type Kind = (typeof KINDS)[number];
type Status = (typeof STATUSES)[number];
type LeadSummary = ResultOf<typeof LeadsQuery>["leads"]["edges"][number]["node"];

interface Filter {
  kinds?: Kind[];
  status?: Status[];
  chamberId?: string;
}

const statusColor: Record<Status, string> = {
  OPEN: "green",
  IN_PROGRESS: "blue",
  CLOSED_WON: "gold",
  CLOSED_LOST: "default",
  WITHDRAWN: "default",
  EXPIRED: "default",
};

/** leadPosted over the session's socket; after a dropped connection graphql-ws resubscribes with the same
 * payload object, whose `after` we keep at the last event's cursor, so the server replays what was missed. */
function useLiveLeads(filter: Filter) {
  const { ws } = useSession();
  const [live, setLive] = useState<LeadSummary[]>([]);
  const [connected, setConnected] = useState(false);
  const filterKey = JSON.stringify(filter);
  useEffect(() => {
    if (!ws) return;
    setLive([]);
    const payload = {
      query: stringifyDocument(formatDocument(LeadPostedSubscription)),
      variables: { after: null as string | null, filter: JSON.parse(filterKey) as Filter },
    };
    const offConnected = ws.on("connected", () => setConnected(true));
    const offClosed = ws.on("closed", () => setConnected(false));
    const dispose = ws.subscribe<ResultOf<typeof LeadPostedSubscription>>(payload, {
      next: (result) => {
        const lead = result.data?.leadPosted;
        if (!lead) return;
        if (lead.eventCursor) payload.variables.after = lead.eventCursor;
        setLive((old) => (old.some((item) => item.id === lead.id) ? old : [lead, ...old]));
      },
      error: () => setConnected(false),
      complete: () => {},
    });
    return () => {
      dispose();
      offConnected();
      offClosed();
    };
  }, [ws, filterKey]);
  return { live, connected };
}

export function LeadsPage() {
  const { t } = useTranslation();
  const { language } = useSession();
  const viewer = useViewer();
  const [filter, setFilter] = useState<Filter>({});
  const paging = usePaging(PAGE);
  const { reset } = paging;
  useResetOnChange(reset, [filter]);
  const [result, refetch] = useQuery({ query: LeadsQuery, variables: { filter, ...paging.variables } });
  const [chambers] = useQuery({ query: ChamberOptionsQuery });
  const { live, connected } = useLiveLeads(filter);
  const [posting, setPosting] = useState(false);
  const [openId, setOpenId] = useState<string | null>(() => new URLSearchParams(location.search).get("lead"));
  const canPost = memberChambers(viewer).length > 0;
  const connection = result.data?.leads;
  const rows = useMemo(() => {
    const listed = connection?.edges.map((edge) => edge.node) ?? [];
    if (!paging.isFirstPage) return listed;
    const ids = new Set(listed.map((lead) => lead.id));
    return [...live.filter((lead) => !ids.has(lead.id)), ...listed];
  }, [connection, live, paging.isFirstPage]);
  const liveIds = new Set(live.map((lead) => lead.id));

  return (
    <Space direction="vertical" style={{ width: "100%" }} size="middle">
      <Space wrap style={{ justifyContent: "space-between", width: "100%" }}>
        <Typography.Title level={2} style={{ margin: 0 }}>
          {t("leads.title")}
        </Typography.Title>
        <Space>
          <Badge
            status={connected ? "success" : "processing"}
            text={connected ? t("leads.live") : t("leads.connecting")}
          />
          {canPost && (
            <Button type="primary" onClick={() => setPosting(true)}>
              {t("leads.post")}
            </Button>
          )}
        </Space>
      </Space>
      <Card size="small">
        <Row gutter={[8, 8]}>
          <Col xs={24} md={8}>
            <Select
              mode="multiple"
              allowClear
              style={{ width: "100%" }}
              aria-label={t("leads.kind")}
              placeholder={t("leads.kind")}
              options={KINDS.map((kind) => ({ value: kind, label: t(`leads.kinds.${kind}`) }))}
              onChange={(kinds: Kind[]) => setFilter((old) => ({ ...old, kinds: kinds.length ? kinds : undefined }))}
            />
          </Col>
          <Col xs={24} md={8}>
            <Select
              mode="multiple"
              allowClear
              style={{ width: "100%" }}
              aria-label={t("common.status")}
              placeholder={t("common.status")}
              options={STATUSES.map((status) => ({ value: status, label: t(`leads.statuses.${status}`) }))}
              onChange={(status: Status[]) =>
                setFilter((old) => ({ ...old, status: status.length ? status : undefined }))
              }
            />
          </Col>
          <Col xs={24} md={8}>
            <Select
              allowClear
              style={{ width: "100%" }}
              aria-label={t("leads.postedIn")}
              placeholder={t("leads.postedIn")}
              optionFilterProp="label"
              options={chambers.data?.chambers.edges.map(({ node }) => ({
                value: node.id,
                label: chamberName(node, language),
              }))}
              onChange={(chamberId?: string) => setFilter((old) => ({ ...old, chamberId }))}
            />
          </Col>
        </Row>
      </Card>
      {result.error ? (
        <ErrorState error={result.error} retry={() => refetch({ requestPolicy: "network-only" })} />
      ) : !connection ? (
        <Loading />
      ) : (
        <Card size="small">
          <List
            aria-live="polite"
            dataSource={rows}
            locale={{ emptyText: <EmptyState /> }}
            renderItem={(lead) => (
              <List.Item
                key={lead.id}
                actions={[
                  <Button key="open" type="link" onClick={() => setOpenId(lead.id)}>
                    {t("common.details")}
                  </Button>,
                ]}
              >
                <List.Item.Meta
                  title={
                    <Space wrap>
                      {liveIds.has(lead.id) && <Tag color="magenta">NEW</Tag>}
                      <a
                        href={`/leads?lead=${encodeURIComponent(lead.id)}`}
                        onClick={(e) => {
                          e.preventDefault();
                          setOpenId(lead.id);
                        }}
                      >
                        {lead.title}
                      </a>
                    </Space>
                  }
                  description={
                    <Space wrap size={[4, 4]}>
                      <Tag>{t(`leads.kinds.${lead.kind}`)}</Tag>
                      <Tag color={statusColor[lead.status]}>{t(`leads.statuses.${lead.status}`)}</Tag>
                      <span>{chamberName(lead.chamber, language)}</span>
                      <span>· {lead.postedBy?.name ?? t("leads.unlistedMember")}</span>
                      {lead.amount && <span>· ¥{Number(lead.amount).toLocaleString()}</span>}
                      {lead.viewerCanManage && <Tag color="purple">{t("leads.mine")}</Tag>}
                    </Space>
                  }
                />
              </List.Item>
            )}
          />
          <Pager
            paging={paging}
            pageInfo={connection.pageInfo}
            totalCount={connection.totalCount}
            label={t("leads.title")}
          />
        </Card>
      )}
      {posting && (
        <PostLeadModal
          onClose={(posted) => {
            setPosting(false);
            if (posted) refetch({ requestPolicy: "network-only" });
          }}
        />
      )}
      <Drawer
        open={openId !== null}
        onClose={() => setOpenId(null)}
        width={Math.min(560, window.innerWidth)}
        title={t("common.details")}
        destroyOnClose
      >
        {openId && <LeadDetail id={openId} onChanged={() => refetch({ requestPolicy: "network-only" })} />}
      </Drawer>
    </Space>
  );
}

interface PostValues {
  chamberId: string;
  kind: Kind;
  visibility: (typeof VISIBILITIES)[number];
  selectedChamberIds?: string[];
  title: string;
  description: string;
  industry?: string;
  provinceCode?: string;
  amount?: number;
  expiresOn?: string;
}

const POST_FIELDS = [
  "chamberId",
  "kind",
  "visibility",
  "selectedChamberIds",
  "title",
  "description",
  "industry",
  "provinceCode",
  "amount",
  "expiresOn",
];

function PostLeadModal(props: { onClose(posted: boolean): void }) {
  const { t } = useTranslation();
  const { language } = useSession();
  const viewer = useViewer();
  const { message } = App.useApp();
  const [form] = Form.useForm<PostValues>();
  const [state, post] = useMutation(PostLeadMutation);
  const [chambers] = useQuery({ query: ChamberOptionsQuery });
  const [formError, setFormError] = useState<string | null>(null);
  const visibility = Form.useWatch("visibility", form);
  const mine = memberChambers(viewer);
  const submit = async (values: PostValues) => {
    setFormError(null);
    const { amount, ...rest } = values;
    const result = await post({
      input: {
        ...rest,
        amount: amount === undefined || amount === null ? null : String(amount),
        expiresOn: values.expiresOn || null,
        selectedChamberIds: values.visibility === "SELECTED_CHAMBERS" ? (values.selectedChamberIds ?? []) : null,
      },
    });
    if (result.error) return setFormError(result.error.message);
    const payload = result.data?.postLead;
    if (payload?.lead) {
      void message.success(t("leads.posted"));
      props.onClose(true);
    } else if (payload) {
      setFormError(showUserErrors(form, payload.userErrors, POST_FIELDS)[0] ?? null);
    }
  };
  return (
    <Modal
      open
      title={t("leads.post")}
      onCancel={() => props.onClose(false)}
      okText={t("common.submit")}
      cancelText={t("common.cancel")}
      confirmLoading={state.fetching}
      onOk={() => form.submit()}
      destroyOnClose
    >
      {/* Chamber, kind and visibility always have a value; marking them required would put aria-required on
          antd's Select and Radio.Group wrappers, where it is not allowed. */}
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ chamberId: mine[0]?.id, kind: "BUSINESS_OPPORTUNITY", visibility: "CHAMBER" }}
      >
        <Form.Item label={t("leads.postChamber")} name="chamberId">
          <Select options={mine.map((chamber) => ({ value: chamber.id, label: chamberName(chamber, language) }))} />
        </Form.Item>
        <Form.Item label={t("leads.kind")} name="kind">
          <Select options={KINDS.map((kind) => ({ value: kind, label: t(`leads.kinds.${kind}`) }))} />
        </Form.Item>
        <Form.Item label={t("leads.visibility")} name="visibility">
          <Radio.Group
            optionType="button"
            options={VISIBILITIES.map((value) => ({ value, label: t(`leads.visibilities.${value}`) }))}
          />
        </Form.Item>
        {visibility === "SELECTED_CHAMBERS" && (
          <Form.Item label={t("leads.selectedChambers")} name="selectedChamberIds" rules={[{ required: true }]}>
            <Select
              mode="multiple"
              optionFilterProp="label"
              options={chambers.data?.chambers.edges.map(({ node }) => ({
                value: node.id,
                label: chamberName(node, language),
              }))}
            />
          </Form.Item>
        )}
        <Form.Item label={t("leads.titleField")} name="title" rules={[{ required: true }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item label={t("leads.description")} name="description" rules={[{ required: true }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
        <Row gutter={8}>
          <Col xs={24} sm={12}>
            <Form.Item label={t("common.industry")} name="industry">
              <Select allowClear showSearch optionFilterProp="label" options={industry.options(language)} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item label={t("common.province")} name="provinceCode">
              <Select allowClear showSearch optionFilterProp="label" options={province.options(language)} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item label={t("common.amount")} name="amount">
              <InputNumber min={0} style={{ width: "100%" }} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item label={t("leads.expiresOn")} name="expiresOn">
              <Input type="date" min={todayIso()} />
            </Form.Item>
          </Col>
        </Row>
        {formError && <Alert type="error" role="alert" showIcon message={formError} />}
      </Form>
    </Modal>
  );
}

const NEXT_STATUSES: Record<Status, Status[]> = {
  OPEN: ["IN_PROGRESS", "CLOSED_WON", "CLOSED_LOST", "WITHDRAWN"],
  IN_PROGRESS: ["CLOSED_WON", "CLOSED_LOST", "WITHDRAWN"],
  CLOSED_WON: [],
  CLOSED_LOST: [],
  WITHDRAWN: [],
  EXPIRED: [],
};

function LeadDetail(props: { id: string; onChanged(): void }) {
  const { t } = useTranslation();
  const responderName = (merchant: { name: string } | null) => merchant?.name ?? t("leads.unlistedMember");
  const { language } = useSession();
  const [result, refetch] = useQuery({ query: LeadQuery, variables: { id: props.id }, requestPolicy: "network-only" });
  if (result.error) return <ErrorState error={result.error} retry={() => refetch()} />;
  if (!result.data) return <Loading />;
  const lead = result.data.node;
  if (lead?.__typename !== "Lead") return <NotFound />;
  const changed = () => {
    refetch({ requestPolicy: "network-only" });
    props.onChanged();
  };
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Typography.Title level={3}>{lead.title}</Typography.Title>
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t("leads.kind")}>{t(`leads.kinds.${lead.kind}`)}</Descriptions.Item>
        <Descriptions.Item label={t("common.status")}>
          <Tag color={statusColor[lead.status]}>{t(`leads.statuses.${lead.status}`)}</Tag>
          {lead.closedValue && `¥${Number(lead.closedValue).toLocaleString()}`}
        </Descriptions.Item>
        <Descriptions.Item label={t("leads.visibility")}>
          {t(`leads.visibilities.${lead.visibility}`)}
          {lead.selectedChambers.length > 0 &&
            `: ${lead.selectedChambers.map((c) => chamberName(c, language)).join("、")}`}
        </Descriptions.Item>
        <Descriptions.Item label={t("leads.postedIn")}>{chamberName(lead.chamber, language)}</Descriptions.Item>
        <Descriptions.Item label={t("leads.postedBy")}>
          {lead.postedBy?.name ?? t("leads.unlistedMember")}
        </Descriptions.Item>
        {lead.amount && (
          <Descriptions.Item label={t("common.amount")}>¥{Number(lead.amount).toLocaleString()}</Descriptions.Item>
        )}
        {lead.industry && (
          <Descriptions.Item label={t("common.industry")}>{industry.label(lead.industry, language)}</Descriptions.Item>
        )}
        {lead.provinceCode && (
          <Descriptions.Item label={t("common.province")}>
            {province.label(lead.provinceCode, language)}
          </Descriptions.Item>
        )}
        {lead.expiresOn && <Descriptions.Item label={t("leads.expiresOn")}>{lead.expiresOn}</Descriptions.Item>}
      </Descriptions>
      <Typography.Paragraph style={{ whiteSpace: "pre-wrap" }}>{lead.description}</Typography.Paragraph>
      <Card size="small" title={t("leads.responses")}>
        <List
          size="small"
          dataSource={lead.responses}
          locale={{ emptyText: t("leads.noResponses") }}
          renderItem={(response) => (
            <List.Item key={response.id}>
              <List.Item.Meta
                title={`${responderName(response.responder)} · ${t(`leads.responseKinds.${response.kind}`)}${
                  response.referredMerchant ? ` → ${response.referredMerchant.name}` : ""
                }`}
                description={response.message}
              />
            </List.Item>
          )}
        />
      </Card>
      {lead.viewerCanManage && NEXT_STATUSES[lead.status].length > 0 && (
        <StatusForm leadId={lead.id} options={NEXT_STATUSES[lead.status]} onDone={changed} />
      )}
      {!lead.viewerCanManage && (lead.status === "OPEN" || lead.status === "IN_PROGRESS") && (
        <RespondForm leadId={lead.id} onDone={changed} />
      )}
    </Space>
  );
}

function StatusForm(props: { leadId: string; options: Status[]; onDone(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ status: Status; closedValue?: number }>();
  const [state, update] = useMutation(UpdateLeadStatusMutation);
  const [formError, setFormError] = useState<string | null>(null);
  const status = Form.useWatch("status", form);
  return (
    <Card size="small" title={t("leads.changeStatus")}>
      <Form
        form={form}
        layout="vertical"
        onFinish={async (values) => {
          setFormError(null);
          const result = await update({
            input: {
              leadId: props.leadId,
              status: values.status,
              closedValue: values.closedValue === undefined ? null : String(values.closedValue),
            },
          });
          const payload = result.data?.updateLeadStatus;
          if (result.error) setFormError(result.error.message);
          else if (payload?.lead) {
            void message.success(t("leads.statusChanged"));
            props.onDone();
          } else if (payload)
            setFormError(showUserErrors(form, payload.userErrors, ["status", "closedValue"])[0] ?? null);
        }}
      >
        <Form.Item label={t("leads.newStatus")} name="status" rules={[{ required: true }]}>
          <Select options={props.options.map((value) => ({ value, label: t(`leads.statuses.${value}`) }))} />
        </Form.Item>
        {status === "CLOSED_WON" && (
          <Form.Item label={t("leads.closedValue")} name="closedValue" rules={[{ required: true }]}>
            <InputNumber min={0} style={{ width: "100%" }} />
          </Form.Item>
        )}
        {formError && <Alert type="error" role="alert" showIcon message={formError} style={{ marginBottom: 8 }} />}
        <Button htmlType="submit" type="primary" loading={state.fetching}>
          {t("common.save")}
        </Button>
      </Form>
    </Card>
  );
}

function RespondForm(props: { leadId: string; onDone(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ kind: "INTEREST" | "REFERRAL"; message: string; referredMerchantId?: string }>();
  const [state, respond] = useMutation(RespondToLeadMutation);
  const [formError, setFormError] = useState<string | null>(null);
  const [search, setSearch] = useState("");
  const kind = Form.useWatch("kind", form);
  const [merchants] = useQuery({
    query: DirectoryQuery,
    variables: { query: search, first: 10 },
    pause: search.length < 1,
  });
  return (
    <Card size="small" title={t("leads.respond")}>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ kind: "INTEREST" }}
        onFinish={async (values) => {
          setFormError(null);
          const result = await respond({
            input: {
              leadId: props.leadId,
              kind: values.kind,
              message: values.message,
              referredMerchantId: values.kind === "REFERRAL" ? (values.referredMerchantId ?? null) : null,
            },
          });
          const payload = result.data?.respondToLead;
          if (result.error) setFormError(result.error.message);
          else if (payload?.response) {
            void message.success(t("leads.responded"));
            form.resetFields();
            props.onDone();
          } else if (payload) {
            setFormError(
              showUserErrors(form, payload.userErrors, ["kind", "message", "referredMerchantId"])[0] ?? null,
            );
          }
        }}
      >
        <Form.Item label={t("leads.responseKind")} name="kind">
          <Radio.Group
            optionType="button"
            options={(["INTEREST", "REFERRAL"] as const).map((value) => ({
              value,
              label: t(`leads.responseKinds.${value}`),
            }))}
          />
        </Form.Item>
        {kind === "REFERRAL" && (
          <Form.Item label={t("leads.referredMerchant")} name="referredMerchantId" rules={[{ required: true }]}>
            <Select
              showSearch
              filterOption={false}
              onSearch={setSearch}
              loading={merchants.fetching}
              options={merchants.data?.merchants.edges.map(({ node }) => ({
                value: node.id,
                label: `${node.name}${node.companies[0] ? ` · ${node.companies[0].name}` : ""}`,
              }))}
            />
          </Form.Item>
        )}
        <Form.Item label={t("leads.message")} name="message" rules={[{ required: true }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
        {formError && <Alert type="error" role="alert" showIcon message={formError} style={{ marginBottom: 8 }} />}
        <Button htmlType="submit" type="primary" loading={state.fetching}>
          {t("common.submit")}
        </Button>
      </Form>
    </Card>
  );
}
