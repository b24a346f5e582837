// Federation staff: the three-level chamber tree with roll-up figures, creating and editing chambers, and the
// audit log.
import { App, Button, Card, Form, Input, Modal, Select, Space, Table, Tag, Tree, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "urql";
import { Pager, usePaging } from "../lib/paging";
import { chamberName, province } from "../lib/reference";
import { useSession } from "../lib/session";
import { EmptyState, ErrorState, Loading } from "../lib/states";
import { showUserErrors } from "../lib/user-errors";
import { AuditLogQuery, ChamberTreeQuery, CreateChamberMutation, UpdateChamberMutation } from "../operations";

/** What the chamber form edits; `id` is set when editing an existing chamber. */
interface ChamberFields {
  id?: string;
  name: string;
  nameEn: string | null;
  kind: string;
  slug?: string;
  provinceCode: string | null;
  city: string | null;
  countryCode: string | null;
}
const FORM_FIELDS = ["kind", "name", "nameEn", "slug", "provinceCode", "city", "countryCode", "parentId"];
const KINDS = ["PROVINCIAL", "MUNICIPAL", "OVERSEAS"] as const;

interface Figures {
  activeMembers: number;
  leadsPostedThisYear: number;
  closedValueThisYear: string;
}

export function ChambersPage() {
  const { t } = useTranslation();
  const { language } = useSession();
  const [result, refetch] = useQuery({ query: ChamberTreeQuery });
  const [editing, setEditing] = useState<ChamberFields | null>(null);
  if (result.error) return <ErrorState error={result.error} retry={() => refetch({ requestPolicy: "network-only" })} />;
  if (!result.data) return <Loading />;
  const root = result.data.federation;
  const figures = (f: Figures | undefined) =>
    f
      ? ` — ${t("chambers.activeMembers")} ${f.activeMembers} · ${t("chambers.leadsPosted")} ${f.leadsPostedThisYear}` +
        ` · ¥${Number(f.closedValueThisYear).toLocaleString()}`
      : "";
  type Node = ChamberFields & {
    id: string;
    rollup: { total: Figures } | null;
    children?: readonly Node[];
  };
  type TreeNode = { key: string; title: React.ReactNode; children?: TreeNode[] };
  const toTree = (node: Node): TreeNode => ({
    key: node.id,
    title: (
      <Space size="small" wrap>
        <span>
          {chamberName(node, language)} [{t(`chambers.kinds.${node.kind}`)}]{figures(node.rollup?.total)}
        </span>
        <Button
          size="small"
          type="link"
          aria-label={t("chambers.editNamed", { name: chamberName(node, language) })}
          onClick={() => setEditing(node)}
        >
          {t("chambers.edit")}
        </Button>
      </Space>
    ),
    ...(node.children?.length ? { children: node.children.map(toTree) } : {}),
  });
  const blank: ChamberFields = {
    name: "",
    nameEn: null,
    kind: "MUNICIPAL",
    provinceCode: null,
    city: null,
    countryCode: null,
  };
  return (
    <Card
      title={<h2 style={{ margin: 0 }}>{t("chambers.tree")}</h2>}
      extra={
        <Button type="primary" onClick={() => setEditing(blank)}>
          {t("chambers.create")}
        </Button>
      }
    >
      {editing && (
        <ChamberForm
          chamber={editing}
          onClose={(saved) => {
            setEditing(null);
            if (saved) refetch({ requestPolicy: "network-only" });
          }}
        />
      )}
      <Typography.Paragraph>
        {t("chambers.rollup")} ({root.rollup?.year}): <Tag>{t("chambers.total")}</Tag>
        {figures(root.rollup?.total)}
      </Typography.Paragraph>
      <Tree defaultExpandAll treeData={[toTree(root as Node)]} selectable={false} />
    </Card>
  );
}

/** Creates a chamber (blank fields) or edits one; every userError shows at its field. */
function ChamberForm(props: { chamber: ChamberFields; onClose(saved: boolean): void }) {
  const { t } = useTranslation();
  const { language } = useSession();
  const { message } = App.useApp();
  const [form] = Form.useForm<ChamberFields>();
  const [creating, create] = useMutation(CreateChamberMutation);
  const [updating, update] = useMutation(UpdateChamberMutation);
  const [formError, setFormError] = useState<string | null>(null);
  const kind = Form.useWatch("kind", form) ?? props.chamber.kind;
  const editing = props.chamber.id !== undefined;
  // the federation is the root and a provincial chamber comes from its province's formation: their kind is fixed
  const kindLocked = editing && (props.chamber.kind === "FEDERATION" || props.chamber.kind === "PROVINCIAL");
  const submit = async (values: ChamberFields) => {
    setFormError(null);
    const text = (v: string | null | undefined) => (v?.trim() ? v.trim() : null);
    const fields = {
      name: values.name,
      nameEn: text(values.nameEn),
      provinceCode: kind === "OVERSEAS" ? null : text(values.provinceCode),
      city: text(values.city),
      countryCode: kind === "OVERSEAS" ? (text(values.countryCode)?.toUpperCase() ?? null) : null,
    };
    const result = editing
      ? await update({
          input: {
            chamberId: props.chamber.id!,
            ...fields,
            ...(kindLocked ? {} : { kind: values.kind as never }),
            ...(text(values.slug) ? { slug: text(values.slug) } : {}),
          },
        })
      : await create({ input: { kind: values.kind as never, ...fields, slug: text(values.slug) } });
    if (result.error) return setFormError(result.error.message);
    const payload =
      result.data && ("createChamber" in result.data ? result.data.createChamber : result.data.updateChamber);
    if (payload?.chamber) {
      void message.success(t("chambers.saved"));
      props.onClose(true);
    } else if (payload) setFormError(showUserErrors(form, payload.userErrors, FORM_FIELDS)[0] ?? null);
  };
  return (
    <Modal
      open
      title={editing ? t("chambers.editNamed", { name: chamberName(props.chamber, language) }) : t("chambers.create")}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      confirmLoading={creating.fetching || updating.fetching}
      onOk={() => form.submit()}
      onCancel={() => props.onClose(false)}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{
          ...props.chamber,
          nameEn: props.chamber.nameEn ?? "",
          slug: props.chamber.slug ?? "",
          city: props.chamber.city ?? "",
          countryCode: props.chamber.countryCode ?? "",
        }}
      >
        <Form.Item label={t("chambers.kind")} name="kind">
          <Select
            disabled={kindLocked}
            options={(kindLocked ? [props.chamber.kind] : KINDS).map((k) => ({
              value: k,
              label: t(`chambers.kinds.${k}`),
            }))}
          />
        </Form.Item>
        <Form.Item label={t("chambers.name")} name="name">
          <Input />
        </Form.Item>
        <Form.Item label={t("chambers.nameEn")} name="nameEn">
          <Input />
        </Form.Item>
        <Form.Item label={t("chambers.slug")} name="slug" extra={t("chambers.slugHint")}>
          <Input />
        </Form.Item>
        {kind !== "OVERSEAS" && kind !== "FEDERATION" && (
          <Form.Item label={t("chambers.province")} name="provinceCode">
            <Select
              allowClear
              showSearch
              optionFilterProp="label"
              disabled={editing && props.chamber.kind === "PROVINCIAL"}
              options={province.options(language)}
            />
          </Form.Item>
        )}
        {kind !== "PROVINCIAL" && kind !== "FEDERATION" && (
          <Form.Item label={t("chambers.city")} name="city">
            <Input />
          </Form.Item>
        )}
        {kind === "OVERSEAS" && (
          <Form.Item label={t("chambers.country")} name="countryCode" extra={t("chambers.countryHint")}>
            <Input maxLength={2} />
          </Form.Item>
        )}
        {formError && <Typography.Paragraph type="danger">{formError}</Typography.Paragraph>}
      </Form>
    </Modal>
  );
}

export function AuditPage() {
  const { t } = useTranslation();
  const paging = usePaging(25);
  const [result, refetch] = useQuery({ query: AuditLogQuery, variables: paging.variables });
  if (result.error) return <ErrorState error={result.error} retry={() => refetch({ requestPolicy: "network-only" })} />;
  const log = result.data?.auditLog;
  return (
    <Card title={<h2 style={{ margin: 0 }}>{t("audit.title")}</h2>}>
      {!log ? (
        <Loading />
      ) : (
        <>
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            scroll={{ x: 640 }}
            locale={{ emptyText: <EmptyState text={t("audit.empty")} /> }}
            dataSource={log.edges.map((e) => e.node)}
            columns={[
              { title: t("audit.at"), dataIndex: "at", render: (at: string) => new Date(at).toLocaleString() },
              { title: t("audit.actor"), key: "actor", render: (_, e) => e.actor?.displayName ?? "" },
              { title: t("audit.action"), dataIndex: "action" },
              {
                title: t("audit.entity"),
                key: "entity",
                render: (_, e) => (
                  <>
                    {e.entityType} {e.chamber?.name ?? ""} {e.withheld && <Tag>{t("audit.withheld")}</Tag>}
                  </>
                ),
              },
            ]}
          />
          <Pager paging={paging} pageInfo={log.pageInfo} totalCount={log.totalCount} label={t("audit.title")} />
        </>
      )}
    </Card>
  );
}
