// A page's query that reads again from the API when the page's `version` moves on (after a change made on the
// page), with the retry its error state offers.
import { useCallback, useEffect } from "react";
import { type AnyVariables, type UseQueryArgs, type UseQueryState, useQuery } from "urql";

export function useFreshQuery<D, V extends AnyVariables>(
  args: UseQueryArgs<V, D>,
  version: number,
): [UseQueryState<D, V>, () => void] {
  const [result, refetch] = useQuery<D, V>({ requestPolicy: "cache-and-network", ...args });
  useEffect(() => {
    if (version > 0) refetch({ requestPolicy: "network-only" });
  }, [version, refetch]);
  const retry = useCallback(() => refetch({ requestPolicy: "network-only" }), [refetch]);
  return [result, retry];
}
