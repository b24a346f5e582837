// A merchant's page: exactly the fields the API shows this viewer; a hidden contact field reads "(hidden)".
import { Button, Card, Descriptions, Space, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { useQuery } from "urql";
import { chamberName, district, industry, province } from "../lib/reference";
import { useSession } from "../lib/session";
import { ErrorState, Loading, NotFound } from "../lib/states";
import { MerchantQuery } from "../operations";

export function MerchantPage({ id }: { id: string }) {
  const { t } = useTranslation();
  const { language } = useSession();
  const [result, refetch] = useQuery({ query: MerchantQuery, variables: { id } });
  if (result.error) return <ErrorState error={result.error} retry={() => refetch({ requestPolicy: "network-only" })} />;
  if (!result.data) return <Loading />;
  const merchant = result.data.node;
  if (merchant?.__typename !== "Merchant") return <NotFound />;
  const hidden = <Typography.Text type="secondary">{t("common.hidden")}</Typography.Text>;
  return (
    <Space direction="vertical" style={{ width: "100%" }} size="middle">
      <Button onClick={() => history.back()}>{t("common.back")}</Button>
      <Card title={<h1 style={{ margin: 0, fontSize: 22 }}>{merchant.name}</h1>}>
        <Descriptions column={{ xs: 1, sm: 2 }} bordered size="small">
          <Descriptions.Item label={t("directory.latinName")}>{merchant.nameLatin ?? ""}</Descriptions.Item>
          <Descriptions.Item label={t("common.hometown")}>
            {district.label(merchant.hometownDistrict, language)}
          </Descriptions.Item>
          <Descriptions.Item label={t("common.province")}>
            {province.label(merchant.provinceCode, language)}
          </Descriptions.Item>
          <Descriptions.Item label={t("directory.city")}>{merchant.city ?? ""}</Descriptions.Item>
          <Descriptions.Item label={t("directory.mobile")}>{merchant.mobile ?? hidden}</Descriptions.Item>
          <Descriptions.Item label={t("directory.landline")}>{merchant.landline ?? hidden}</Descriptions.Item>
          <Descriptions.Item label={t("directory.email")}>{merchant.email ?? hidden}</Descriptions.Item>
          <Descriptions.Item label={t("directory.wechat")}>{merchant.wechat ?? hidden}</Descriptions.Item>
          <Descriptions.Item label={t("common.tag")}>
            {merchant.tags.map((tag) => (
              <Tag color="red" key={tag}>
                {t(`directory.tags.${tag}`, { defaultValue: tag })}
              </Tag>
            ))}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title={t("directory.companies")} size="small">
        {merchant.companies.map((company) => (
          <Descriptions key={company.name} column={{ xs: 1, sm: 3 }} size="small" title={company.name}>
            <Descriptions.Item label={t("common.industry")}>
              {industry.label(company.industry, language)}
            </Descriptions.Item>
            <Descriptions.Item label={t("directory.role")}>{company.role ?? ""}</Descriptions.Item>
            {company.creditCode && (
              <Descriptions.Item label={t("directory.creditCode")}>{company.creditCode}</Descriptions.Item>
            )}
          </Descriptions>
        ))}
      </Card>
      <Card title={t("directory.memberships")} size="small">
        <Space wrap>
          {merchant.memberships.map((membership) => (
            <Tag key={membership.id}>
              {chamberName(membership.chamber, language)} · {t(`members.levels.${membership.level}`)} ·{" "}
              {t(`members.statuses.${membership.status}`)}
            </Tag>
          ))}
        </Space>
      </Card>
    </Space>
  );
}
