// Structured JSON logs (pino); each request's lines carry its request id.
import { type Logger, pino } from "pino";

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: "wenzhou-chambers-api" }, timestamp: pino.stdTimeFunctions.isoTime });
}
