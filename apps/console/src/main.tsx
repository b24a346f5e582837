// Entry: strings, then the app.
import "./styles.css";
import { createRoot } from "react-dom/client";
import { App } from "./app";
import { initI18n } from "./i18n";

initI18n();
createRoot(document.getElementById("root")!).render(<App />);
