import { profitAt, selectBestModel, type CostTable, type Selection, type SelectionMetric } from '@purchase/evaluation';
import type { TrainedCandidate } from './fit-candidate';

/** Ranks the candidates by `metric` on validation (profit at each one's operating threshold); never looks at test. */
export function selectOnValidation(trained: readonly TrainedCandidate[], metric: SelectionMetric, costs: CostTable): Selection {
  return selectBestModel(
    trained.map((t) => ({
      name: t.name,
      metrics: {
        f1: t.metrics.validation.f1,
        rocAuc: t.metrics.validation.rocAuc,
        prAuc: t.metrics.validation.prAuc,
        logLoss: t.metrics.validation.logLoss,
        profit: profitAt(t.metrics.validation, costs),
      },
    })),
    metric,
  );
}
