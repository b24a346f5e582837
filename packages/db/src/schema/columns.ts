// Column helpers shared by every table: ids, timestamps and money all look the same everywhere.
import { numeric, timestamp, uuid } from "drizzle-orm/pg-core";

export const id = () => uuid("id").primaryKey().defaultRandom();
/** For tenant tables whose primary key is (chamber_id, id): the id alone is not the key. */
export const tenantRowId = () => uuid("id").notNull().defaultRandom();
export const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();
export const updatedAt = () => timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();
/** CNY amounts: exact decimal, carried as a string so no float ever touches money. */
export const money = (name: string) => numeric(name, { precision: 16, scale: 2 });
