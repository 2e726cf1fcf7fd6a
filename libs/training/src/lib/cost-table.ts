import type { CostTable } from '@purchase/evaluation';
import type { DatasetSpec } from '@purchase/preprocessing';

/** Used when neither the spec nor the caller gives a cost table. */
export const DEFAULT_COSTS: CostTable = { foundPurchaseValue: 10, nonBuyerTargetingCost: 2 };

/** The costs a training uses: each value from the overrides, else the spec's `costs`, else DEFAULT_COSTS. */
export function resolveCosts(spec: DatasetSpec, overrides: Partial<CostTable> = {}): CostTable {
  return {
    foundPurchaseValue: overrides.foundPurchaseValue ?? spec.costs?.foundPurchaseValue ?? DEFAULT_COSTS.foundPurchaseValue,
    nonBuyerTargetingCost:
      overrides.nonBuyerTargetingCost ?? spec.costs?.nonBuyerTargetingCost ?? DEFAULT_COSTS.nonBuyerTargetingCost,
  };
}
