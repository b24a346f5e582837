// The progress of a long action (an import, an export), designed once: its steps, what is happening now, a bar
// for the bytes moving, and the seconds passing so one sees it is alive while the server works.
import { Progress, Steps, Typography } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

export function ActionProgress(props: { steps: readonly string[]; current: number; percent?: number; label: string }) {
  const { t } = useTranslation();
  const [started] = useState(() => Date.now());
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, []);
  const seconds = Math.floor((now - started) / 1000);
  const step = props.steps[props.current] ?? "";
  return (
    <div role="status" aria-label={props.label} aria-live="polite" className="wz-action-progress">
      <Steps
        size="small"
        current={props.current}
        items={props.steps.map((title, i) => ({ title, status: i < props.current ? "finish" : undefined }))}
      />
      <Progress
        percent={props.percent ?? 100}
        status="active"
        showInfo={props.percent !== undefined}
        aria-label={step}
      />
      <Typography.Text type="secondary">{t("progress.now", { step, seconds })}</Typography.Text>
    </div>
  );
}
