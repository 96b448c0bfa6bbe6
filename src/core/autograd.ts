import { fail, fmtShape } from "./errors.js";
import { sameShape } from "./shape.js";
import type { Tensor } from "./tensor.js";

/**
 * Define-by-run, reverse-mode autograd. Every op that sees an input requiring grad calls
 * `record`, which hangs a Node on its output: the inputs and a closure that maps the
 * output's gradient to one gradient per input. The closure is written right beside the
 * op's forward (src/core/ops), in terms of other ops, micrograd-style.
 */
export interface Node {
  /** The op's name, for error messages. */
  readonly name: string;
  /** The op's tensor inputs, in the order `backward` returns their gradients. */
  inputs: Tensor[];
  /** Maps dL/d(output) to dL/d(input) for each input (null: no gradient); null once freed. */
  backward: ((grad: Tensor) => Array<Tensor | null>) | null;
}

let gradEnabled = true;

/** Runs fn without recording a graph (inference, optimizer updates). fn must be synchronous. */
export function noGrad<T>(fn: () => T): T {
  const prev = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}

export function isGradEnabled(): boolean {
  return gradEnabled;
}

export function setGradEnabled(enabled: boolean): void {
  gradEnabled = enabled;
}

/** Attaches a Node to `out` when grad is enabled and any input requires grad; returns `out`. */
export function record(name: string, out: Tensor, inputs: Tensor[], backward: (grad: Tensor) => Array<Tensor | null>): Tensor {
  if (!gradEnabled) return out;
  let needed = false;
  for (const t of inputs) if (t.requiresGrad) needed = true;
  if (!needed) return out;
  out._setGradFn({ name, inputs, backward });
  return out;
}

/** Hooks the engine needs from Tensor without importing the class (which imports us). */
export interface GradOps {
  add(a: Tensor, b: Tensor): Tensor;
  cast(t: Tensor, like: Tensor): Tensor;
  accumulateInto(target: Tensor, g: Tensor): void;
  copyOf(t: Tensor): Tensor;
}

/**
 * Back-propagates `grad` from `root`. The graph is sorted iteratively (an RNN unrolled
 * over 10,000 steps would overflow a recursive sort), gradients from several consumers
 * are summed, leaves accumulate into `.grad`, and unless retainGraph each node's
 * closure and inputs are dropped once used, which frees the saved tensors.
 */
export function runBackward(root: Tensor, grad: Tensor, retainGraph: boolean, ops: GradOps): void {
  // Post-order DFS with an explicit stack: a tensor is emitted after all its inputs.
  const order: Tensor[] = [];
  const visited = new Set<Tensor>([root]);
  const stack: Array<{ t: Tensor; next: number }> = [{ t: root, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const inputs = top.t.gradFn?.inputs ?? [];
    if (top.next < inputs.length) {
      const child = inputs[top.next++];
      if (child.requiresGrad && !visited.has(child)) {
        visited.add(child);
        stack.push({ t: child, next: 0 });
      }
    } else {
      stack.pop();
      order.push(top.t);
    }
  }

  const grads = new Map<Tensor, Tensor>([[root, grad]]);
  const prev = gradEnabled;
  gradEnabled = false; // no higher-order gradients: backward closures build no graph
  try {
    for (let k = order.length - 1; k >= 0; k--) {
      const t = order[k];
      const g = grads.get(t);
      if (g === undefined) continue;
      grads.delete(t);
      const fn = t.gradFn;
      if (fn === null || t.retainsGrad) {
        if (t.grad === null) t.grad = ops.copyOf(g);
        else ops.accumulateInto(t.grad, g);
      }
      if (fn === null) continue;
      if (fn.backward === null) {
        fail("backward", `tried to backward through the graph a second time (the saved tensors of ${fn.name} were freed by the first backward); pass { retainGraph: true } to the first backward if you need to`);
      }
      const inGrads = fn.backward(g);
      const inputs = fn.inputs;
      if (!retainGraph) {
        fn.backward = null;
        fn.inputs = [];
      }
      for (let i = 0; i < inputs.length; i++) {
        const x = inputs[i];
        let gi = inGrads[i];
        if (!x.requiresGrad || gi === null || gi === undefined) continue;
        if (!sameShape(gi.shape, x.shape)) {
          fail("backward", `internal error: ${fn.name} returned a gradient of shape ${fmtShape(gi.shape)} for input ${i} of shape ${fmtShape(x.shape)}`);
        }
        if (gi.dtype !== x.dtype) gi = ops.cast(gi, x);
        const acc = grads.get(x);
        grads.set(x, acc === undefined ? gi : ops.add(acc, gi));
      }
    }
  } finally {
    gradEnabled = prev;
  }
}
