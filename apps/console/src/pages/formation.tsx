// Federation staff: the 31 provinces by formation step, behind-schedule ones marked, progress against the
// 2015-12-31 deadline as a chart, and each province's history, checklist and next step.
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Drawer,
  Form,
  Input,
  Row,
  Select,
  Space,
  Statistic,
  Tag,
  Timeline,
  Typography,
} from "antd";
import { BarChart, LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";
import ReactEChartsCore from "echarts-for-react/esm/core";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery, useSubscription } from "urql";
import type { ResultOf } from "../graphql";
import { todayIso } from "../lib/reference";
import { useSession } from "../lib/session";
import { ErrorState, Loading } from "../lib/states";
import { showUserErrors } from "../lib/user-errors";
import {
  AdvanceFormationMutation,
  FormationChangedSubscription,
  FormationQuery,
  PlanFormationMutation,
  ProvinceQuery,
  UpdateChecklistItemMutation,
} from "../operations";

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, MarkLineComponent, SVGRenderer]);

const STEPS = ["NOT_STARTED", "INITIATED", "PREPARATORY", "APPLIED", "APPROVED", "FOUNDED"] as const;
type Step = (typeof STEPS)[number];
type ProvinceRow = ResultOf<typeof FormationQuery>["provinces"][number];

export function FormationPage() {
  const { t } = useTranslation();
  const { language } = useSession();
  const [result, refetch] = useQuery({ query: FormationQuery, requestPolicy: "cache-and-network" });
  const [open, setOpen] = useState<string | null>(null);
  // Live: another staff member's change arrives over graphql-ws; graphcache updates the province (keyed by its
  // code) at once, and the counts, chart and history are fetched again.
  const [live] = useSubscription({ query: FormationChangedSubscription }, (_previous, event) => {
    refetch({ requestPolicy: "network-only" });
    return event;
  });
  if (result.error) return <ErrorState error={result.error} retry={() => refetch({ requestPolicy: "network-only" })} />;
  if (!result.data) return <Loading />;
  const { formationProgress: progress, provinces } = result.data;
  const name = (p: { name: string; nameEn: string }) => (language === "en" ? p.nameEn : p.name);
  const forecast = progress.forecast;
  return (
    <Space direction="vertical" style={{ width: "100%" }} size="middle">
      <Space wrap align="center">
        <Typography.Title level={2} style={{ margin: 0 }}>
          {t("formation.title")}
        </Typography.Title>
        <Tag color={live.error ? "default" : "green"} role="status">
          {live.error ? t("formation.offline") : t("formation.live")}
        </Tag>
      </Space>
      <Row gutter={[8, 8]}>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t("formation.founded")} value={progress.founded} suffix={`/ ${progress.target}`} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t("formation.deadline")} value={progress.deadline} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic
              title={t("formation.behind")}
              value={provinces.filter((p) => p.behindSchedule).length}
              valueStyle={{ color: "#cf1322" }}
            />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t("formation.forecast")} value={forecast.forecastDate ?? "—"} />
            <Typography.Text type={forecast.onTrack ? "success" : "danger"}>
              {forecast.forecastDate
                ? t("formation.forecastDate", { date: forecast.forecastDate })
                : t("formation.noForecast")}
              {" · "}
              {forecast.onTrack ? t("formation.onTrack") : t("formation.offTrack")}
            </Typography.Text>
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t("formation.chartTitle")}>
        <ProgressChart
          provinces={provinces}
          byStatus={progress.byStatus}
          target={progress.target}
          deadline={progress.deadline}
        />
      </Card>
      <section aria-label={t("formation.title")} className="wz-province-grid">
        {STEPS.map((step) => {
          const here = provinces.filter((p) => p.formationStatus === step);
          return (
            <div key={step} className="wz-province-col" data-step={step}>
              <h3>
                {t(`formation.steps.${step}`)} ({here.length})
              </h3>
              {here.map((p) => (
                <Button
                  key={p.code}
                  className="wz-province"
                  danger={p.behindSchedule}
                  onClick={() => setOpen(p.code)}
                  aria-label={`${name(p)} · ${t(`formation.steps.${step}`)}${
                    p.behindSchedule ? ` · ${t("formation.behind")}` : ""
                  }`}
                >
                  {name(p)}
                  {p.behindSchedule && " ⚠"}
                </Button>
              ))}
            </div>
          );
        })}
      </section>
      <Drawer
        open={open !== null}
        onClose={() => setOpen(null)}
        width={Math.min(560, window.innerWidth)}
        destroyOnClose
        title={open ? name(provinces.find((p) => p.code === open)!) : ""}
      >
        {open && <ProvinceDetail code={open} onChanged={() => refetch({ requestPolicy: "network-only" })} />}
      </Drawer>
    </Space>
  );
}

function ProgressChart(props: {
  provinces: readonly ProvinceRow[];
  byStatus: readonly { status: Step; count: number }[];
  target: number;
  deadline: string;
}) {
  const { t } = useTranslation();
  const option = useMemo(() => {
    // Cumulative foundings by month from each province's history, against the target at the deadline.
    const foundings = props.provinces
      .flatMap((p) =>
        (p.formationHistory ?? []).filter((s) => s.toStatus === "FOUNDED").map((s) => s.reachedOn.slice(0, 7)),
      )
      .sort();
    const months: string[] = [];
    const start = foundings[0] ?? todayIso().slice(0, 7);
    for (let m = start; m <= props.deadline.slice(0, 7); ) {
      months.push(m);
      const [y, mo] = m.split("-").map(Number) as [number, number];
      m = mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, "0")}`;
    }
    const cumulative = months.map((m) => foundings.filter((f) => f <= m).length);
    return {
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: [
        { left: 40, right: 10, top: 30, width: "40%", bottom: 30 },
        { left: "55%", right: 10, top: 30, bottom: 30 },
      ],
      xAxis: [
        {
          type: "category",
          gridIndex: 0,
          data: props.byStatus.map((s) => t(`formation.steps.${s.status}`)),
          axisLabel: { interval: 0, rotate: 30, fontSize: 10 },
        },
        { type: "category", gridIndex: 1, data: months },
      ],
      yAxis: [
        { type: "value", gridIndex: 0, minInterval: 1 },
        { type: "value", gridIndex: 1, max: props.target },
      ],
      series: [
        {
          name: t("formation.chartTitle"),
          type: "bar",
          xAxisIndex: 0,
          yAxisIndex: 0,
          data: props.byStatus.map((s) => s.count),
          itemStyle: { color: "#b71c1c" },
        },
        {
          name: t("formation.chartCumulative"),
          type: "line",
          xAxisIndex: 1,
          yAxisIndex: 1,
          step: "end",
          data: cumulative,
          markLine: { symbol: "none", data: [{ yAxis: props.target, name: t("formation.chartTarget") }] },
        },
      ],
    };
  }, [props, t]);
  return (
    <div role="img" aria-label={props.byStatus.map((s) => `${t(`formation.steps.${s.status}`)} ${s.count}`).join(", ")}>
      <ReactEChartsCore echarts={echarts} option={option} style={{ height: 260 }} opts={{ renderer: "svg" }} notMerge />
    </div>
  );
}

function ProvinceDetail(props: { code: string; onChanged(): void }) {
  const { t } = useTranslation();
  const [result, refetch] = useQuery({ query: ProvinceQuery, requestPolicy: "network-only" });
  if (result.error) return <ErrorState error={result.error} retry={() => refetch()} />;
  if (!result.data) return <Loading />;
  const province = result.data.provinces.find((p) => p.code === props.code);
  if (!province) return null;
  const changed = () => {
    refetch({ requestPolicy: "network-only" });
    props.onChanged();
  };
  const index = STEPS.indexOf(province.formationStatus);
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Space wrap>
        <Tag color="red">{t(`formation.steps.${province.formationStatus}`)}</Tag>
        {province.reachedOn && (
          <span>
            {t("formation.reachedOn")}: {province.reachedOn}
          </span>
        )}
        {province.behindSchedule && <Tag color="error">{t("formation.behind")}</Tag>}
      </Space>
      {province.nextPlannedStep?.targetOn && (
        <Typography.Text>
          {t("formation.nextPlanned", {
            status: t(`formation.steps.${province.nextPlannedStep.status}`),
            date: province.nextPlannedStep.targetOn,
          })}
        </Typography.Text>
      )}
      <AdvanceForm
        code={province.code}
        current={province.formationStatus}
        minDate={province.reachedOn}
        key={province.formationStatus}
        onDone={changed}
        next={STEPS[index + 1]}
        earlier={STEPS.slice(0, index)}
      />
      <PlanForm
        code={province.code}
        key={`plan-${province.code}`}
        plan={province.formationPlan ?? []}
        current={province.formationStatus}
        onDone={changed}
      />
      <Card size="small" title={t("formation.history")}>
        {province.formationHistory?.length ? (
          <Timeline
            items={province.formationHistory.map((step) => ({
              color: step.reason ? "red" : "green",
              children: (
                <>
                  <strong>{step.reachedOn}</strong> {t(`formation.steps.${step.toStatus}`)}
                  {step.note && <div>{step.note}</div>}
                  {step.reason && (
                    <div>
                      {t("common.reason")}: {step.reason}
                    </div>
                  )}
                  {step.recordedBy && <Typography.Text type="secondary">{step.recordedBy.displayName}</Typography.Text>}
                </>
              ),
            }))}
          />
        ) : (
          <Typography.Text type="secondary">{t("formation.noHistory")}</Typography.Text>
        )}
      </Card>
      <Card size="small" title={t("formation.checklist")}>
        {province.chamber?.checklist ? (
          <Space direction="vertical">
            {province.chamber.checklist.map((item) => (
              <ChecklistRow key={item.item} chamberId={province.chamber!.id} item={item} onDone={changed} />
            ))}
          </Space>
        ) : (
          <Typography.Text type="secondary">{t("formation.noChecklist")}</Typography.Text>
        )}
      </Card>
    </Space>
  );
}

function ChecklistRow(props: {
  chamberId: string;
  item: { item: string; label: string; done: boolean; doneOn: string | null; phase: string };
  onDone(): void;
}) {
  const { message } = App.useApp();
  const [state, update] = useMutation(UpdateChecklistItemMutation);
  return (
    <Checkbox
      checked={props.item.done}
      disabled={state.fetching}
      onChange={async (e) => {
        const result = await update({
          input: { chamberId: props.chamberId, item: props.item.item, done: e.target.checked },
        });
        const error = result.error?.message ?? result.data?.updateChecklistItem.userErrors[0]?.message;
        if (error) void message.error(error);
        else props.onDone();
      }}
    >
      {props.item.label}
      {props.item.doneOn && ` (${props.item.doneOn})`}
    </Checkbox>
  );
}

function AdvanceForm(props: {
  code: string;
  current: Step;
  minDate: string | null;
  next: Step | undefined;
  earlier: Step[];
  onDone(): void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ status: Step; date: string; note?: string; reason?: string }>();
  const [state, advance] = useMutation(AdvanceFormationMutation);
  const [formError, setFormError] = useState<string | null>(null);
  const status = Form.useWatch("status", form);
  const back = status !== undefined && status !== props.next;
  const options = [
    ...(props.next
      ? [{ value: props.next, label: `${t("formation.nextStep")}: ${t(`formation.steps.${props.next}`)}` }]
      : []),
    ...props.earlier.map((s) => ({ value: s, label: `${t("formation.stepBack")}: ${t(`formation.steps.${s}`)}` })),
  ];
  if (options.length === 0) return null;
  return (
    <Card size="small" title={t("formation.advance")}>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ status: props.next ?? props.earlier.at(-1), date: todayIso() }}
        onFinish={async (values) => {
          setFormError(null);
          const result = await advance({
            input: {
              provinceCode: props.code,
              status: values.status,
              date: values.date,
              note: values.note || null,
              reason: values.reason || null,
            },
          });
          const payload = result.data?.advanceFormation;
          if (result.error) setFormError(result.error.message);
          else if (payload?.province) {
            void message.success(t("formation.advanced"));
            props.onDone();
          } else if (payload)
            setFormError(showUserErrors(form, payload.userErrors, ["status", "date", "note", "reason"])[0] ?? null);
        }}
      >
        {/* always set (initial value, only valid options); a required rule would put aria-required on antd's
            wrapper <div>, which axe rightly refuses */}
        <Form.Item label={t("common.status")} name="status">
          <Select options={options} />
        </Form.Item>
        <Form.Item label={t("common.date")} name="date" rules={[{ required: true }]}>
          <Input type="date" max={todayIso()} min={props.minDate ?? undefined} />
        </Form.Item>
        <Form.Item label={t("common.note")} name="note">
          <Input />
        </Form.Item>
        {back && (
          <Form.Item label={t("common.reason")} name="reason" rules={[{ required: true }]}>
            <Input />
          </Form.Item>
        )}
        {formError && <Alert type="error" role="alert" showIcon message={formError} style={{ marginBottom: 8 }} />}
        <Button type="primary" htmlType="submit" loading={state.fetching}>
          {t("formation.advance")}
        </Button>
      </Form>
    </Card>
  );
}

/** Target dates for the steps still ahead (and those reached, to correct them); saved with planFormation. */
function PlanForm(props: {
  code: string;
  plan: readonly { status: Step; targetOn: string | null }[];
  current: Step;
  onDone(): void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const steps = STEPS.filter((s) => s !== "NOT_STARTED");
  const [form] = Form.useForm<Record<string, string | undefined>>();
  const [state, plan] = useMutation(PlanFormationMutation);
  const [formError, setFormError] = useState<string | null>(null);
  const initial = Object.fromEntries(props.plan.filter((p) => p.targetOn).map((p) => [p.status, p.targetOn!]));
  return (
    <Card size="small" title={t("formation.plan")}>
      <Form
        form={form}
        layout="vertical"
        aria-label={t("formation.plan")}
        initialValues={initial}
        onFinish={async (values) => {
          setFormError(null);
          const targets = steps
            .filter((status) => values[status] && values[status] !== initial[status])
            .map((status) => ({ status, targetOn: values[status]! }));
          if (targets.length === 0) return setFormError(t("formation.planNothing"));
          const result = await plan({ input: { provinceCode: props.code, targets } });
          const payload = result.data?.planFormation;
          if (result.error) return setFormError(result.error.message);
          if (payload?.province) {
            void message.success(t("formation.planned"));
            return props.onDone();
          }
          // ["input", "targets", i, "targetOn"] → the field of the i-th step sent; ["input", "targets"] → the form
          const unplaced: string[] = [];
          const byStep = new Map<string, string[]>();
          for (const error of payload?.userErrors ?? []) {
            const index = error.field?.[2];
            const step = index !== undefined ? targets[Number(index)]?.status : undefined;
            if (step) byStep.set(step, [...(byStep.get(step) ?? []), error.message]);
            else unplaced.push(error.message);
          }
          form.setFields([...byStep].map(([name, errors]) => ({ name, errors })));
          setFormError(unplaced[0] ?? null);
        }}
      >
        <Row gutter={8}>
          {steps.map((status) => (
            <Col xs={24} sm={12} key={status}>
              <Form.Item label={t(`formation.steps.${status}`)} name={status}>
                <Input type="date" />
              </Form.Item>
            </Col>
          ))}
        </Row>
        {formError && <Alert type="error" role="alert" showIcon message={formError} style={{ marginBottom: 8 }} />}
        <Button htmlType="submit" loading={state.fetching}>
          {t("formation.savePlan")}
        </Button>
      </Form>
    </Card>
  );
}
