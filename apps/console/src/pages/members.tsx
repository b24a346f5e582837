// Secretaries (and federation staff): the chamber's members with filters, order and paging, applications to
// decide, dues to record, the import with its dry run (each bad cell by line and column), export and invites.

import { UploadOutlined } from "@ant-design/icons";
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Row,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
  Upload,
} from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useClient, useMutation, useQuery } from "urql";
import type { ResultOf } from "../graphql";
import { ActionProgress } from "../lib/action-progress";
import { Pager, usePaging, useResetOnChange } from "../lib/paging";
import { chamberName, todayIso } from "../lib/reference";
import { navigate } from "../lib/router";
import { secretaryChambers, useSession, useViewer } from "../lib/session";
import { EmptyState, ErrorState, Loading, NotFound } from "../lib/states";
import { fetchWithProgress } from "../lib/transfer-progress";
import { showUserErrors } from "../lib/user-errors";
import {
  AddNoteMutation,
  ChamberOptionsQuery,
  DecideMembershipMutation,
  ExportMembersQuery,
  ImportMembersMutation,
  InviteUserMutation,
  MembershipQuery,
  MembersQuery,
  RecordDuesMutation,
} from "../operations";
import { FeeSchedulePanel } from "./fee-schedule";
import { MembershipChanges } from "./membership-changes";

const PAGE = 20;
const LEVELS = [
  "PRESIDENT",
  "EXECUTIVE_VICE_PRESIDENT",
  "VICE_PRESIDENT",
  "STANDING_DIRECTOR",
  "DIRECTOR",
  "MEMBER",
] as const;
const STATUSES = ["APPLIED", "ACTIVE", "LAPSED", "SUSPENDED", "LEFT", "REJECTED"] as const;
const METHODS = ["BANK_TRANSFER", "WECHAT_PAY", "ALIPAY", "CASH", "CHEQUE", "OTHER"] as const;
type Level = (typeof LEVELS)[number];
type Status = (typeof STATUSES)[number];
type MemberRow = Extract<
  ResultOf<typeof MembersQuery>["node"],
  { __typename: "Chamber" }
>["members"]["edges"][number]["node"];

const statusColor: Record<Status, string> = {
  APPLIED: "blue",
  ACTIVE: "green",
  LAPSED: "orange",
  SUSPENDED: "red",
  LEFT: "default",
  REJECTED: "default",
};

function useChamberChoice() {
  const viewer = useViewer();
  const own = secretaryChambers(viewer);
  const [all, refetchAll] = useQuery({ query: ChamberOptionsQuery, pause: !viewer.isFederationStaff });
  const options = viewer.isFederationStaff ? (all.data?.chambers.edges.map((edge) => edge.node) ?? []) : own;
  const [chamberId, setChamberId] = useState<string | undefined>(own[0]?.id);
  useEffect(() => {
    if (!chamberId && options[0]) setChamberId(options[0].id);
  }, [chamberId, options]);
  const retry = () => refetchAll({ requestPolicy: "network-only" });
  return { chamberId, setChamberId, options, error: all.error, retry };
}

export function MembersPage() {
  const { t } = useTranslation();
  const { language } = useSession();
  const { chamberId, setChamberId, options, error, retry } = useChamberChoice();
  return (
    <Space direction="vertical" style={{ width: "100%" }} size="middle">
      <Space wrap style={{ justifyContent: "space-between", width: "100%" }}>
        <Typography.Title level={2} style={{ margin: 0 }}>
          {t("members.title")}
        </Typography.Title>
        <Select
          style={{ minWidth: 240 }}
          aria-label={t("members.chamber")}
          value={chamberId}
          onChange={setChamberId}
          showSearch
          optionFilterProp="label"
          options={options.map((chamber) => ({ value: chamber.id, label: chamberName(chamber, language) }))}
        />
      </Space>
      {chamberId ? (
        <Tabs
          destroyInactiveTabPane
          items={[
            { key: "table", label: t("members.table"), children: <MemberTable chamberId={chamberId} /> },
            {
              key: "applications",
              label: t("members.applications"),
              children: <MemberTable chamberId={chamberId} applications />,
            },
            { key: "import", label: t("members.import"), children: <ImportPanel chamberId={chamberId} /> },
            { key: "export", label: t("members.export"), children: <ExportPanel chamberId={chamberId} /> },
            { key: "invite", label: t("members.invite"), children: <InvitePanel chamberId={chamberId} /> },
            { key: "fees", label: t("fees.title"), children: <FeeSchedulePanel chamberId={chamberId} /> },
          ]}
        />
      ) : error ? (
        <ErrorState error={error} retry={retry} />
      ) : (
        <Loading />
      )}
    </Space>
  );
}

function MemberTable(props: { chamberId: string; applications?: boolean }) {
  const { t } = useTranslation();
  const [text, setText] = useState("");
  const [levels, setLevels] = useState<Level[]>([]);
  const [status, setStatus] = useState<Status[]>(props.applications ? ["APPLIED"] : []);
  const [order, setOrder] = useState<"NAME" | "EXPIRES_ON" | "JOINED_ON">("NAME");
  const [dues, setDues] = useState<string | null>(null);
  const paging = usePaging(PAGE);
  const { reset } = paging;
  useResetOnChange(reset, [text, levels, status, order, props.chamberId]);
  const [result, refetch] = useQuery({
    query: MembersQuery,
    variables: {
      chamberId: props.chamberId,
      filter: { query: text || null, levels: levels.length ? levels : null, status: status.length ? status : null },
      orderBy: { field: order },
      ...paging.variables,
    },
  });
  const chamber = result.data?.node;
  const members = chamber?.__typename === "Chamber" ? chamber.members : undefined;
  const reload = () => refetch({ requestPolicy: "network-only" });
  return (
    <Card size="small">
      <Row gutter={[8, 8]} style={{ marginBottom: 8 }}>
        <Col xs={24} md={8}>
          <Input
            type="search"
            role="searchbox"
            aria-label={t("common.search")}
            placeholder={t("common.search")}
            allowClear
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </Col>
        <Col xs={12} md={6}>
          <Select
            mode="multiple"
            allowClear
            style={{ width: "100%" }}
            aria-label={t("common.level")}
            placeholder={t("common.level")}
            value={levels}
            onChange={setLevels}
            options={LEVELS.map((value) => ({ value, label: t(`members.levels.${value}`) }))}
          />
        </Col>
        {!props.applications && (
          <Col xs={12} md={6}>
            <Select
              mode="multiple"
              allowClear
              style={{ width: "100%" }}
              aria-label={t("common.status")}
              placeholder={t("common.status")}
              value={status}
              onChange={setStatus}
              options={STATUSES.map((value) => ({ value, label: t(`members.statuses.${value}`) }))}
            />
          </Col>
        )}
        <Col xs={12} md={4}>
          <Select
            style={{ width: "100%" }}
            aria-label={t("common.filter")}
            value={order}
            onChange={setOrder}
            options={[
              { value: "NAME", label: t("common.name") },
              { value: "JOINED_ON", label: t("members.joinedOn") },
              { value: "EXPIRES_ON", label: t("members.expiresOn") },
            ]}
          />
        </Col>
      </Row>
      {result.error ? (
        <ErrorState error={result.error} retry={reload} />
      ) : (
        <>
          <Table<MemberRow>
            size="small"
            rowKey="id"
            loading={!members || result.fetching}
            locale={{
              emptyText: (
                <EmptyState text={props.applications ? t("members.noApplications") : t("members.noMembers")} />
              ),
            }}
            dataSource={members?.edges.map((edge) => edge.node) ?? []}
            pagination={false}
            scroll={{ x: 760 }}
            columns={[
              {
                title: t("common.name"),
                key: "name",
                render: (_, row) => (
                  <a
                    href={`/memberships/${encodeURIComponent(row.id)}`}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate(`/memberships/${encodeURIComponent(row.id)}`);
                    }}
                  >
                    {row.merchant.name}
                  </a>
                ),
              },
              { title: t("common.level"), key: "level", render: (_, row) => t(`members.levels.${row.level}`) },
              {
                title: t("common.status"),
                key: "status",
                render: (_, row) => <Tag color={statusColor[row.status]}>{t(`members.statuses.${row.status}`)}</Tag>,
              },
              { title: t("members.joinedOn"), dataIndex: "joinedOn" },
              { title: t("members.expiresOn"), dataIndex: "expiresOn" },
              {
                title: t("members.dues"),
                key: "dues",
                render: (_, row) =>
                  row.duesStatus &&
                  (row.duesStatus.yearsOverdue > 0 ? (
                    <Tag color="orange">
                      {t("members.owed", {
                        amount: row.duesStatus.amountOwed ?? "?",
                        years: row.duesStatus.yearsOverdue,
                      })}
                    </Tag>
                  ) : (
                    <Tag color="green">{t("members.paidUp")}</Tag>
                  )),
              },
              {
                title: t("common.actions"),
                key: "actions",
                render: (_, row) =>
                  row.status === "APPLIED" ? (
                    <Decide membershipId={row.id} onDone={reload} />
                  ) : (
                    <Button size="small" onClick={() => setDues(row.id)}>
                      {t("members.recordDues")}
                    </Button>
                  ),
              },
            ]}
          />
          <Pager
            paging={paging}
            pageInfo={members?.pageInfo}
            totalCount={members?.totalCount}
            label={t("members.table")}
          />
        </>
      )}
      {dues && (
        <DuesModal
          membershipId={dues}
          onClose={(done) => {
            setDues(null);
            if (done) reload();
          }}
        />
      )}
    </Card>
  );
}

function Decide(props: { membershipId: string; onDone(): void }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const [state, decide] = useMutation(DecideMembershipMutation);
  const run = async (approve: boolean, reason?: string) => {
    const result = await decide({ input: { membershipId: props.membershipId, approve, reason: reason ?? null } });
    const error = result.error?.message ?? result.data?.decideMembership.userErrors[0]?.message;
    if (error) void message.error(error);
    else {
      void message.success(approve ? t("members.approved") : t("members.rejected"));
      props.onDone();
    }
  };
  return (
    <Space>
      <Button size="small" type="primary" loading={state.fetching} onClick={() => void run(true)}>
        {t("members.approve")}
      </Button>
      <Button
        size="small"
        danger
        onClick={() => {
          let reason = "";
          modal.confirm({
            title: t("members.reject"),
            content: (
              <Input
                aria-label={t("common.reason")}
                placeholder={t("common.reason")}
                onChange={(e) => (reason = e.target.value)}
              />
            ),
            onOk: () => run(false, reason),
          });
        }}
      >
        {t("members.reject")}
      </Button>
    </Space>
  );
}

interface DuesValues {
  amount: number;
  receiptNo: string;
  periodStart: string;
  periodEnd?: string;
  paidOn?: string;
  method?: (typeof METHODS)[number];
}

function DuesModal(props: { membershipId: string; onClose(done: boolean): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<DuesValues>();
  const [state, record] = useMutation(RecordDuesMutation);
  const [formError, setFormError] = useState<string | null>(null);
  return (
    <Modal
      open
      title={t("members.recordDues")}
      onCancel={() => props.onClose(false)}
      onOk={() => form.submit()}
      confirmLoading={state.fetching}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ periodStart: todayIso(), paidOn: todayIso() }}
        onFinish={async (values) => {
          setFormError(null);
          const result = await record({
            input: {
              membershipId: props.membershipId,
              amount: String(values.amount),
              receiptNo: values.receiptNo,
              periodStart: values.periodStart,
              periodEnd: values.periodEnd || null,
              paidOn: values.paidOn || null,
              method: values.method ?? null,
            },
          });
          const payload = result.data?.recordDuesPayment;
          if (result.error) setFormError(result.error.message);
          else if (payload?.membership) {
            void message.success(t("members.duesRecorded"));
            props.onClose(true);
          } else if (payload) {
            setFormError(
              showUserErrors(form, payload.userErrors, [
                "amount",
                "receiptNo",
                "periodStart",
                "periodEnd",
                "paidOn",
                "method",
              ])[0] ?? null,
            );
          }
        }}
      >
        <Form.Item label={t("common.amount")} name="amount" rules={[{ required: true }]}>
          <InputNumber min={0} style={{ width: "100%" }} />
        </Form.Item>
        <Form.Item label={t("members.receiptNo")} name="receiptNo" rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item label={t("members.periodStart")} name="periodStart" rules={[{ required: true }]}>
          <Input type="date" />
        </Form.Item>
        <Form.Item label={t("members.periodEnd")} name="periodEnd">
          <Input type="date" />
        </Form.Item>
        <Form.Item label={t("members.paidOn")} name="paidOn">
          <Input type="date" />
        </Form.Item>
        <Form.Item label={t("members.method")} name="method">
          <Select allowClear options={METHODS.map((value) => ({ value, label: t(`members.methods.${value}`) }))} />
        </Form.Item>
        {formError && <Alert type="error" role="alert" showIcon message={formError} />}
      </Form>
    </Modal>
  );
}

type ImportResult = ResultOf<typeof ImportMembersMutation>["importMembers"];

function ImportPanel(props: { chamberId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [, run] = useMutation(ImportMembersMutation);
  // uploading (with its bytes) → checking (a dry run) or importing → done
  const [progress, setProgress] = useState<{ dryRun: boolean; step: 0 | 1; percent?: number } | null>(null);
  const go = async (dryRun: boolean) => {
    if (!file) return;
    setError(null);
    setProgress({ dryRun, step: 0, percent: 0 });
    // The file goes as it is, in a GraphQL multipart request (urql's fetch exchange sends one for a File
    // variable): the server reads its encoding and format from the content.
    const response = await run(
      { input: { chamberId: props.chamberId, dryRun, file } },
      {
        fetch: fetchWithProgress({
          uploading: (sent, total) =>
            setProgress({ dryRun, step: 0, percent: total ? Math.floor((sent / total) * 100) : undefined }),
          sent: () => setProgress({ dryRun, step: 1 }),
        }),
      },
    );
    setProgress(null);
    if (response.error) return setError(response.error.message);
    const payload = response.data?.importMembers ?? null;
    setResult(payload);
    if (payload) void message.success(dryRun ? t("members.dryRunDone") : t("members.imported"));
  };
  const errors = (result?.userErrors ?? []).map((e, i) => ({
    key: i,
    line: e.field?.[1] ?? "",
    column: e.field?.[2] ?? "",
    message: e.message,
  }));
  return (
    <Card size="small">
      <Space direction="vertical" style={{ width: "100%" }}>
        <Upload
          // .xls and .et are taken so that the server can say how to save them as .xlsx
          accept=".csv,.txt,.xlsx,.xls,.et,text/csv"
          maxCount={1}
          beforeUpload={(f) => {
            setFile(f);
            setResult(null);
            return false;
          }}
          onRemove={() => {
            setFile(null);
            setResult(null);
          }}
        >
          <Button icon={<UploadOutlined />}>{t("members.importFile")}</Button>
        </Upload>
        <Space>
          <Button disabled={!file || progress !== null} onClick={() => void go(true)}>
            {t("members.dryRun")}
          </Button>
          <Button
            type="primary"
            disabled={!file || !result?.dryRun || progress !== null}
            onClick={() => void go(false)}
          >
            {t("members.runImport")}
          </Button>
        </Space>
        {progress && (
          <ActionProgress
            label={t("members.importing")}
            steps={[
              t("progress.uploading"),
              progress.dryRun ? t("progress.checking") : t("progress.importing"),
              t("progress.done"),
            ]}
            current={progress.step}
            percent={progress.percent}
          />
        )}
        {error && <Alert type="error" role="alert" showIcon message={error} />}
        {result && (
          <>
            <Alert
              type={result.failed ? "warning" : "success"}
              showIcon
              role="status"
              message={(result.dryRun ? `${t("members.dryRun")}: ` : "") + t("members.importResult", result)}
            />
            {warningKeys(result.warnings).map(({ key, warning }) => (
              <Alert key={key} type="info" message={warning.message} />
            ))}
            {result.columns.length > 0 && (
              <Table
                size="small"
                pagination={false}
                rowKey="position"
                dataSource={result.columns}
                title={() =>
                  [
                    t("members.columnMapping"),
                    result.headerLine ? t("members.headerRow", { line: result.headerLine }) : null,
                    result.sheet ? t("members.sheet", { sheet: result.sheet }) : null,
                    result.encoding ? t("members.encoding", { encoding: result.encoding }) : null,
                  ]
                    .filter(Boolean)
                    .join(" · ")
                }
                columns={[
                  { title: t("members.column"), dataIndex: "header" },
                  {
                    title: t("members.columnField"),
                    dataIndex: "field",
                    render: (field: ImportResult["columns"][number]["field"]) =>
                      field ? t(`members.fields.${field}`) : t("members.columnIgnored"),
                  },
                ]}
              />
            )}
            {errors.length > 0 && (
              <Table
                size="small"
                pagination={{ pageSize: 20 }}
                dataSource={errors}
                title={() => t("members.importErrors")}
                columns={[
                  { title: t("members.line"), dataIndex: "line" },
                  { title: t("members.column"), dataIndex: "column" },
                  { title: t("members.message"), dataIndex: "message" },
                ]}
              />
            )}
          </>
        )}
      </Space>
    </Card>
  );
}

function ExportPanel(props: { chamberId: string }) {
  const { t } = useTranslation();
  const client = useClient();
  const { message } = App.useApp();
  // preparing (the server writes the file) → downloading (its bytes) → saved
  const [busy, setBusy] = useState<{ step: 0 | 1; percent?: number } | null>(null);
  const download = async (format: "CSV" | "XLSX") => {
    setBusy({ step: 0 });
    const result = await client
      .query(
        ExportMembersQuery,
        { input: { chamberId: props.chamberId, format } },
        {
          requestPolicy: "network-only",
          fetch: fetchWithProgress({
            downloading: (received, total) =>
              setBusy({ step: 1, percent: total ? Math.floor((received / total) * 100) : undefined }),
          }),
        },
      )
      .toPromise();
    setBusy(null);
    const file = result.data?.exportMembers;
    if (!file) return void message.error(result.error?.message ?? t("common.notFound"));
    const bytes =
      format === "XLSX"
        ? Uint8Array.from(atob(file.content), (c) => c.charCodeAt(0))
        : new TextEncoder().encode(file.content);
    const url = URL.createObjectURL(new Blob([bytes], { type: file.contentType }));
    const a = document.createElement("a");
    a.href = url;
    a.download = file.filename;
    a.click();
    URL.revokeObjectURL(url);
    void message.success(t("members.exported", { count: file.rowCount }));
  };
  return (
    <Card size="small">
      <Space direction="vertical" style={{ width: "100%" }}>
        <Space wrap>
          <Button disabled={busy !== null} onClick={() => void download("CSV")}>
            {t("members.exportCsv")}
          </Button>
          <Button disabled={busy !== null} onClick={() => void download("XLSX")}>
            {t("members.exportXlsx")}
          </Button>
        </Space>
        {busy && (
          <ActionProgress
            label={t("members.exporting")}
            steps={[t("progress.preparing"), t("progress.downloading"), t("progress.saved")]}
            current={busy.step}
            percent={busy.percent}
          />
        )}
      </Space>
    </Card>
  );
}

function InvitePanel(props: { chamberId: string }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ email: string; displayName: string; role: "MEMBER" | "SECRETARY" }>();
  const [state, invite] = useMutation(InviteUserMutation);
  const [token, setToken] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  return (
    <Card size="small">
      <Form
        form={form}
        layout="vertical"
        style={{ maxWidth: 420 }}
        initialValues={{ role: "MEMBER" }}
        onFinish={async (values) => {
          setFormError(null);
          setToken(null);
          const result = await invite({ input: { ...values, chamberId: props.chamberId } });
          const payload = result.data?.inviteUser;
          if (result.error) setFormError(result.error.message);
          else if (payload?.inviteToken) {
            setToken(payload.inviteToken);
            form.resetFields();
          } else if (payload)
            setFormError(showUserErrors(form, payload.userErrors, ["email", "displayName", "role"])[0] ?? null);
        }}
      >
        <Form.Item label={t("auth.email")} name="email" rules={[{ required: true }]}>
          <Input type="email" />
        </Form.Item>
        <Form.Item label={t("members.displayName")} name="displayName" rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item label={t("members.role")} name="role">
          <Select
            options={(["MEMBER", "SECRETARY"] as const).map((value) => ({ value, label: t(`members.roles.${value}`) }))}
          />
        </Form.Item>
        {formError && <Alert type="error" role="alert" showIcon message={formError} style={{ marginBottom: 8 }} />}
        <Button type="primary" htmlType="submit" loading={state.fetching}>
          {t("members.invite")}
        </Button>
      </Form>
      {token && (
        <Alert
          style={{ marginTop: 12 }}
          type="success"
          showIcon
          message={t("members.inviteSent")}
          description={
            <Typography.Text copyable code>{`${location.origin}/accept-invite?token=${token}`}</Typography.Text>
          }
        />
      )}
    </Card>
  );
}

export function MembershipPage({ id }: { id: string }) {
  const { t } = useTranslation();
  const { language } = useSession();
  const [result, refetch] = useQuery({ query: MembershipQuery, variables: { id }, requestPolicy: "network-only" });
  const [, addNote] = useMutation(AddNoteMutation);
  const [note, setNote] = useState("");
  if (result.error) return <ErrorState error={result.error} retry={() => refetch()} />;
  if (!result.data) return <Loading />;
  const membership = result.data.node;
  if (membership?.__typename !== "Membership") return <NotFound />;
  return (
    <Space direction="vertical" style={{ width: "100%" }} size="middle">
      <Button onClick={() => history.back()}>{t("common.back")}</Button>
      <Card title={<h1 style={{ margin: 0, fontSize: 22 }}>{membership.merchant.name}</h1>}>
        <Descriptions column={{ xs: 1, sm: 2 }} bordered size="small">
          <Descriptions.Item label={t("members.chamber")}>
            {chamberName(membership.chamber, language)}
          </Descriptions.Item>
          <Descriptions.Item label={t("common.level")}>{t(`members.levels.${membership.level}`)}</Descriptions.Item>
          <Descriptions.Item label={t("common.status")}>{t(`members.statuses.${membership.status}`)}</Descriptions.Item>
          <Descriptions.Item label={t("members.joinedOn")}>{membership.joinedOn ?? ""}</Descriptions.Item>
          <Descriptions.Item label={t("members.expiresOn")}>{membership.expiresOn ?? ""}</Descriptions.Item>
          {membership.statusReason && (
            <Descriptions.Item label={t("members.statusReason")}>{membership.statusReason}</Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      {membership.notes && (
        // notes are for the chamber's secretaries, who alone change a membership
        <MembershipChanges membership={membership} onChanged={() => refetch({ requestPolicy: "network-only" })} />
      )}
      {membership.duesPayments && (
        <Card size="small" title={t("members.duesPayments")}>
          <Table
            size="small"
            rowKey={(p) => `${p.periodStart}-${p.receiptNo ?? ""}`}
            pagination={false}
            dataSource={[...membership.duesPayments]}
            columns={[
              { title: t("members.paidOn"), dataIndex: "paidOn" },
              { title: t("common.amount"), dataIndex: "amount" },
              { title: t("members.periodStart"), dataIndex: "periodStart" },
              { title: t("members.periodEnd"), dataIndex: "periodEnd" },
              { title: t("members.receiptNo"), dataIndex: "receiptNo" },
            ]}
          />
        </Card>
      )}
      {membership.notes && (
        <Card size="small" title={t("members.notes")}>
          <List
            size="small"
            dataSource={[...membership.notes]}
            // antd's faint empty text is below the contrast a reader needs (axe): the page's own text colour
            locale={{ emptyText: <Typography.Text type="secondary">{t("members.noNotes")}</Typography.Text> }}
            renderItem={(n) => (
              <List.Item>
                {n.body} <Typography.Text type="secondary">— {n.authorName}</Typography.Text>
              </List.Item>
            )}
          />
          <Space.Compact style={{ width: "100%", marginTop: 8 }}>
            <Input aria-label={t("members.addNote")} value={note} onChange={(e) => setNote(e.target.value)} />
            <Button
              disabled={!note.trim()}
              onClick={async () => {
                await addNote({ input: { membershipId: membership.id, body: note } });
                setNote("");
                refetch({ requestPolicy: "network-only" });
              }}
            >
              {t("members.addNote")}
            </Button>
          </Space.Compact>
        </Card>
      )}
    </Space>
  );
}

/** Keys for import warnings from their content (field, code, message); repeats of the same warning are numbered. */
function warningKeys<W extends { field?: readonly string[] | null; code?: string | null; message: string }>(
  warnings: readonly W[],
) {
  const seen = new Map<string, number>();
  return warnings.map((warning) => {
    const base = `${warning.field?.join("/") ?? ""}|${warning.code ?? ""}|${warning.message}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return { key: n ? `${base}#${n}` : base, warning };
  });
}
