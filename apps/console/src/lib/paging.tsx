// Cursor paging for any Relay connection: forward with first/after, back with last/before.
import { Button, Space, Typography } from "antd";
import { useCallback, useState } from "react";
import { useTranslation } from "react-i18next";

export interface PageVariables {
  first?: number;
  after?: string;
  last?: number;
  before?: string;
}

interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export function usePaging(size: number) {
  const [variables, setVariables] = useState<PageVariables>({ first: size });
  const reset = useCallback(() => setVariables({ first: size }), [size]);
  return {
    variables,
    reset,
    next: (info: PageInfo) => info.endCursor && setVariables({ first: size, after: info.endCursor }),
    prev: (info: PageInfo) => info.startCursor && setVariables({ last: size, before: info.startCursor }),
    isFirstPage: !variables.after && !variables.before,
  };
}

/**
 * Calls `reset` whenever any of `keys` changes (by identity), e.g. back to the first page when a filter changes.
 * Runs during render (React's "adjust state when a value changes" pattern), so the stale page is never fetched.
 */
export function useResetOnChange(reset: () => void, keys: readonly unknown[]) {
  const [seen, setSeen] = useState(keys);
  if (keys.length !== seen.length || keys.some((key, i) => !Object.is(key, seen[i]))) {
    setSeen(keys);
    reset();
  }
}

export function Pager(props: {
  paging: ReturnType<typeof usePaging>;
  pageInfo: PageInfo | undefined;
  totalCount: number | undefined;
  label: string;
}) {
  const { t } = useTranslation();
  const { pageInfo, paging } = props;
  // Backwards from the last page, hasNextPage is not computed by Relay servers: the cursor we came from exists.
  const hasNext = pageInfo ? pageInfo.hasNextPage || Boolean(paging.variables.before) : false;
  const hasPrev = pageInfo ? pageInfo.hasPreviousPage || Boolean(paging.variables.after) : false;
  return (
    <nav aria-label={props.label} style={{ display: "flex", justifyContent: "space-between", marginTop: 12 }}>
      <Typography.Text type="secondary">{t("common.total", { count: props.totalCount ?? 0 })}</Typography.Text>
      <Space>
        <Button disabled={!hasPrev} onClick={() => pageInfo && paging.prev(pageInfo)}>
          {t("common.prev")}
        </Button>
        <Button disabled={!hasNext} onClick={() => pageInfo && paging.next(pageInfo)}>
          {t("common.next")}
        </Button>
      </Space>
    </nav>
  );
}
