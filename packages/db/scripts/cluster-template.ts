// `npm run db:cluster-template` (run by `npm ci`): makes the PGlite cluster template new databases start from.
import { clusterTemplatePath, ensureClusterTemplate } from "../src/cluster-template";

const started = Date.now();
const made = await ensureClusterTemplate();
console.log(
  made
    ? `PGlite cluster template made in ${((Date.now() - started) / 1000).toFixed(1)} s: ${clusterTemplatePath}`
    : `PGlite cluster template present: ${clusterTemplatePath}`,
);
