// Return investment (温商回归): for city and federation staff, arrived capital against the year's target (percent,
// by category, by district as a chart) read at any date; for them and for secretaries, the projects they may see;
// for city staff, the forms that keep projects (return-investment-forms.tsx), after which both read anew.
import { Button, Card, Col, Form, Input, InputNumber, Row, Space, Statistic, Table, Tag, Typography } from "antd";
import { BarChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";
import ReactEChartsCore from "echarts-for-react/esm/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { ResultOf } from "../graphql";
import { useFreshQuery } from "../lib/fresh-query";
import { chamberName, district, todayIso } from "../lib/reference";
import { useSession, useViewer } from "../lib/session";
import { ErrorState, Loading } from "../lib/states";
import { InvestmentProjectsQuery, ReturnInvestmentProgressQuery } from "../operations";
import { CreateProjectForm, ProjectActions } from "./return-investment-forms";

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

/** A CNY amount (Decimal string) in 亿 (100 million), two decimals. */
const yi = (amount: string) => (Number(amount) / 1e8).toFixed(2);

type Progress = ResultOf<typeof ReturnInvestmentProgressQuery>["returnInvestmentProgress"];
type Project = ResultOf<typeof InvestmentProjectsQuery>["investmentProjects"]["edges"][number]["node"];

export function ReturnInvestmentPage() {
  const { t } = useTranslation();
  const viewer = useViewer();
  const staff = viewer.isCityStaff || viewer.isFederationStaff;
  const [year, setYear] = useState(Number(todayIso().slice(0, 4)));
  const [asOf, setAsOf] = useState(todayIso());
  // bumped by every change city staff make here: the figures and the list read anew
  const [version, setVersion] = useState(0);
  const changed = () => setVersion((v) => v + 1);
  return (
    <Space direction="vertical" style={{ width: "100%" }} size="middle">
      <Typography.Title level={2} style={{ margin: 0 }}>
        {t("returnInvestment.title")}
      </Typography.Title>
      {staff && (
        <>
          <Form layout="inline">
            <Form.Item label={t("returnInvestment.year")} htmlFor="ri-year">
              <InputNumber id="ri-year" min={2000} max={2100} value={year} onChange={(v) => v && setYear(v)} />
            </Form.Item>
            <Form.Item label={t("returnInvestment.asOf")} htmlFor="ri-as-of">
              <Input
                id="ri-as-of"
                type="date"
                value={asOf}
                onChange={(e) => e.target.value && setAsOf(e.target.value)}
              />
            </Form.Item>
          </Form>
          <ProgressView year={year} asOf={asOf} version={version} />
        </>
      )}
      {viewer.isCityStaff && <CreateProjectForm onChanged={changed} />}
      <ProjectList version={version} onChanged={viewer.isCityStaff ? changed : null} />
    </Space>
  );
}

function ProgressView(props: { year: number; asOf: string; version: number }) {
  const { t } = useTranslation();
  const { language } = useSession();
  const [result, retry] = useFreshQuery(
    { query: ReturnInvestmentProgressQuery, variables: { year: props.year, asOf: props.asOf } },
    props.version,
  );
  if (result.error) return <ErrorState error={result.error} retry={retry} />;
  if (!result.data) return <Loading />;
  const p: Progress = result.data.returnInvestmentProgress;
  const districts = p.byDistrict.filter((d) => Number(d.target) > 0 || Number(d.arrived) > 0);
  const chart = {
    tooltip: { trigger: "axis" },
    legend: { top: 0, data: [t("returnInvestment.target"), t("returnInvestment.arrived")] },
    grid: { left: 48, right: 16, top: 32, bottom: 64 },
    xAxis: {
      type: "category",
      data: districts.map((d) => district.label(d.districtCode, language)),
      axisLabel: { rotate: 40 },
    },
    yAxis: { type: "value" },
    series: [
      { name: t("returnInvestment.target"), type: "bar", data: districts.map((d) => Number(yi(d.target))) },
      { name: t("returnInvestment.arrived"), type: "bar", data: districts.map((d) => Number(yi(d.arrived))) },
    ],
  };
  return (
    <Space direction="vertical" style={{ width: "100%" }} size="middle">
      <Row gutter={[8, 8]}>
        <Col xs={24} md={8}>
          <Card size="small">
            <Statistic title={t("returnInvestment.percent")} value={p.percentOfTarget} precision={2} suffix="%" />
          </Card>
        </Col>
        <Col xs={12} md={8}>
          <Card size="small">
            <Statistic
              title={t("returnInvestment.arrived")}
              value={t("returnInvestment.yi", { value: yi(p.arrived) })}
            />
          </Card>
        </Col>
        <Col xs={12} md={8}>
          <Card size="small">
            <Statistic title={t("returnInvestment.target")} value={t("returnInvestment.yi", { value: yi(p.target) })} />
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t("returnInvestment.byCategory")}>
        <Table
          size="small"
          pagination={false}
          rowKey="category"
          dataSource={p.byCategory}
          columns={[
            {
              title: t("returnInvestment.byCategory"),
              dataIndex: "category",
              render: (c: string) => t(`returnInvestment.category.${c}`),
            },
            { title: t("returnInvestment.arrived"), dataIndex: "arrived", render: (v: string) => yi(v) },
            {
              title: t("returnInvestment.previous"),
              dataIndex: "previousYearSamePeriod",
              render: (v: string) => yi(v),
            },
            {
              title: t("returnInvestment.growth"),
              dataIndex: "growthPercent",
              render: (v: number | null) => (v === null ? "—" : `${v > 0 ? "+" : ""}${v}%`),
            },
          ]}
        />
      </Card>
      <Card size="small" title={t("returnInvestment.byDistrict")}>
        <div role="img" aria-label={t("returnInvestment.chart")}>
          <ReactEChartsCore echarts={echarts} option={chart} style={{ height: 280 }} opts={{ renderer: "svg" }} />
        </div>
        <Table
          size="small"
          pagination={false}
          rowKey="districtCode"
          dataSource={p.byDistrict}
          columns={[
            {
              title: t("returnInvestment.district"),
              dataIndex: "districtCode",
              render: (code: string) => district.label(code, language),
            },
            { title: t("returnInvestment.target"), dataIndex: "target", render: (v: string) => yi(v) },
            { title: t("returnInvestment.arrived"), dataIndex: "arrived", render: (v: string) => yi(v) },
            { title: t("returnInvestment.percent"), dataIndex: "percentOfTarget", render: (v: number) => `${v}%` },
          ]}
        />
      </Card>
    </Space>
  );
}

function ProjectList(props: { version: number; onChanged: (() => void) | null }) {
  const { t } = useTranslation();
  const { language } = useSession();
  const [after, setAfter] = useState<string | null>(null);
  const [result, retry] = useFreshQuery(
    { query: InvestmentProjectsQuery, variables: { first: 50, after } },
    props.version,
  );
  const onChanged = props.onChanged;
  if (result.error) return <ErrorState error={result.error} retry={retry} />;
  if (!result.data) return <Loading />;
  const list = result.data.investmentProjects;
  return (
    <Card size="small" title={`${t("returnInvestment.projects")} (${list.totalCount})`}>
      <Table
        size="small"
        rowKey="id"
        scroll={{ x: true }}
        dataSource={list.edges.map((e) => e.node)}
        pagination={false}
        expandable={
          onChanged
            ? {
                expandRowByClick: false,
                // a named button (the default icon has no accessible name)
                expandIcon: ({ expanded, onExpand, record }) => (
                  <Button size="small" type="link" aria-expanded={expanded} onClick={(e) => onExpand(record, e)}>
                    {expanded ? t("returnInvestment.hideChanges") : t("returnInvestment.changes")}
                  </Button>
                ),
                expandedRowRender: (p: Project) => <ProjectActions projectId={p.id} onChanged={onChanged} />,
              }
            : undefined
        }
        columns={[
          {
            title: t("returnInvestment.name"),
            dataIndex: "name",
            render: (name: string, p: Project) => (
              <Space size={4} wrap>
                {name}
                {p.keyProject && <Tag color="gold">{t("returnInvestment.key")}</Tag>}
              </Space>
            ),
          },
          {
            title: t("returnInvestment.stage"),
            dataIndex: "stage",
            render: (s: string) => <Tag>{t(`returnInvestment.stages.${s}`)}</Tag>,
          },
          {
            title: t("returnInvestment.district"),
            dataIndex: "district",
            render: (code: string) => district.label(code, language),
          },
          { title: t("returnInvestment.pledgedYi"), dataIndex: "pledged", render: (v: string) => yi(v) },
          { title: t("returnInvestment.arrivedYi"), dataIndex: "arrived", render: (v: string) => yi(v) },
          {
            title: t("returnInvestment.credits"),
            dataIndex: "credits",
            render: (credits: Project["credits"]) =>
              credits
                .filter((c) => c.validTo === null)
                .map((c) => `${chamberName(c.chamber, language)}${c.sharePercent < 100 ? ` ${c.sharePercent}%` : ""}`)
                .join("、"),
          },
        ]}
      />
      {list.pageInfo.hasNextPage && (
        <Typography.Link onClick={() => setAfter(list.pageInfo.endCursor ?? null)}>{t("common.next")}</Typography.Link>
      )}
    </Card>
  );
}
