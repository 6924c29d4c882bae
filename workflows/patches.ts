/**
 * Every live workflow patch, with its dates (the versioning rule: docs/architecture.md, "Changing a
 * workflow"). Until the first release there are no deployed runs, so there are none: a change simply
 * re-records test/histories. After it, each `patched(id)` / `deprecatePatch(id)` in workflows/ names an entry
 * here; test/unit/workflow-patches.test.ts fails when a call names none, when an entry is unused, when
 * `patched` is still called after `deprecateAfter`, and when a patch outlives `removeAfter`.
 */
export interface PatchEntry {
  /** The id given to patched() / deprecatePatch(). */
  id: string;
  /** What it changes, for whom. */
  why: string;
  /** The release that introduced it (YYYY-MM-DD). */
  introduced: string;
  /** From this date the code calls deprecatePatch(id): every run older than the change has ended. */
  deprecateAfter: string;
  /** From this date the patch and its old branch are removed (deprecateAfter + the longest run's life). */
  removeAfter: string;
}

export const PATCHES: readonly PatchEntry[] = [];
