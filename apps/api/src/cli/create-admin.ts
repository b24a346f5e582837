// `npm run admin:create -- --email a@b.org --name "Name"`: creates the first federation administrator.
// The password comes from ADMIN_PASSWORD or, interactively, from standard input (never from argv).

import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { createFederationAdmin, UserInputError } from "@wz/core";
import { openConfiguredDatabase } from "../app";
import { readEnv } from "../env";
import { createLogger } from "../logger";
import { exitOnStartupError } from "../startup";

const { values } = parseArgs({ options: { email: { type: "string" }, name: { type: "string" } } });
if (!values.email) {
  process.stderr.write(
    'Usage: npm run admin:create -- --email admin@example.org [--name "Display name"]  ' +
      "(password: ADMIN_PASSWORD or stdin)\n",
  );
  process.exit(2);
}
let password = process.env.ADMIN_PASSWORD ?? "";
if (!password) {
  // Asked on a terminal, or read as the first line of piped input; with neither, say so rather than hang.
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: Boolean(process.stdin.isTTY) });
  const ended = new Promise<string>((resolve) => rl.once("close", () => resolve("")));
  password = (await Promise.race([rl.question("Password (at least 10 characters): "), ended])).trim();
  rl.close();
  if (!password) {
    process.stderr.write("\nNo password given: set ADMIN_PASSWORD, or run this on a terminal to be asked for one.\n");
    process.exit(64); // EX_USAGE
  }
}
const env = readEnv();
const logger = createLogger(env.LOG_LEVEL);
const database = await openConfiguredDatabase(env, logger).catch(exitOnStartupError);
try {
  const result = await createFederationAdmin(database.db, {
    email: values.email,
    password,
    displayName: values.name ?? values.email,
  });
  logger.info(
    result,
    result.created ? "federation administrator created" : "existing user made federation administrator",
  );
} catch (error) {
  if (error instanceof UserInputError) {
    process.stderr.write(`${error.errors.map((e) => `${e.field?.join(".") ?? ""}: ${e.message}`).join("\n")}\n`);
    process.exitCode = 1;
  } else throw error;
} finally {
  await database.close();
}
