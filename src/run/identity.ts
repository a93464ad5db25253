/**
 * A run's identity in the cluster, derived from its workflow id alone. Temporal gives a run a new run id on
 * Reset and on continue-as-new, but never a new workflow id: names and labels derived from the workflow id
 * therefore keep pointing at what the first attempt created, and cleanup can always find it.
 */

/** 16 lowercase hex characters: two independent 32-bit FNV-1a hashes of the workflow id. Deterministic. */
export function runKeyOf(workflowId: string): string {
  const fnv = (seed: number): number => {
    let h = seed >>> 0;
    for (let i = 0; i < workflowId.length; i++) {
      h ^= workflowId.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  };
  const hex = (n: number) => n.toString(16).padStart(8, '0');
  return hex(fnv(0x811c9dc5)) + hex(fnv(0x050c5d1f));
}

/** `kp-<scenario>-<12 hex of the run key>`, a valid DNS-1123 label (≤ 63 chars). */
export function namespaceFor(scenario: string, runKey: string): string {
  const short = runKey
    .replace(/[^a-z0-9]/gi, '')
    .toLowerCase()
    .slice(-12);
  return `kp-${scenario.slice(0, 63 - 4 - short.length - 1)}-${short}`.replace(/-+$/, '');
}
