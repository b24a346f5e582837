// Gatherings (年会, 联谊会, 恳谈会, 茶话会): a member sees the ones they are invited to and answers; a chamber's
// secretaries (and federation staff, the federation's) plan one, invite by level, tag or chosen people, follow the
// answers, record who attended or cancel it.
import { App, Button, Card, Form, Input, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "urql";
import type { ResultOf } from "../graphql";
import { MerchantSelect } from "../lib/merchant-select";
import { Item, MutationForm } from "../lib/mutation-form";
import { chamberName, todayIso } from "../lib/reference";
import { secretaryChambers, useSession, useViewer, type Viewer } from "../lib/session";
import { EmptyState, ErrorState, Loading } from "../lib/states";
import {
  AnswerGatheringInvitationMutation,
  CancelGatheringMutation,
  ChamberOptionsQuery,
  CreateGatheringMutation,
  GatheringsQuery,
  InviteToGatheringMutation,
  RecordGatheringAttendanceMutation,
} from "../operations";

type Gathering = ResultOf<typeof GatheringsQuery>["gatherings"]["edges"][number]["node"];
const KINDS = ["ANNUAL_MEETING", "FELLOWSHIP", "SYMPOSIUM", "TEA_PARTY", "JOINT_MEETING"];
const LEVELS = ["PRESIDENT", "EXECUTIVE_VICE_PRESIDENT", "VICE_PRESIDENT", "STANDING_DIRECTOR", "DIRECTOR", "MEMBER"];
const TAGS = ["NEW_GENERATION", "LEADING_GOOSE"];
const RSVP_COLOURS: Record<string, string> = { ATTENDING: "green", DECLINED: "red", PENDING: "" };

/** A chamber's secretaries keep its gatherings; federation staff the federation's. */
function mayKeep(viewer: Viewer, chamber: { id: string; kind: string }): boolean {
  if (viewer.isFederationStaff && chamber.kind === "FEDERATION") return true;
  return secretaryChambers(viewer).some((c) => c.id === chamber.id);
}

export function GatheringsPage() {
  const { t } = useTranslation();
  const viewer = useViewer();
  const [after, setAfter] = useState<string | null>(null);
  const [result, refetch] = useQuery({
    query: GatheringsQuery,
    variables: { first: 20, after },
    requestPolicy: "cache-and-network",
  });
  const reload = () => refetch({ requestPolicy: "network-only" });
  const mayPlan = viewer.isFederationStaff || secretaryChambers(viewer).length > 0;
  const list = result.data?.gatherings;
  const gatherings = list?.edges.map((e) => e.node) ?? [];
  const mine = gatherings.filter((g) => !mayKeep(viewer, g.chamber) && g.invitations.length > 0);
  return (
    <Space direction="vertical" style={{ width: "100%" }} size="middle">
      <Typography.Title level={2} style={{ margin: 0 }}>
        {t("gatherings.title")}
      </Typography.Title>
      {mayPlan && <CreateGatheringForm onDone={reload} />}
      {result.error ? (
        <ErrorState error={result.error} retry={reload} />
      ) : !list ? (
        <Loading />
      ) : (
        <>
          {mine.length > 0 && (
            <Card size="small" title={t("gatherings.myInvitations")}>
              <Space direction="vertical" style={{ width: "100%" }}>
                {mine.map((g) => (
                  <MyInvitation key={g.id} gathering={g} />
                ))}
              </Space>
            </Card>
          )}
          <Card size="small" title={`${t("gatherings.list")} (${list.totalCount})`}>
            {list.totalCount === 0 ? (
              <EmptyState text={t("gatherings.none")} />
            ) : (
              <GatheringTable gatherings={gatherings} onChanged={reload} />
            )}
            {list.pageInfo.hasNextPage && (
              <Typography.Link onClick={() => setAfter(list.pageInfo.endCursor ?? null)}>
                {t("common.next")}
              </Typography.Link>
            )}
          </Card>
        </>
      )}
    </Space>
  );
}

function GatheringTable(props: { gatherings: Gathering[]; onChanged(): void }) {
  const { t } = useTranslation();
  const viewer = useViewer();
  const { language } = useSession();
  return (
    <Table
      size="small"
      rowKey="id"
      scroll={{ x: true }}
      pagination={false}
      dataSource={props.gatherings}
      expandable={{
        rowExpandable: (g) => mayKeep(viewer, g.chamber),
        expandIcon: ({ expanded, onExpand, record }) =>
          mayKeep(viewer, record.chamber) ? (
            <Button size="small" type="link" aria-expanded={expanded} onClick={(e) => onExpand(record, e)}>
              {expanded ? t("gatherings.hide") : t("gatherings.open")}
            </Button>
          ) : null,
        expandedRowRender: (g: Gathering) => <GatheringActions gathering={g} onChanged={props.onChanged} />,
      }}
      columns={[
        { title: t("gatherings.name"), dataIndex: "title" },
        { title: t("gatherings.kind"), dataIndex: "kind", render: (k: string) => t(`gatherings.kinds.${k}`) },
        {
          title: t("common.chamber"),
          dataIndex: "chamber",
          render: (c: Gathering["chamber"]) => chamberName(c, language),
        },
        { title: t("gatherings.heldOn"), dataIndex: "heldOn" },
        {
          title: t("common.status"),
          dataIndex: "status",
          render: (s: string) => <Tag>{t(`gatherings.statuses.${s}`)}</Tag>,
        },
        {
          title: t("gatherings.answers"),
          key: "answers",
          render: (_: unknown, g: Gathering) =>
            mayKeep(viewer, g.chamber) || viewer.isFederationStaff
              ? t("gatherings.answerCounts", {
                  invited: g.invitations.length,
                  attending: g.invitations.filter((i) => i.rsvp === "ATTENDING").length,
                  declined: g.invitations.filter((i) => i.rsvp === "DECLINED").length,
                })
              : g.invitations[0]
                ? t(`gatherings.rsvps.${g.invitations[0].rsvp}`)
                : "—",
        },
      ]}
    />
  );
}

/** The viewer's own invitation: their answer, which they may change while the gathering is planned. */
function MyInvitation({ gathering: g }: { gathering: Gathering }) {
  const { t } = useTranslation();
  const { language } = useSession();
  const { message } = App.useApp();
  const [state, answer] = useMutation(AnswerGatheringInvitationMutation);
  const mine = g.invitations[0]!;
  const send = async (attending: boolean) => {
    const result = await answer({ input: { gatheringId: g.id, attending } });
    const errors = result.data?.answerGatheringInvitation.userErrors ?? [];
    if (result.error || errors.length)
      void message.error(result.error?.message ?? errors.map((e) => e.message).join(" "));
    else void message.success(t("gatherings.answered"));
  };
  return (
    <Card size="small" type="inner" title={g.title} aria-label={g.title}>
      <Typography.Paragraph style={{ margin: 0 }}>
        {`${t(`gatherings.kinds.${g.kind}`)} · ${chamberName(g.chamber, language)} · ${g.heldOn}${
          g.place ? ` · ${g.place}` : ""
        }`}
      </Typography.Paragraph>
      <Space wrap>
        <span>
          {t("gatherings.yourAnswer")}：
          <Tag color={RSVP_COLOURS[mine.rsvp]} data-testid="my-rsvp">
            {t(`gatherings.rsvps.${mine.rsvp}`)}
          </Tag>
        </span>
        {mine.attended !== null && <Tag>{mine.attended ? t("gatherings.attended") : t("gatherings.absent")}</Tag>}
        {g.status === "PLANNED" && (
          <>
            <Button type="primary" size="small" loading={state.fetching} onClick={() => send(true)}>
              {t("gatherings.attend")}
            </Button>
            <Button size="small" loading={state.fetching} onClick={() => send(false)}>
              {t("gatherings.decline")}
            </Button>
          </>
        )}
      </Space>
    </Card>
  );
}

function CreateGatheringForm(props: { onDone(): void }) {
  const viewer = useViewer();
  const { t } = useTranslation();
  const { language } = useSession();
  const [federation] = useQuery({ query: ChamberOptionsQuery, pause: !viewer.isFederationStaff });
  const chambers = [
    ...(federation.data?.chambers.edges ?? []).map((e) => e.node).filter((c) => c.kind === "FEDERATION"),
    ...secretaryChambers(viewer),
  ].map((c) => ({ value: c.id, label: chamberName(c, language) }));
  return (
    <Card size="small">
      <MutationForm
        name="create-gathering"
        ns="gatherings"
        action="create"
        mutation={CreateGatheringMutation}
        fields={["chamberId", "title", "kind", "heldOn", "place"]}
        initialValues={{
          kind: "FELLOWSHIP",
          heldOn: todayIso(),
          chamberId: chambers.length === 1 ? chambers[0]!.value : undefined,
        }}
        style={{ maxWidth: 480 }}
        toInput={(v: Record<string, unknown>) => ({
          chamberId: v.chamberId ?? "",
          title: v.title ?? "",
          kind: v.kind,
          heldOn: v.heldOn ?? "",
          place: v.place || null,
        })}
        onDone={props.onDone}
      >
        <Item ns="gatherings" name="chamberId" label="chamber" options={chambers} />
        <Item ns="gatherings" name="title" label="name" />
        <Item
          ns="gatherings"
          name="kind"
          label="kind"
          options={KINDS.map((k) => ({ value: k, label: t(`gatherings.kinds.${k}`) }))}
        />
        <Item ns="gatherings" name="heldOn" label="heldOn" type="date" />
        <Item ns="gatherings" name="place" label="place" />
      </MutationForm>
    </Card>
  );
}

/** What those who keep a gathering do with it: invite, follow the answers, record attendance, cancel. */
function GatheringActions(props: { gathering: Gathering; onChanged(): void }) {
  const { t } = useTranslation();
  const g = props.gathering;
  const invited = g.invitations.flatMap((i) => (i.merchant ? [{ value: i.merchant.id, label: i.merchant.name }] : []));
  const peopleLabel = t("gatherings.people");
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      {g.invitations.length === 0 ? (
        <EmptyState text={t("gatherings.nobodyInvited")} />
      ) : (
        <Table
          size="small"
          rowKey={(i, n) => i.merchant?.id ?? String(n)}
          pagination={false}
          aria-label={t("gatherings.invitations")}
          dataSource={g.invitations}
          columns={[
            { title: t("common.name"), key: "name", render: (_: unknown, i) => i.merchant?.name ?? t("common.hidden") },
            {
              title: t("gatherings.rsvp"),
              dataIndex: "rsvp",
              render: (r: string) => <Tag color={RSVP_COLOURS[r]}>{t(`gatherings.rsvps.${r}`)}</Tag>,
            },
            {
              title: t("gatherings.attendance"),
              dataIndex: "attended",
              render: (a: boolean | null) => (a === null ? "—" : a ? t("gatherings.attended") : t("gatherings.absent")),
            },
          ]}
        />
      )}
      {g.status === "PLANNED" && (
        <Space wrap align="start" size="large">
          <MutationForm
            name={`invite-${g.id}`}
            ns="gatherings"
            action="invite"
            mutation={InviteToGatheringMutation}
            fields={["levels", "tags", "merchantIds"]}
            toInput={(v: Record<string, unknown>) => ({
              gatheringId: g.id,
              levels: v.levels ?? [],
              tags: v.tags ?? [],
              merchantIds: v.merchantIds ?? [],
            })}
            onDone={props.onChanged}
          >
            <Typography.Paragraph type="secondary">{t("gatherings.inviteHint")}</Typography.Paragraph>
            <Item
              ns="gatherings"
              name="levels"
              label="levels"
              multiple
              options={LEVELS.map((l) => ({ value: l, label: t(`members.levels.${l}`) }))}
            />
            <Item
              ns="gatherings"
              name="tags"
              label="tags"
              multiple
              options={TAGS.map((tag) => ({ value: tag, label: t(`gatherings.tagNames.${tag}`) }))}
            />
            <Form.Item label={peopleLabel} name="merchantIds">
              <MerchantSelect multiple aria-label={peopleLabel} />
            </Form.Item>
          </MutationForm>
          {invited.length > 0 && (
            <MutationForm
              name={`attendance-${g.id}`}
              ns="gatherings"
              action="recordAttendance"
              mutation={RecordGatheringAttendanceMutation}
              fields={["attendedMerchantIds"]}
              initialValues={{
                attendedMerchantIds: g.invitations
                  .filter((i) => i.rsvp === "ATTENDING" && i.merchant)
                  .map((i) => i.merchant!.id),
              }}
              toInput={(v: Record<string, unknown>) => ({
                gatheringId: g.id,
                attendedMerchantIds: v.attendedMerchantIds ?? [],
              })}
              onDone={props.onChanged}
            >
              <Item ns="gatherings" name="attendedMerchantIds" label="attendees" multiple options={invited} />
            </MutationForm>
          )}
          <MutationForm
            name={`cancel-${g.id}`}
            ns="gatherings"
            action="cancel"
            mutation={CancelGatheringMutation}
            fields={["reason"]}
            toInput={(v: Record<string, unknown>) => ({ gatheringId: g.id, reason: v.reason ?? "" })}
            onDone={props.onChanged}
          >
            <Form.Item label={t("gatherings.cancelReason")} name="reason">
              <Input />
            </Form.Item>
          </MutationForm>
        </Space>
      )}
      {g.cancelReason && (
        <Typography.Paragraph>
          {t("gatherings.cancelReason")}：{g.cancelReason}
        </Typography.Paragraph>
      )}
    </Space>
  );
}
