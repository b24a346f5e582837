// Federation staff: the three-level chamber tree with roll-up figures, and the audit log.
import { Card, Table, Tag, Tree, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { useQuery } from "urql";
import { Pager, usePaging } from "../lib/paging";
import { chamberName } from "../lib/reference";
import { useSession } from "../lib/session";
import { ErrorState, Loading } from "../lib/states";
import { AuditLogQuery, ChamberTreeQuery } from "../operations";

interface Figures {
  activeMembers: number;
  leadsPostedThisYear: number;
  closedValueThisYear: string;
}

export function ChambersPage() {
  const { t } = useTranslation();
  const { language } = useSession();
  const [result, refetch] = useQuery({ query: ChamberTreeQuery });
  if (result.error) return <ErrorState error={result.error} retry={() => refetch({ requestPolicy: "network-only" })} />;
  if (!result.data) return <Loading />;
  const root = result.data.federation;
  const figures = (f: Figures | undefined) =>
    f
      ? ` — ${t("chambers.activeMembers")} ${f.activeMembers} · ${t("chambers.leadsPosted")} ${f.leadsPostedThisYear}` +
        ` · ¥${Number(f.closedValueThisYear).toLocaleString()}`
      : "";
  type Node = {
    id: string;
    name: string;
    nameEn: string | null;
    kind: string;
    rollup: { total: Figures } | null;
    children?: readonly Node[];
  };
  type TreeNode = { key: string; title: string; children?: TreeNode[] };
  const toTree = (node: Node): TreeNode => ({
    key: node.id,
    title: `${chamberName(node, language)} [${t(`chambers.kinds.${node.kind}`)}]${figures(node.rollup?.total)}`,
    ...(node.children?.length ? { children: node.children.map(toTree) } : {}),
  });
  return (
    <Card title={<h2 style={{ margin: 0 }}>{t("chambers.tree")}</h2>}>
      <Typography.Paragraph>
        {t("chambers.rollup")} ({root.rollup?.year}): <Tag>{t("chambers.total")}</Tag>
        {figures(root.rollup?.total)}
      </Typography.Paragraph>
      <Tree defaultExpandAll treeData={[toTree(root as Node)]} selectable={false} />
    </Card>
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
