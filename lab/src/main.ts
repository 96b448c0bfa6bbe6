/**
 * The Lab's entry: hash routes `#/<route>` (the zoo's task names) and the home page `#/`.
 * A page is live when lab/src/pages/<route>/view.ts exists (its trainer.ts beside it).
 */
import "uplot/dist/uPlot.min.css";
import "./style.css";
import { pageInfo } from "./catalog.ts";
import { renderComing, renderHome, renderNotFound } from "./home.ts";
import type { PageDefinition } from "./protocol.ts";
import { mountPage } from "./shell.ts";

const views = import.meta.glob<PageDefinition<unknown, unknown>>("./pages/*/view.ts", { import: "default" });
const live = new Set(Object.keys(views).map((path) => path.split("/")[2]));

const app = document.getElementById("app")!;
let unmount: (() => void) | undefined;
let navigation = 0;

async function show(): Promise<void> {
  const id = ++navigation;
  unmount?.();
  unmount = undefined;
  app.replaceChildren();
  window.scrollTo(0, 0);
  const route = decodeURIComponent(location.hash.replace(/^#\/?/, ""));
  const info = pageInfo(route);
  document.title = info ? `${info.title} · nnzoo Lab` : "nnzoo Lab";
  if (route === "") return renderHome(app, live);
  if (!info) return renderNotFound(app, route);
  const load = views[`./pages/${route}/view.ts`];
  if (!load) return renderComing(app, info);
  const page = await load();
  if (id !== navigation) return; // the user moved on while the page loaded
  unmount = mountPage(app, info, page);
}

window.addEventListener("hashchange", () => void show());
void show();
