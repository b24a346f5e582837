// Federation staff: pairs of profiles that look like one person, with why, and merging one into the other
// (every membership, lead and response follows the survivor; the API says which memberships were folded).
import { Alert, App, Button, Card, Col, Descriptions, Popconfirm, Row, Space, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "urql";
import type { ResultOf } from "../graphql";
import { district } from "../lib/reference";
import { navigate } from "../lib/router";
import { useSession } from "../lib/session";
import { EmptyState, ErrorState, Loading } from "../lib/states";
import { MergeMerchantsMutation, PossibleDuplicatesQuery } from "../operations";

const PAGE = 10;
type Pair = ResultOf<typeof PossibleDuplicatesQuery>["possibleDuplicates"]["edges"][number]["node"];
type Merchant = Pair["merchants"][number];

export function DuplicatesPage() {
  const { t } = useTranslation();
  // The API pages forward only: keep the cursors passed, to go back.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors.at(-1) ?? null;
  const [result, refetch] = useQuery({
    query: PossibleDuplicatesQuery,
    variables: { first: PAGE, after },
    requestPolicy: "cache-and-network",
  });
  const [merged, setMerged] = useState<ResultOf<typeof MergeMerchantsMutation>["mergeMerchants"] | null>(null);
  const connection = result.data?.possibleDuplicates;
  return (
    <Space direction="vertical" style={{ width: "100%" }} size="middle">
      <Typography.Title level={2} style={{ margin: 0 }}>
        {t("duplicates.title")}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t("duplicates.hint")}
      </Typography.Paragraph>
      {merged?.merchant && (
        <Alert
          type="success"
          showIcon
          role="status"
          closable
          onClose={() => setMerged(null)}
          message={t("duplicates.merged", { name: merged.merchant.name })}
          description={merged.membershipConflicts
            .map((c) =>
              t("duplicates.conflict", {
                chamber: c.chamber.name,
                level: t(`members.levels.${c.removedLevel}`, { defaultValue: c.removedLevel }),
                status: t(`members.statuses.${c.removedStatus}`, { defaultValue: c.removedStatus }),
              }),
            )
            .join(" ")}
        />
      )}
      {result.error ? (
        <ErrorState error={result.error} retry={() => refetch({ requestPolicy: "network-only" })} />
      ) : !connection ? (
        <Loading />
      ) : connection.edges.length === 0 ? (
        <Card>
          <EmptyState text={t("duplicates.none")} />
        </Card>
      ) : (
        <>
          {connection.edges.map((edge) => (
            <PairCard
              key={edge.node.merchants.map((m) => m.id).join()}
              pair={edge.node}
              onMerged={(payload) => {
                setMerged(payload);
                refetch({ requestPolicy: "network-only" });
              }}
            />
          ))}
          <nav aria-label={t("duplicates.title")} style={{ display: "flex", justifyContent: "space-between" }}>
            <Typography.Text type="secondary">{t("common.total", { count: connection.totalCount })}</Typography.Text>
            <Space>
              <Button disabled={cursors.length < 2} onClick={() => setCursors((c) => c.slice(0, -1))}>
                {t("common.prev")}
              </Button>
              <Button
                disabled={!connection.pageInfo.hasNextPage}
                onClick={() => setCursors((c) => [...c, connection.pageInfo.endCursor])}
              >
                {t("common.next")}
              </Button>
            </Space>
          </nav>
        </>
      )}
    </Space>
  );
}

function PairCard(props: {
  pair: Pair;
  onMerged(payload: ResultOf<typeof MergeMerchantsMutation>["mergeMerchants"]): void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [state, merge] = useMutation(MergeMerchantsMutation);
  const [a, b] = props.pair.merchants as [Merchant, Merchant];
  const keep = async (survivor: Merchant, folded: Merchant) => {
    const result = await merge({ input: { survivorId: survivor.id, mergedId: folded.id } });
    const payload = result.data?.mergeMerchants;
    const error = result.error?.message ?? payload?.userErrors[0]?.message;
    if (error) return void message.error(error);
    if (payload) props.onMerged(payload);
  };
  return (
    <Card
      size="small"
      title={
        <Space wrap>
          {props.pair.reasons.map((reason) => (
            <Tag color="orange" key={reason}>
              {t(`duplicates.reasons.${reason}`)}
            </Tag>
          ))}
        </Space>
      }
    >
      <Row gutter={[12, 12]}>
        {[
          [a, b],
          [b, a],
        ].map(([survivor, folded]) => (
          <Col xs={24} md={12} key={survivor!.id}>
            <MerchantFacts merchant={survivor!} />
            <Popconfirm
              title={t("duplicates.confirm", { keep: survivor!.name, fold: folded!.name })}
              okText={t("duplicates.merge")}
              cancelText={t("common.cancel")}
              onConfirm={() => keep(survivor!, folded!)}
            >
              <Button style={{ marginTop: 8 }} loading={state.fetching}>
                {t("duplicates.keepThis")}
              </Button>
            </Popconfirm>
          </Col>
        ))}
      </Row>
    </Card>
  );
}

function MerchantFacts({ merchant }: { merchant: Merchant }) {
  const { t } = useTranslation();
  const { language } = useSession();
  const hidden = <Typography.Text type="secondary">{t("common.hidden")}</Typography.Text>;
  return (
    <Descriptions
      bordered
      size="small"
      column={1}
      title={
        <Typography.Link
          href={`/merchants/${encodeURIComponent(merchant.id)}`}
          onClick={(e) => {
            e.preventDefault();
            navigate(`/merchants/${encodeURIComponent(merchant.id)}`);
          }}
        >
          {merchant.name}
        </Typography.Link>
      }
    >
      {/* contact fields read as the API shows them to this viewer: hidden ones say so */}
      <Descriptions.Item label={t("directory.mobile")}>{merchant.mobile ?? hidden}</Descriptions.Item>
      <Descriptions.Item label={t("directory.email")}>{merchant.email ?? hidden}</Descriptions.Item>
      <Descriptions.Item label={t("common.hometown")}>
        {district.label(merchant.hometownDistrict, language)}
      </Descriptions.Item>
      <Descriptions.Item label={t("duplicates.companies")}>
        {merchant.companies.map((c) => c.name).join("、")}
      </Descriptions.Item>
    </Descriptions>
  );
}
