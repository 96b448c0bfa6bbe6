/**
 * Models persist: Save/Load keep a page's weights in this browser (IndexedDB, via idb-keyval);
 * Download/Upload move them as a safetensors file (the same format the CLI and PyTorch read).
 * The worker does the (de)serialising; a file that does not parse, is for another page, or
 * does not fit the page's model as it is set now is refused and changes nothing.
 */
import { get, set } from "idb-keyval";
import { h } from "./dom.ts";
import type { FromWorker, ToWorker } from "./protocol.ts";

type Reply = Extract<FromWorker, { type: "weights" } | { type: "loaded" }>;

/** The IndexedDB key of a page's saved model. */
export const savedKey = (route: string): string => `nnzoo-lab/${route}/model`;

interface Saved {
  bytes: Uint8Array;
  step: number;
  savedAt: string;
}

export interface PersistControls {
  element: HTMLElement;
  /** Hands the worker's answer to an export/import to the request that asked. */
  onMessage(msg: Reply): void;
}

export function persistControls(route: string, send: (m: ToWorker) => void): PersistControls {
  let nextId = 1;
  const pending = new Map<number, (reply: Reply) => void>();
  const ask = (make: (id: number) => ToWorker): Promise<Reply> =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      send(make(id));
    });

  const status = h("p", { class: "hint persist-status", role: "status", "data-testid": "persist-status" }, "");
  const say = (text: string, ok = true) => {
    status.textContent = text;
    status.classList.toggle("error", !ok);
  };

  /** The weights as safetensors bytes, or null (said why). */
  async function weights(): Promise<{ bytes: Uint8Array; step: number } | null> {
    const reply = await ask((id) => ({ type: "export", id }));
    if (reply.type === "weights") return reply;
    say(reply.message, false);
    return null;
  }

  async function load(bytes: Uint8Array, source: string): Promise<void> {
    const reply = await ask((id) => ({ type: "import", id, bytes, source }));
    if (reply.type === "loaded") say(reply.message, reply.ok);
  }

  const save = h("button", {
    "data-testid": "save", title: "keep the weights in this browser (IndexedDB)",
    onclick: async () => {
      const w = await weights();
      if (!w) return;
      try {
        await set(savedKey(route), { bytes: w.bytes, step: w.step, savedAt: new Date().toISOString() } satisfies Saved);
        say(`Saved step ${w.step.toLocaleString("en")} in this browser.`);
      } catch (e) {
        say(`Could not save in this browser: ${(e as Error).message}`, false);
      }
    },
  }, "Save");
  const restore = h("button", {
    "data-testid": "load", title: "load the weights saved in this browser",
    onclick: async () => {
      let saved: Saved | undefined;
      try {
        saved = await get<Saved>(savedKey(route));
      } catch (e) {
        say(`Could not read this browser's storage: ${(e as Error).message}`, false);
        return;
      }
      if (!saved) say("Nothing saved for this page in this browser yet.", false);
      else await load(saved.bytes, `the model saved ${saved.savedAt.slice(0, 16).replace("T", " ")}`);
    },
  }, "Load");
  const download = h("button", {
    "data-testid": "download", title: "download the weights as a .safetensors file",
    onclick: async () => {
      const w = await weights();
      if (!w) return;
      const url = URL.createObjectURL(new Blob([w.bytes as Uint8Array<ArrayBuffer>], { type: "application/octet-stream" }));
      const a = h("a", { href: url, download: `nnzoo-${route}-step${w.step}.safetensors` });
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      say(`Downloaded step ${w.step.toLocaleString("en")}.`);
    },
  }, "Download");
  const file = h("input", {
    type: "file", accept: ".safetensors", hidden: true, "data-testid": "upload",
    onchange: async () => {
      const f = file.files?.[0];
      file.value = "";
      if (f) await load(new Uint8Array(await f.arrayBuffer()), f.name);
    },
  });
  const upload = h("button", { title: "load weights from a .safetensors file", onclick: () => file.click() }, "Upload…");

  return {
    element: h("div", { class: "persist" }, h("div", { class: "controls small" }, save, restore, download, upload, file), status),
    onMessage(msg) {
      const resolve = pending.get(msg.id);
      pending.delete(msg.id);
      resolve?.(msg);
    },
  };
}
