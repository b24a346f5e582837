// Debian's Chromium for the browser tests (Playwright's own download cannot work here), started headless with
// everything that would reach out to the network turned off.
import { existsSync } from "node:fs";

export const chromiumPath = "/usr/bin/chromium";
export const haveChromium = existsSync(chromiumPath);
export const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
