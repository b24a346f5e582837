// `npm run db:seed -- --demo`: load the demo data into an empty database. Without --demo it does nothing,
// so demo accounts never reach a real database by accident.
import { seedDemoData } from "@wz/core/demo";
import { isEmpty } from "@wz/db";
import { openConfiguredDatabase } from "../app";
import { readEnv } from "../env";
import { createLogger } from "../logger";
import { exitOnStartupError } from "../startup";

const env = readEnv();
const logger = createLogger(env.LOG_LEVEL);
if (!process.argv.includes("--demo")) {
  logger.error({}, "Nothing to do: pass --demo to load the demo data (npm run db:seed -- --demo).");
  process.exit(2);
}
const database = await openConfiguredDatabase(env, logger).catch(exitOnStartupError);
if (!(await isEmpty(database.db))) {
  logger.error({}, "The database already holds chambers; demo data is loaded only into an empty database.");
  await database.close();
  process.exit(1);
}
logger.info(await seedDemoData(database.db), "demo data loaded (accounts use password demo-password)");
await database.close();
