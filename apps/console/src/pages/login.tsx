// Sign-in with the account's email and password, and accepting an invitation (choosing a password).
import { Alert, Button, Card, Form, Input, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation } from "urql";
import { navigate } from "../lib/router";
import { useSession } from "../lib/session";
import { showUserErrors } from "../lib/user-errors";
import { AcceptInviteMutation, LoginMutation } from "../operations";

export function LoginPage() {
  const { t } = useTranslation();
  const session = useSession();
  const [form] = Form.useForm<{ email: string; password: string }>();
  const [state, login] = useMutation(LoginMutation);
  const [formError, setFormError] = useState<string | null>(null);
  return (
    <Card
      title={<h1 style={{ margin: 0, fontSize: 20 }}>{t("auth.title")}</h1>}
      style={{ maxWidth: 420, margin: "32px auto" }}
    >
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={async (values) => {
          setFormError(null);
          const result = await login({ input: values });
          const payload = result.data?.login;
          if (result.error) setFormError(result.error.message);
          else if (payload?.token) session.signIn(payload.token);
          else if (payload) setFormError(showUserErrors(form, payload.userErrors, ["email", "password"])[0] ?? null);
        }}
      >
        <Form.Item
          label={t("auth.email")}
          name="email"
          rules={[{ required: true, message: t("auth.required", { field: t("auth.email") }) }]}
        >
          <Input type="email" autoComplete="username" />
        </Form.Item>
        <Form.Item
          label={t("auth.password")}
          name="password"
          rules={[{ required: true, message: t("auth.required", { field: t("auth.password") }) }]}
        >
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        {formError && <Alert type="error" showIcon message={formError} style={{ marginBottom: 16 }} role="alert" />}
        <Button type="primary" htmlType="submit" block loading={state.fetching}>
          {t("auth.signIn")}
        </Button>
      </Form>
      <Typography.Paragraph style={{ marginTop: 16, marginBottom: 4 }}>{t("auth.demoHint")}</Typography.Paragraph>
      <a
        href="/accept-invite"
        style={{ textDecoration: "underline" }}
        onClick={(e) => {
          e.preventDefault();
          navigate("/accept-invite");
        }}
      >
        {t("auth.acceptInvite")}
      </a>
    </Card>
  );
}

export function AcceptInvitePage() {
  const { t } = useTranslation();
  const session = useSession();
  const [form] = Form.useForm<{ token: string; password: string }>();
  const [state, accept] = useMutation(AcceptInviteMutation);
  const [formError, setFormError] = useState<string | null>(null);
  const initialToken = new URLSearchParams(location.search).get("token") ?? "";
  return (
    <Card
      title={<h1 style={{ margin: 0, fontSize: 20 }}>{t("auth.acceptInvite")}</h1>}
      style={{ maxWidth: 420, margin: "32px auto" }}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ token: initialToken }}
        onFinish={async (values) => {
          setFormError(null);
          const result = await accept({ input: values });
          const payload = result.data?.acceptInvite;
          if (result.error) setFormError(result.error.message);
          else if (payload?.token) {
            navigate("/");
            session.signIn(payload.token);
          } else if (payload) setFormError(showUserErrors(form, payload.userErrors, ["token", "password"])[0] ?? null);
        }}
      >
        <Form.Item label={t("auth.inviteToken")} name="token" rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item label={t("auth.newPassword")} name="password" rules={[{ required: true }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        {formError && <Alert type="error" showIcon message={formError} style={{ marginBottom: 16 }} role="alert" />}
        <Button type="primary" htmlType="submit" block loading={state.fetching}>
          {t("auth.accept")}
        </Button>
      </Form>
    </Card>
  );
}
