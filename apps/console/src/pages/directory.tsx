// The merchant directory: one search box (Chinese, pinyin, initials, company names), filters and paging.
import { Card, Col, Input, List, Row, Select, Space, Tag, Typography } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQuery } from "urql";
import { Pager, usePaging, useResetOnChange } from "../lib/paging";
import { chamberName, district, industry, province } from "../lib/reference";
import { navigate } from "../lib/router";
import { useSession } from "../lib/session";
import { EmptyState, ErrorState, Loading } from "../lib/states";
import { ChamberOptionsQuery, DirectoryQuery } from "../operations";

const PAGE = 20;

interface Filters {
  industries?: string[];
  provinceCodes?: string[];
  hometownDistricts?: string[];
  chamberIds?: string[];
  tags?: ("NEW_GENERATION" | "LEADING_GOOSE")[];
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

export function DirectoryPage() {
  const { t } = useTranslation();
  const { language } = useSession();
  const [text, setText] = useState(() => new URLSearchParams(location.search).get("q") ?? "");
  const query = useDebounced(text.trim(), 250);
  const [filters, setFilters] = useState<Filters>({});
  const paging = usePaging(PAGE);
  const { reset } = paging;
  useResetOnChange(reset, [query, filters]);
  useEffect(() => {
    history.replaceState(null, "", query ? `/directory?q=${encodeURIComponent(query)}` : "/directory");
  }, [query]);
  const [chambers] = useQuery({ query: ChamberOptionsQuery });
  const [result, refetch] = useQuery({
    query: DirectoryQuery,
    variables: { query: query || null, filter: filters, ...paging.variables },
  });
  const connection = result.data?.merchants;
  const set = (key: keyof Filters) => (value: string[]) =>
    setFilters((old) => ({ ...old, [key]: value.length ? value : undefined }));

  return (
    <Space direction="vertical" style={{ width: "100%" }} size="middle">
      <Typography.Title level={2} style={{ margin: 0 }}>
        {t("directory.title")}
      </Typography.Title>
      <Card size="small">
        <Input
          type="search"
          role="searchbox"
          size="large"
          allowClear
          aria-label={t("common.search")}
          placeholder={t("directory.searchPlaceholder")}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <Row gutter={[8, 8]} style={{ marginTop: 8 }}>
          <Col xs={24} sm={12} md={8} lg={5}>
            <Select
              mode="multiple"
              allowClear
              style={{ width: "100%" }}
              aria-label={t("common.industry")}
              placeholder={t("common.industry")}
              options={industry.options(language)}
              onChange={set("industries")}
              optionFilterProp="label"
            />
          </Col>
          <Col xs={24} sm={12} md={8} lg={5}>
            <Select
              mode="multiple"
              allowClear
              style={{ width: "100%" }}
              aria-label={t("common.province")}
              placeholder={t("common.province")}
              options={province.options(language)}
              onChange={set("provinceCodes")}
              optionFilterProp="label"
            />
          </Col>
          <Col xs={24} sm={12} md={8} lg={5}>
            <Select
              mode="multiple"
              allowClear
              style={{ width: "100%" }}
              aria-label={t("common.hometown")}
              placeholder={t("common.hometown")}
              options={district.options(language)}
              onChange={set("hometownDistricts")}
              optionFilterProp="label"
            />
          </Col>
          <Col xs={24} sm={12} md={12} lg={5}>
            <Select
              mode="multiple"
              allowClear
              style={{ width: "100%" }}
              aria-label={t("common.chamber")}
              placeholder={t("common.chamber")}
              onChange={set("chamberIds")}
              optionFilterProp="label"
              loading={chambers.fetching}
              options={chambers.data?.chambers.edges.map(({ node }) => ({
                value: node.id,
                label: chamberName(node, language),
              }))}
            />
          </Col>
          <Col xs={24} sm={12} md={12} lg={4}>
            <Select
              mode="multiple"
              allowClear
              style={{ width: "100%" }}
              aria-label={t("common.tag")}
              placeholder={t("common.tag")}
              onChange={set("tags") as (value: string[]) => void}
              options={(["NEW_GENERATION", "LEADING_GOOSE"] as const).map((tag) => ({
                value: tag,
                label: t(`directory.tags.${tag}`),
              }))}
            />
          </Col>
        </Row>
      </Card>
      {result.error ? (
        <ErrorState error={result.error} retry={() => refetch({ requestPolicy: "network-only" })} />
      ) : !connection ? (
        <Loading />
      ) : (
        <Card size="small">
          <List
            loading={result.fetching && result.stale}
            dataSource={connection.edges.map((edge) => edge.node)}
            locale={{ emptyText: <EmptyState text={t("directory.noResults")} /> }}
            renderItem={(merchant) => (
              <List.Item key={merchant.id}>
                <List.Item.Meta
                  title={
                    <a
                      href={`/merchants/${encodeURIComponent(merchant.id)}`}
                      onClick={(e) => {
                        e.preventDefault();
                        navigate(`/merchants/${encodeURIComponent(merchant.id)}`);
                      }}
                    >
                      {merchant.name}
                      {merchant.nameLatin && <Typography.Text type="secondary"> {merchant.nameLatin}</Typography.Text>}
                    </a>
                  }
                  description={
                    <Space wrap size={[4, 4]}>
                      {merchant.companies.slice(0, 2).map((company) => (
                        <span key={company.name}>{company.name}</span>
                      ))}
                      {merchant.hometownDistrict && <Tag>{district.label(merchant.hometownDistrict, language)}</Tag>}
                      {merchant.provinceCode && <Tag>{province.label(merchant.provinceCode, language)}</Tag>}
                      {merchant.tags.map((tag) => (
                        <Tag color="red" key={tag}>
                          {t(`directory.tags.${tag}`, { defaultValue: tag })}
                        </Tag>
                      ))}
                    </Space>
                  }
                />
              </List.Item>
            )}
          />
          <Pager
            paging={paging}
            pageInfo={connection.pageInfo}
            totalCount={connection.totalCount}
            label={t("directory.title")}
          />
        </Card>
      )}
    </Space>
  );
}
