// One's own profile: each contact field with who may see it (the merchant alone sets this), the chambers'
// proposals waiting for an answer (a secretary applied or imported them), and one's memberships.
import { App, Button, Card, Empty, Form, Input, List, Select, Space, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "urql";
import { chamberName } from "../lib/reference";
import { useSession } from "../lib/session";
import { ErrorState, Loading } from "../lib/states";
import { showUserErrors } from "../lib/user-errors";
import { AnswerProposalMutation, MyProfileQuery, UpdateMyProfileMutation } from "../operations";

const VISIBILITIES = ["PUBLIC", "FEDERATION", "CHAMBER", "PRIVATE"] as const;
type Visibility = (typeof VISIBILITIES)[number];
const CONTACTS = ["mobile", "landline", "email", "wechat"] as const;
const FIELDS = ["name", "nameLatin", ...CONTACTS, ...CONTACTS.map((c) => `${c}Visibility`)];

interface ProfileValues {
  name: string;
  nameLatin: string;
  mobile: string;
  landline: string;
  email: string;
  wechat: string;
  mobileVisibility: Visibility;
  landlineVisibility: Visibility;
  emailVisibility: Visibility;
  wechatVisibility: Visibility;
}

export function ProfilePage() {
  const { t } = useTranslation();
  const [result, refetch] = useQuery({ query: MyProfileQuery, requestPolicy: "cache-and-network" });
  if (result.error) return <ErrorState error={result.error} retry={() => refetch({ requestPolicy: "network-only" })} />;
  if (!result.data) return <Loading />;
  const me = result.data.me;
  const merchant = me?.merchant;
  return (
    <Space direction="vertical" style={{ width: "100%" }} size="middle">
      <h1 style={{ margin: 0, fontSize: 22 }}>{t("profile.title")}</h1>
      <Proposals
        proposals={me?.membershipProposals ?? []}
        onAnswered={() => refetch({ requestPolicy: "network-only" })}
      />
      {merchant ? (
        <>
          <ProfileForm merchant={merchant} />
          <Card size="small" title={t("directory.memberships")}>
            <Memberships memberships={merchant.memberships} />
          </Card>
        </>
      ) : (
        <Card>
          <Empty description={t("profile.noMerchant")} />
        </Card>
      )}
    </Space>
  );
}

type Proposal = { id: string; level: string; chamber: { id: string; name: string; nameEn: string | null } };

function Proposals(props: { proposals: readonly Proposal[]; onAnswered: () => void }) {
  const { t } = useTranslation();
  const { language } = useSession();
  const { message } = App.useApp();
  const [state, answer] = useMutation(AnswerProposalMutation);
  const [busy, setBusy] = useState<string | null>(null);
  if (props.proposals.length === 0) return null;
  const reply = async (membershipId: string, accept: boolean) => {
    setBusy(membershipId);
    const result = await answer({ input: { membershipId, accept } });
    setBusy(null);
    const payload = result.data?.answerMembershipProposal;
    const problem = result.error?.message ?? payload?.userErrors[0]?.message;
    if (problem) void message.error(problem);
    else {
      void message.success(t(accept ? "profile.accepted" : "profile.declined"));
      props.onAnswered();
    }
  };
  return (
    <Card size="small" title={t("profile.proposals")}>
      <Typography.Paragraph type="secondary">{t("profile.proposalsHint")}</Typography.Paragraph>
      <List
        dataSource={[...props.proposals]}
        renderItem={(p) => (
          <List.Item
            actions={[
              <Button
                key="accept"
                type="primary"
                loading={state.fetching && busy === p.id}
                onClick={() => void reply(p.id, true)}
              >
                {t("profile.accept")}
              </Button>,
              <Button key="decline" disabled={state.fetching} onClick={() => void reply(p.id, false)}>
                {t("profile.decline")}
              </Button>,
            ]}
          >
            {chamberName(p.chamber, language)} · {t(`members.levels.${p.level}`)}
          </List.Item>
        )}
      />
    </Card>
  );
}

type Membership = {
  id: string;
  level: string;
  status: string;
  chamber: { id: string; name: string; nameEn: string | null };
};

function Memberships({ memberships }: { memberships: readonly Membership[] }) {
  const { t } = useTranslation();
  const { language } = useSession();
  if (memberships.length === 0) return <Typography.Text type="secondary">{t("common.empty")}</Typography.Text>;
  return (
    <Space wrap>
      {memberships.map((m) => (
        <Tag key={m.id}>
          {chamberName(m.chamber, language)} · {t(`members.levels.${m.level}`)} · {t(`members.statuses.${m.status}`)}
        </Tag>
      ))}
    </Space>
  );
}

type Merchant = {
  id: string;
  name: string;
  nameLatin: string | null;
  mobile: string | null;
  landline: string | null;
  email: string | null;
  wechat: string | null;
  contactVisibility: { mobile: Visibility; landline: Visibility; email: Visibility; wechat: Visibility } | null;
};

function ProfileForm({ merchant }: { merchant: Merchant }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<ProfileValues>();
  const [state, update] = useMutation(UpdateMyProfileMutation);
  const [formError, setFormError] = useState<string | null>(null);
  const options = VISIBILITIES.map((v) => ({ value: v, label: t(`profile.visibilities.${v}`) }));
  const submit = async (values: ProfileValues) => {
    setFormError(null);
    // Empty contact fields are cleared; the name is required by the API (an empty one comes back as its error).
    const blankToNull = (v: string | undefined) => (v?.trim() ? v.trim() : null);
    const result = await update({
      input: {
        name: values.name,
        nameLatin: blankToNull(values.nameLatin),
        mobile: blankToNull(values.mobile),
        landline: blankToNull(values.landline),
        email: blankToNull(values.email),
        wechat: blankToNull(values.wechat),
        mobileVisibility: values.mobileVisibility,
        landlineVisibility: values.landlineVisibility,
        emailVisibility: values.emailVisibility,
        wechatVisibility: values.wechatVisibility,
      },
    });
    if (result.error) return setFormError(result.error.message);
    const payload = result.data?.updateMyProfile;
    if (payload?.merchant) void message.success(t("profile.saved"));
    else if (payload) setFormError(showUserErrors(form, payload.userErrors, FIELDS)[0] ?? null);
  };
  return (
    <Card size="small" title={t("profile.contact")}>
      <Typography.Paragraph type="secondary">{t("profile.visibilityHint")}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{
          name: merchant.name,
          nameLatin: merchant.nameLatin ?? "",
          mobile: merchant.mobile ?? "",
          landline: merchant.landline ?? "",
          email: merchant.email ?? "",
          wechat: merchant.wechat ?? "",
          mobileVisibility: merchant.contactVisibility?.mobile ?? "CHAMBER",
          landlineVisibility: merchant.contactVisibility?.landline ?? "CHAMBER",
          emailVisibility: merchant.contactVisibility?.email ?? "CHAMBER",
          wechatVisibility: merchant.contactVisibility?.wechat ?? "PRIVATE",
        }}
      >
        <Form.Item label={t("common.name")} name="name">
          <Input autoComplete="name" />
        </Form.Item>
        <Form.Item label={t("directory.latinName")} name="nameLatin">
          <Input />
        </Form.Item>
        {CONTACTS.map((field) => (
          <Space key={field} wrap align="start" style={{ width: "100%" }}>
            <Form.Item label={t(`directory.${field}`)} name={field} style={{ minWidth: 240 }}>
              <Input
                autoComplete={field === "mobile" || field === "landline" ? "tel" : field === "email" ? "email" : "off"}
              />
            </Form.Item>
            <Form.Item label={t("profile.whoSees", { field: t(`directory.${field}`) })} name={`${field}Visibility`}>
              <Select options={options} style={{ minWidth: 200 }} />
            </Form.Item>
          </Space>
        ))}
        {formError && <Typography.Paragraph type="danger">{formError}</Typography.Paragraph>}
        <Button type="primary" htmlType="submit" loading={state.fetching}>
          {t("common.save")}
        </Button>
      </Form>
    </Card>
  );
}
