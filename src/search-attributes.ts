/**
 * Custom search attributes kubeproof upserts so the Temporal Web UI and `kubeproof list` can filter runs.
 * They must be registered on the server (scripts/stack registers them on the dev server; see the README for
 * `temporal operator search-attribute create` on a real deployment).
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const SearchAttr = {
  Scenario: defineSearchAttributeKey('KubeproofScenario', SearchAttributeType.KEYWORD),
  Cluster: defineSearchAttributeKey('KubeproofCluster', SearchAttributeType.KEYWORD),
  Verdict: defineSearchAttributeKey('KubeproofVerdict', SearchAttributeType.KEYWORD),
  Grade: defineSearchAttributeKey('KubeproofGrade', SearchAttributeType.KEYWORD),
  Regression: defineSearchAttributeKey('KubeproofRegression', SearchAttributeType.KEYWORD),
  RunKind: defineSearchAttributeKey('KubeproofRunKind', SearchAttributeType.KEYWORD),
} as const;
