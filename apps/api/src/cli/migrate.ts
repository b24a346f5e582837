// `npm run db:migrate`: apply pending migrations to DATABASE_URL (or the embedded database) and exit.
import { openConfiguredDatabase } from "../app";
import { readEnv } from "../env";
import { createLogger } from "../logger";
import { exitOnStartupError } from "../startup";

const env = readEnv();
const logger = createLogger(env.LOG_LEVEL);
const database = await openConfiguredDatabase(env, logger).catch(exitOnStartupError);
logger.info({}, "migrations applied");
await database.close();
