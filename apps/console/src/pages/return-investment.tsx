// Return investment (温商回归): the API for it arrives with another issue; until then a page that says so.
import { Result } from "antd";
import { useTranslation } from "react-i18next";

export function ReturnInvestmentPage() {
  const { t } = useTranslation();
  return (
    <Result
      status="info"
      title={t("returnInvestment.title")}
      subTitle={t("returnInvestment.body")}
      extra={t("common.comingSoon")}
    />
  );
}
