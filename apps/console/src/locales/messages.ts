// The shape every language's strings must have: zh-CN's keys, each a string.
import type { zhCN } from "./zh-CN";

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };
export type Messages = Shape<typeof zhCN>;
