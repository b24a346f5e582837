// Loading, empty, error and not-found states, designed once for every page.
import { Alert, Button, Empty, Result, Skeleton } from "antd";
import { useTranslation } from "react-i18next";
import type { CombinedError } from "urql";

export function Loading() {
  const { t } = useTranslation();
  return (
    <div role="status" aria-label={t("app.loading")}>
      <Skeleton active paragraph={{ rows: 6 }} />
    </div>
  );
}

export function ErrorState(props: { error: CombinedError; retry?: () => void }) {
  const { t } = useTranslation();
  const message = props.error.graphQLErrors[0]?.message ?? props.error.message;
  return (
    <Alert
      type="error"
      showIcon
      message={t("app.error")}
      description={t("common.loadError", { message })}
      action={props.retry ? <Button onClick={props.retry}>{t("app.retry")}</Button> : undefined}
    />
  );
}

export function EmptyState(props: { text?: string }) {
  const { t } = useTranslation();
  return <Empty description={props.text ?? t("common.empty")} />;
}

export function NotFound() {
  const { t } = useTranslation();
  return <Result status="404" title={t("common.notFound")} subTitle={t("common.notFoundHint")} />;
}
