// Choosing merchants from the directory by search (one or several): the names already chosen stay labelled while
// the search changes.
import { Select } from "antd";
import { useState } from "react";
import { useQuery } from "urql";
import { DirectoryQuery } from "../operations";

export interface KnownMerchant {
  id: string;
  name: string;
}

export function MerchantSelect(props: {
  id?: string;
  value?: string | string[];
  onChange?: (value: string | string[]) => void;
  multiple?: boolean;
  /** Merchants already chosen (their names, before any search). */
  known?: readonly KnownMerchant[];
  "aria-label"?: string;
}) {
  const [search, setSearch] = useState("");
  const [names, setNames] = useState(() => new Map((props.known ?? []).map((m) => [m.id, m.name])));
  const [found] = useQuery({ query: DirectoryQuery, variables: { query: search, first: 10 }, pause: !search });
  const hits = found.data?.merchants.edges.map(({ node }) => ({
    value: node.id,
    label: `${node.name}${node.companies[0] ? ` · ${node.companies[0].name}` : ""}`,
    name: node.name,
  }));
  const chosen = (Array.isArray(props.value) ? props.value : props.value ? [props.value] : []).filter(
    (id) => !hits?.some((h) => h.value === id),
  );
  const options = [...chosen.map((id) => ({ value: id, label: names.get(id) ?? id })), ...(hits ?? [])];
  return (
    <Select
      id={props.id}
      aria-label={props["aria-label"]}
      mode={props.multiple ? "multiple" : undefined}
      showSearch
      filterOption={false}
      onSearch={setSearch}
      loading={found.fetching}
      value={props.value}
      options={options}
      onChange={(value: string | string[]) => {
        const next = new Map(names);
        for (const h of hits ?? []) next.set(h.value, h.name);
        setNames(next);
        props.onChange?.(value);
      }}
    />
  );
}
