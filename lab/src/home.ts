/** The home page: the lesson's map, one card per network with its applications. */
import { type Network, NETWORKS, pageInfo, type PageInfo } from "./catalog.ts";
import { h } from "./dom.ts";

/** The issues that bring the pages not built yet (see `issues show N`). */
const ISSUE_TITLES: Record<number, string> = {
  5: "Sequence zoo I",
  6: "Sequence zoo II",
  7: "Generative zoo I",
  8: "Generative zoo II",
};

export function comingWith(info: PageInfo): string {
  const title = ISSUE_TITLES[info.issue];
  return `coming with issue #${info.issue}${title ? ` (${title})` : ""}`;
}

export function renderHome(root: HTMLElement, live: ReadonlySet<string>): void {
  root.append(
    h("section", { class: "intro" },
      h("h1", {}, "The neural-network zoo, live"),
      h("p", {},
        "Every network of the lesson, trained in your browser while you watch. ",
        "Training runs in a background worker with nnzoo's own tensors and autograd; ",
        "pick a network and press Train.")),
    h("div", { class: "cards" }, ...NETWORKS.map((n) => card(n, live))));
}

function card(network: Network, live: ReadonlySet<string>): HTMLElement {
  const anyLive = network.applications.some((a) => live.has(a.route));
  return h("section", { class: `card${anyLive ? " live" : ""}`, "data-testid": "card" },
    h("h2", {}, network.name),
    h("p", { class: "idea" }, network.idea),
    h("ul", {}, ...network.applications.map((a) => {
      const info = pageInfo(a.route)!;
      return live.has(a.route)
        ? h("li", {}, h("a", { href: `#/${a.route}` }, a.label, " →"))
        : h("li", { class: "soon" }, a.label, h("span", { class: "badge" }, comingWith(info)));
    })));
}

/** A route whose page is not built yet: says so, honestly. */
export function renderComing(root: HTMLElement, info: PageInfo): void {
  root.append(h("article", { class: "coming", "data-route": info.route },
    h("h1", {}, info.title),
    h("p", {}, info.blurb),
    h("p", { class: "badge big" }, `This page is ${comingWith(info)}.`),
    h("p", {}, h("a", { href: "#/" }, "← all networks"))));
}

export function renderNotFound(root: HTMLElement, route: string): void {
  root.append(h("article", { class: "coming" },
    h("h1", {}, "No such page"),
    h("p", {}, `There is no page "${route}".`),
    h("p", {}, h("a", { href: "#/" }, "← all networks"))));
}
