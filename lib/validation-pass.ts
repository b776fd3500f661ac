import { IConstruct } from 'constructs';

/**
 * One cdk8s validation pass over an App, as the library's synth-time checks share it. cdk8s
 * validates every construct of the App once per synth and again for every chart it renders
 * (`App.synthYaml`, `App.synth`, `Chart.toJson`), starting each pass at the root. Several checks
 * need every construct of the App (the topology check, the CNI inventory of every NAD): within one
 * pass they share one walk of the tree instead of walking it each.
 *
 * A pass starts at the root's own validation (cdk8s validates the root first) and its state is
 * dropped when the next pass starts or the current synchronous run ends. Only checks that run as
 * validations read it (a construct added after a synth is seen by the next synth, whose passes
 * start afresh); a call from elsewhere before the run ends would still get the last pass's walk,
 * so nothing else calls {@link constructsOfApp}.
 */
interface PassState {
  walk?: IConstruct[];
  /** What the checks computed from the walk, by key. */
  memo?: Map<symbol, unknown>;
}

const PASSES = new WeakMap<IConstruct, PassState>();
const HOOKED = new WeakSet<IConstruct>();

/** Makes the App of `scope` start a shared pass state at each validation pass (once per App). */
export function hookValidationPasses(scope: IConstruct): void {
  const root = scope.node.root;
  if (HOOKED.has(root)) return;
  HOOKED.add(root);
  root.node.addValidation({
    validate: () => {
      PASSES.set(root, {});
      queueMicrotask(() => PASSES.delete(root));
      return [];
    },
  });
}

/**
 * Every construct of the App of `scope`, in tree order: during a validation pass, the one walk
 * of the pass; otherwise a walk of its own.
 */
export function constructsOfApp(scope: IConstruct): readonly IConstruct[] {
  const root = scope.node.root;
  const pass = PASSES.get(root);
  if (!pass) return root.node.findAll();
  return pass.walk ??= root.node.findAll();
}

/**
 * A value computed once per validation pass of the App of `scope` (e.g. an index built from the
 * pass's walk), under `key`; computed afresh at every call outside a pass.
 */
export function memoInPass<T>(scope: IConstruct, key: symbol, compute: () => T): T {
  const pass = PASSES.get(scope.node.root);
  if (!pass) return compute();
  const memo = pass.memo ??= new Map();
  if (!memo.has(key)) memo.set(key, compute());
  return memo.get(key) as T;
}
