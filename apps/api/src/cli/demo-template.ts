// `npm run db:demo-template` (run by `npm ci`): keeps today's seeded demo database, so the first `npm start` on
// a new data folder starts from it instead of loading the demo (see ../demo-template.ts). Nothing when one is kept.
import { refreshChamberSortKeys } from "@wz/core";
import { seedDemoData } from "@wz/core/demo";
import { openDatabase } from "@wz/db";
import { demoTemplatePath, readDemoTemplate, saveDemoTemplate } from "../demo-template";

const started = Date.now();
const path = demoTemplatePath();
if (readDemoTemplate(path)) {
  console.log(`demo database present: ${path}`);
} else {
  const database = await openDatabase({});
  try {
    await database.migrate();
    await refreshChamberSortKeys(database.db);
    await seedDemoData(database.db);
    if (database.dump) await saveDemoTemplate(await database.dump(), path);
  } finally {
    await database.close();
  }
  console.log(`demo database kept in ${((Date.now() - started) / 1000).toFixed(1)} s: ${path}`);
}
