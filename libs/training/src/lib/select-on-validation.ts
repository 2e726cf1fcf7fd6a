import { profitAt, selectBestModel, type CostTable, type Selection, type SelectionMetric } from '@purchase/evaluation';
import { heldOutLogLoss } from './candidate-calibration';
import type { TrainedCandidate } from './fit-candidate';

/**
 * Ranks the candidates by `metric` on validation (profit at each one's operating threshold); never
 * looks at test. Log loss is the calibration's cross-fitted one: the calibrated validation log loss
 * would be flattered by a calibration fitted to those very rows (the raw one when uncalibrated).
 */
export function selectOnValidation(trained: readonly TrainedCandidate[], metric: SelectionMetric, costs: CostTable): Selection {
  return selectBestModel(
    trained.map((t) => ({
      name: t.name,
      metrics: {
        f1: t.metrics.validation.f1,
        rocAuc: t.metrics.validation.rocAuc,
        prAuc: t.metrics.validation.prAuc,
        logLoss: heldOutLogLoss(t.calibration),
        profit: profitAt(t.metrics.validation, costs),
      },
    })),
    metric,
  );
}
