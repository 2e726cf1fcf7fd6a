import type { CalibrationMethod } from '@purchase/models';
import { compareWithBaseline } from './always-purchase-baseline';
import type { SplitMetrics } from './evaluate-scores';
import {
  formatCount,
  formatDifference,
  formatMetric,
  formatMoney,
  formatPercent,
  formatPValue,
  formatThreshold,
} from './number-format';
import type { ReliabilityBin } from './reliability-table';
import type { EvaluationReport, ModelReport } from './report-data';
import type { ReportBlock, ReportCell, ReportDocument, ReportSection, ReportTable } from './report-document';
import type { LinePlot } from './svg-line-plot';
import { profitAt } from './threshold-choice';
import type { ConfusionCounts } from './threshold-metrics';

export const BASELINE_NAME = 'always purchase (baseline)';

const METRIC_HEADER = ['model', 'threshold', 'accuracy', 'precision', 'recall', 'F1', 'ROC AUC', 'PR AUC', 'log loss', 'Brier', 'TP', 'FP', 'TN', 'FN'];

const SELECTION_LABEL: Record<EvaluationReport['selection']['metric'], string> = {
  f1: 'F1',
  roc_auc: 'ROC AUC',
  pr_auc: 'PR AUC',
  log_loss: 'log loss',
  profit: 'profit',
};

/** Checks the report data hangs together; messages name the missing piece. */
export function checkReport(report: EvaluationReport): void {
  if (report.models.length === 0) throw new Error('the report has no models');
  if (report.splits.length === 0) throw new Error('the report has no splits');
  const names = new Set<string>();
  for (const m of report.models) {
    if (names.has(m.name)) throw new Error(`two models are named "${m.name}"`);
    names.add(m.name);
    for (const split of report.splits) {
      if (!m.metrics[split]) throw new Error(`model "${m.name}" has no metrics for split "${split}"`);
    }
  }
  for (const split of report.splits) {
    if (!report.baseline[split]) throw new Error(`the baseline has no metrics for split "${split}"`);
  }
  if (!names.has(report.selection.selected)) {
    throw new Error(`the selected model "${report.selection.selected}" is not among the models (${[...names].join(', ')})`);
  }
  if (report.impactSplit !== undefined && !report.splits.includes(report.impactSplit)) {
    throw new Error(`impactSplit "${report.impactSplit}" is not one of the splits (${report.splits.join(', ')})`);
  }
}

/** The whole report as format-neutral sections (see report-document.ts). */
export function buildReportDocument(report: EvaluationReport): ReportDocument {
  checkReport(report);
  const sections: ReportSection[] = [
    summarySection(report),
    dataSection(report),
    ...report.splits.map((split) => metricsSection(report, split)),
    baselineSection(report),
  ];
  const optional = [
    crossValidationSection(report),
    ...tuningSections(report),
    intervalsSection(report),
    thresholdsSection(report),
    businessImpactSection(report),
    probabilityCalibrationSection(report),
    ...plotSections(report),
    ...calibrationSections(report),
    correlationSection(report),
    permutationSection(report),
  ];
  for (const s of optional) if (s) sections.push(s);
  sections.push(...modelCardSections(report));
  return { title: report.title, sections };
}

function lastSplit(report: EvaluationReport): string {
  return report.splits[report.splits.length - 1];
}

function modelLabel(report: EvaluationReport, m: ModelReport): ReportCell {
  return m.name === report.selection.selected ? { text: `${m.name} (selected)`, strong: true } : m.name;
}

function selectedModel(report: EvaluationReport): ModelReport {
  return report.models.find((m) => m.name === report.selection.selected) as ModelReport;
}

type With<K extends keyof ModelReport> = ModelReport & Required<Pick<ModelReport, K>>;

/** The models that have `key` filled in, typed so. */
function having<K extends keyof ModelReport>(models: ModelReport[], key: K): With<K>[] {
  return models.filter((m): m is With<K> => m[key] !== undefined);
}

function section(title: string, blocks: ReportBlock[], level: 2 | 3 = 2): ReportSection {
  return { title, level, blocks };
}

function table(header: string[], rows: ReportCell[][], align?: ReportTable['align']): ReportBlock {
  return { kind: 'table', table: { header, rows, align } };
}

function summarySection(report: EvaluationReport): ReportSection {
  const split = lastSplit(report);
  const selected = selectedModel(report);
  const metricLabel = SELECTION_LABEL[report.selection.metric];
  const ranking = report.models.map((m) => m.name).join(', ');
  const blocks: ReportBlock[] = [];
  const header = [`Created ${report.createdAt}`];
  if (report.version) header.push(`bundle version ${report.version}`);
  blocks.push({ kind: 'paragraph', text: header.join(', ') + '.' });
  blocks.push({
    kind: 'paragraph',
    text:
      `Selected model: ${selected.name}, the best ${metricLabel} on ${heldOutPhrase(report.selection.chosenOn)} ` +
      `among ${report.models.length} candidate${report.models.length === 1 ? '' : 's'} (${ranking}).`,
  });
  blocks.push({ kind: 'paragraph', text: selectionMethodText(report) });
  const comparison = compareWithBaseline(selected.metrics[split], report.baseline[split]);
  blocks.push({ kind: 'paragraph', text: `On the ${split} split, ${selected.name} ${comparison.verdict}.` });
  const beaters = report.models.filter((m) => compareWithBaseline(m.metrics[split], report.baseline[split]).beatsOnF1);
  blocks.push({
    kind: 'paragraph',
    text:
      beaters.length === 0
        ? `No model beats the always-purchase baseline on ${split} F1 (${formatMetric(report.baseline[split].f1)}).`
        : `${beaters.length} of ${report.models.length} models beat the always-purchase baseline on ${split} F1 ` +
          `(${formatMetric(report.baseline[split].f1)}): ${beaters.map((m) => m.name).join(', ')}.`,
  });
  return section('Summary', blocks);
}

/** How the held-out predictions that selection, thresholds and calibration saw were made. */
/** 'the validation split', or 'the out-of-fold predictions' for the held-out predictions of a cross-validation. */
function heldOutPhrase(split: string): string {
  return split === 'out-of-fold' ? 'the out-of-fold predictions' : `the ${split} split`;
}

function selectionMethodText(report: EvaluationReport): string {
  const cv = report.selection.crossValidation;
  const test = lastSplit(report);
  if (!cv) {
    return `Selection, thresholds and calibration on the ${report.selection.chosenOn} split; the models were fitted on the train split, and the ${test} split was only scored.`;
  }
  const why = cv.byDefault ? `, the default below ${formatCount(cv.defaultBelowRows)} rows` : '';
  return (
    `Selection, thresholds and calibration on ${report.selection.chosenOn} predictions: stratified ${cv.folds}-fold cross-validation ` +
    `(${cv.repeats} repeat${cv.repeats === 1 ? '' : 's'}) of the ${formatCount(cv.rows)} rows of train + validation${why}. ` +
    `The final models were then refitted on all of train + validation with the cross-validated settings; the ${test} split was only scored.`
  );
}

function crossValidationSection(report: EvaluationReport): ReportSection | undefined {
  const models = having(report.models, 'crossValidation');
  if (models.length === 0) return undefined;
  const metric = SELECTION_LABEL[models[0].crossValidation.metric];
  const spread = (s: { mean: number; sd: number }) => `${formatMetric(s.mean)} ± ${formatMetric(s.sd)}`;
  return section('Cross-validation', [
    {
      kind: 'paragraph',
      text:
        `Per model, the mean ± sd over folds (and repeats) of the selection metric (${metric}) and of ROC AUC, each fold at the model's operating threshold; ` +
        'and, for models that stop early, the steps (trees, epochs) the final model was refitted to: the mean of the folds\' early-stopping steps.',
    },
    table(
      ['model', 'folds x repeats', `${metric} (mean ± sd)`, 'ROC AUC (mean ± sd)', 'refitted to'],
      models.map((m) => [
        modelLabel(report, m),
        `${m.crossValidation.folds} x ${m.crossValidation.repeats}`,
        spread(m.crossValidation.selection),
        spread(m.crossValidation.rocAuc),
        m.crossValidation.steps === undefined ? '-' : formatCount(m.crossValidation.steps),
      ]),
    ),
  ]);
}

function tuningSections(report: EvaluationReport): ReportSection[] {
  return having(report.models, 'tuning').map((m) => {
    const t = m.tuning;
    const names = Object.keys(t.trials[0].hyperparameters);
    const rows = t.trials.map((trial, i): ReportCell[] => {
      const label = i === t.best ? { text: `${i === 0 ? 'defaults' : i} (chosen)`, strong: true as const } : i === 0 ? 'defaults' : String(i);
      const steps = t.stepUnit === undefined ? [] : [hyperparameterText(trial.steps)];
      return [label, ...names.map((n) => hyperparameterText(trial.hyperparameters[n])), ...steps, formatMetric(trial.logLoss), formatMetric(trial.rocAuc)];
    });
    const stopping = t.stepUnit === undefined ? '' : ', early stopping on each held-out fold';
    return section(`Hyperparameter search (${m.name})`, [
      {
        kind: 'paragraph',
        text:
          `Seeded random search: the defaults and ${t.trials.length - 1} random configurations, each cross-validated on the same ` +
          `${t.folds} stratified folds x ${t.repeats} of train + validation${stopping}; the lowest out-of-fold log loss ` +
          `(of the raw probabilities) is chosen and trained with. Search space: ${t.space}.`,
      },
      table(['trial', ...names, ...(t.stepUnit === undefined ? [] : [`${t.stepUnit} (mean stop)`]), 'out-of-fold log loss', 'out-of-fold ROC AUC'], rows),
    ]);
  });
}

/** A searched value as the report prints it: counts grouped, layer sizes as 64-32, the rest as trained with. */
function hyperparameterText(x: number | string | readonly number[] | undefined): string {
  if (x === undefined) return '-';
  if (typeof x === 'string') return x;
  if (typeof x === 'number') return Number.isInteger(x) ? formatCount(x) : String(x);
  return x.join('-');
}

/** The model card's line on a searched model: which trial it is and the values it was trained with. */
function chosenHyperparameters(m: ModelReport): string[] {
  if (!m.tuning) return [];
  const t = m.tuning;
  const chosen = t.trials[t.best];
  const values = Object.entries(chosen.hyperparameters).map(([k, v]) => `${k} ${hyperparameterText(v)}`);
  const which = t.best === 0 ? 'the defaults, the best' : `trial ${t.best}`;
  const against = t.best === 0 ? '' : ` against ${formatMetric(t.trials[0].logLoss)} for the defaults`;
  return [
    `Hyperparameters: ${which} of a seeded random search of ${t.trials.length} configurations (${t.folds}-fold x ${t.repeats} cross-validation, ` +
      `out-of-fold log loss ${formatMetric(chosen.logLoss)}${against}): ${values.join(', ')}.`,
  ];
}

function dataSection(report: EvaluationReport): ReportSection {
  const d = report.dataset;
  const blocks: ReportBlock[] = [];
  const facts = [`Data: ${d.name}`];
  if (d.sha256) facts.push(`SHA-256 ${d.sha256}`);
  blocks.push({ kind: 'paragraph', text: facts.join(', ') + '.' });
  if (d.spec) {
    const { column, positive, negative } = d.spec.target;
    blocks.push({ kind: 'paragraph', text: `Dataset spec "${d.spec.name}"; target: ${column}, positive "${positive}" (a purchase), negative "${negative}".` });
  }
  blocks.push(
    table(
      ['split', 'rows', 'purchases', 'purchase rate'],
      d.splits.map((s) => [s.name, formatCount(s.rows), formatCount(s.positives), formatPercent(s.rows === 0 ? NaN : s.positives / s.rows)]),
    ),
  );
  if (d.features && d.features.length > 0) {
    blocks.push({ kind: 'paragraph', text: `Model inputs (${d.features.length}): ${d.features.join(', ')}.` });
  }
  return section('Data', blocks);
}

function metricRow(label: ReportCell, m: SplitMetrics): ReportCell[] {
  return [
    label,
    formatThreshold(m.threshold),
    formatMetric(m.accuracy),
    formatMetric(m.precision),
    formatMetric(m.recall),
    formatMetric(m.f1),
    formatMetric(m.rocAuc),
    formatMetric(m.prAuc),
    formatMetric(m.logLoss),
    formatMetric(m.brier),
    formatCount(m.tp),
    formatCount(m.fp),
    formatCount(m.tn),
    formatCount(m.fn),
  ];
}

function metricsSection(report: EvaluationReport, split: string): ReportSection {
  const rows = [
    metricRow({ text: BASELINE_NAME, strong: true }, report.baseline[split]),
    ...report.models.map((m) => metricRow(modelLabel(report, m), m.metrics[split])),
  ];
  return section(`Metrics on ${heldOutPhrase(split)}`, [
    {
      kind: 'paragraph',
      text:
        'Threshold: predict purchase when the probability is at least this value. ' +
        'The baseline predicts purchase for everyone, scoring each session with the prior purchase rate.',
    },
    table(METRIC_HEADER, rows),
  ]);
}

function verdictCell(beats: boolean, difference: number): string {
  return `${beats ? 'yes' : 'NO'} (${formatDifference(difference)})`;
}

function baselineSection(report: EvaluationReport): ReportSection {
  const split = lastSplit(report);
  const rows = report.models.map((m) => {
    const c = compareWithBaseline(m.metrics[split], report.baseline[split]);
    return [
      modelLabel(report, m),
      verdictCell(c.beatsOnF1, c.f1Difference),
      verdictCell(c.beatsOnRocAuc, c.rocAucDifference),
      verdictCell(c.beatsOnLogLoss, c.logLossDifference),
    ];
  });
  return section(`Against the always-purchase baseline (${split})`, [
    {
      kind: 'paragraph',
      text:
        `Does each model beat predicting purchase for everyone? F1 against the baseline's ${formatMetric(report.baseline[split].f1)}, ` +
        `ROC AUC against chance (0.500), log loss against the prior's ${formatMetric(report.baseline[split].logLoss)} ` +
        '(differences are model minus baseline; lower log loss is better).',
    },
    table(['model', 'beats on F1', 'ROC AUC above chance', 'beats prior log loss'], rows),
  ]);
}

function intervalsSection(report: EvaluationReport): ReportSection | undefined {
  const rows: ReportCell[][] = [];
  for (const m of report.models) {
    const b = m.intervals;
    if (!b) continue;
    rows.push([
      modelLabel(report, m),
      b.split,
      `${formatMetric(b.rocAuc.estimate)} (${formatMetric(b.rocAuc.lower)} to ${formatMetric(b.rocAuc.upper)})`,
      `${formatMetric(b.f1.estimate)} (${formatMetric(b.f1.lower)} to ${formatMetric(b.f1.upper)})`,
      formatThreshold(b.threshold),
      `${formatPercent(b.level)}, ${formatCount(b.resamples)} resamples${b.sample ? ` of ${formatCount(b.sample.rows)} of ${formatCount(b.sample.of)} rows` : ''}, seed ${b.seed}`,
    ]);
  }
  if (rows.length === 0) return undefined;
  const sampled = report.models.some((m) => m.intervals?.sample);
  return section('Confidence intervals', [
    {
      kind: 'paragraph',
      text:
        'Stratified bootstrap (resampling within each class), percentile intervals.' +
        (sampled
          ? ' Where a split is larger than the rows resampled, m out of n: each resample draws m rows of a stratified sample of m rows,' +
            ' and the percentile distances are scaled by sqrt(m / n) around the estimate on all n rows (the width of an n-row interval).'
          : ''),
    },
    table(['model', 'split', 'ROC AUC (interval)', 'F1 (interval)', 'F1 threshold', 'level'], rows, [
      'left',
      'left',
      'right',
      'right',
      'right',
      'left',
    ]),
  ]);
}

function thresholdsSection(report: EvaluationReport): ReportSection | undefined {
  const rows: ReportCell[][] = [];
  for (const m of report.models) {
    for (const t of m.thresholds ?? []) {
      rows.push([
        modelLabel(report, m),
        t.rule === 'f1' ? 'best F1' : 'best profit',
        formatThreshold(t.threshold),
        t.chosenOn,
        t.evaluatedOn,
        formatMetric(t.metrics.precision),
        formatMetric(t.metrics.recall),
        formatMetric(t.metrics.f1),
        formatCount(t.metrics.tp + t.metrics.fp),
        report.costs ? formatMoney(profitAt(t.metrics, report.costs)) : 'n/a',
      ]);
    }
  }
  if (rows.length === 0) return undefined;
  return section('Thresholds', [
    {
      kind: 'paragraph',
      text: 'Each threshold is chosen on one split and its metrics are measured on another, so they are not flattered by the choice.',
    },
    table(
      ['model', 'rule', 'threshold', 'chosen on', 'evaluated on', 'precision', 'recall', 'F1', 'targeted', 'profit'],
      rows,
      ['left', 'left', 'right', 'left', 'left', 'right', 'right', 'right', 'right', 'right'],
    ),
  ]);
}

function businessImpactSection(report: EvaluationReport): ReportSection | undefined {
  const costs = report.costs;
  if (!costs) return undefined;
  const split = report.impactSplit ?? lastSplit(report);
  const impactRow = (label: ReportCell, c: ConfusionCounts, how: string): ReportCell[] => [
    label,
    how,
    formatCount(c.tp + c.fp),
    formatCount(c.tp),
    formatCount(c.fp),
    formatCount(c.fn),
    formatMoney(profitAt(c, costs)),
  ];
  const base = report.baseline[split];
  const nobody: ConfusionCounts = { tp: 0, fp: 0, tn: base.fp + base.tn, fn: base.tp + base.fn };
  const rows: ReportCell[][] = [
    impactRow({ text: 'target everyone (baseline)', strong: true }, base, 'everyone'),
    impactRow('target nobody', nobody, 'nobody'),
  ];
  for (const m of report.models) {
    const profitChoice = m.thresholds?.find((t) => t.rule === 'profit' && t.evaluatedOn === split);
    const at = profitChoice ? profitChoice.metrics : m.metrics[split];
    const how = `threshold ${formatThreshold(at.threshold)}${profitChoice ? ` (best profit on ${profitChoice.chosenOn})` : ''}`;
    rows.push(impactRow(modelLabel(report, m), at, how));
  }
  return section(`Business impact (${split})`, [
    {
      kind: 'paragraph',
      text:
        `Counts of sessions on the ${split} split under each targeting policy. Profit = purchases found x ` +
        `${formatMoney(costs.foundPurchaseValue)} - non-buyers targeted x ${formatMoney(costs.nonBuyerTargetingCost)}.`,
    },
    table(
      ['policy', 'rule', 'targeted', 'purchases found', 'non-buyers targeted', 'purchases missed', 'profit'],
      rows,
      ['left', 'left', 'right', 'right', 'right', 'right', 'right'],
    ),
  ]);
}

/** ROC, PR and calibration plots per split that has curves or calibration tables. */
function plotSections(report: EvaluationReport): ReportSection[] {
  const out: ReportSection[] = [];
  for (const split of report.splits) {
    const plots: LinePlot[] = [];
    const withCurves = having(report.models, 'curves').filter((m) => m.curves.split === split);
    if (withCurves.length > 0) {
      plots.push({
        title: `ROC curve (${split})`,
        xLabel: 'false positive rate',
        yLabel: 'true positive rate',
        series: withCurves.map((m) => ({ name: m.name, x: m.curves.roc.fpr, y: m.curves.roc.tpr })),
        reference: { name: 'chance', x: [0, 1], y: [0, 1] },
      });
      const rate = report.baseline[split].precision;
      plots.push({
        title: `Precision-recall curve (${split})`,
        xLabel: 'recall',
        yLabel: 'precision',
        series: withCurves.map((m) => ({ name: m.name, x: m.curves.pr.recall, y: m.curves.pr.precision })),
        reference: { name: 'always purchase', x: [0, 1], y: [rate, rate] },
      });
    }
    const withCalibration = having(report.models, 'calibration').filter((m) => m.calibration.split === split);
    if (withCalibration.length > 0) {
      plots.push({
        title: `Calibration (${split})`,
        xLabel: 'mean predicted probability',
        yLabel: 'observed purchase rate',
        series: withCalibration.map((m) => ({
          name: m.name,
          x: m.calibration.bins.map((b) => b.meanPredicted),
          y: m.calibration.bins.map((b) => b.observedRate),
        })),
        reference: { name: 'perfectly calibrated', x: [0, 1], y: [0, 1] },
        markers: true,
      });
    }
    if (plots.length > 0) out.push(section(`Curves (${split})`, [{ kind: 'plots', plots }]));
  }
  return out;
}

// A type import only: the report builder does not load the models library (and tfjs with it).
const CALIBRATION_LABEL: Record<CalibrationMethod, string> = { none: 'none', platt: 'Platt (sigmoid)', isotonic: 'isotonic' };
const CALIBRATION_METHODS = Object.keys(CALIBRATION_LABEL) as CalibrationMethod[];

function probabilityCalibrationSection(report: EvaluationReport): ReportSection | undefined {
  const models = having(report.models, 'probabilityCalibration');
  if (models.length === 0) return undefined;
  const first = models[0].probabilityCalibration;
  const rows = models.map((m) => {
    const c = m.probabilityCalibration;
    return [
      modelLabel(report, m),
      CALIBRATION_LABEL[c.method],
      c.setting === 'auto' ? `lowest log loss on ${c.fittedOn}` : 'given',
      ...CALIBRATION_METHODS.map((method) => formatMetric(c.crossFittedLogLoss[method])),
      `${formatMetric(c.before.ece)} → ${formatMetric(c.after.ece)}`,
      `${formatMetric(c.before.logLoss)} → ${formatMetric(c.after.logLoss)}`,
    ];
  });
  const folds = [...new Set(models.map((m) => m.probabilityCalibration.folds))].join(', ');
  return section('Probability calibration', [
    {
      kind: 'paragraph',
      text:
        `Each model's probabilities are calibrated by a monotone map fitted on ${heldOutPhrase(first.fittedOn)}, before its thresholds are chosen there; ` +
        'the bundle serves the selected model with its map. ' +
        `Cross-fitted log loss: each method fitted on all but one of ${folds} stratified folds of these and scored on the one left out; ` +
        'the lowest is chosen (none on ties) unless a method was given. ' +
        `On ${first.split}, expected calibration error (ECE, 10 equal-width bins) and log loss of the raw and the calibrated probabilities.`,
    },
    table(
      ['model', 'calibration', 'chosen by', ...CALIBRATION_METHODS.map((m) => `${m} (cross-fitted log loss)`), `ECE on ${first.split} (raw → calibrated)`, `log loss on ${first.split} (raw → calibrated)`],
      rows,
      ['left', 'left', 'left', ...CALIBRATION_METHODS.map(() => 'right' as const), 'right', 'right'],
    ),
  ]);
}

function reliabilityRows(bins: readonly ReliabilityBin[]): ReportCell[][] {
  return bins.map((b) => [`${formatMetric(b.lower)}-${formatMetric(b.upper)}`, formatCount(b.count), formatMetric(b.meanPredicted), formatMetric(b.observedRate)]);
}

function calibrationSections(report: EvaluationReport): ReportSection[] {
  const withCalibration = having(report.models, 'calibration');
  if (withCalibration.length === 0) return [];
  const out = [
    section('Calibration tables', [
      {
        kind: 'paragraph',
        text: 'A calibrated model has an observed purchase rate close to its mean predicted probability in every bin. Empty bins are left out.',
      },
    ]),
  ];
  for (const m of withCalibration) {
    const c = m.calibration;
    const header = ['bin', 'rows', 'mean predicted', 'observed rate'];
    const p = m.probabilityCalibration;
    const blocks: ReportBlock[] =
      p && p.method !== 'none' && p.split === c.split
        ? [
            { kind: 'paragraph', text: `Calibrated (${CALIBRATION_LABEL[p.method]}), as served:` },
            table(header, reliabilityRows(c.bins)),
            { kind: 'paragraph', text: 'Raw, before calibration:' },
            table(header, reliabilityRows(p.before.bins)),
          ]
        : [table(header, reliabilityRows(c.bins))];
    out.push(section(`${m.name} (${c.split}, ${c.strategy} bins)`, blocks, 3));
  }
  return out;
}

function correlationSection(report: EvaluationReport): ReportSection | undefined {
  const correlations = report.correlations;
  if (!correlations || correlations.length === 0) return undefined;
  return section('Correlation of raw features with purchase', [
    {
      kind: 'paragraph',
      text: 'Point-biserial (Pearson) correlation of each raw numeric column with the target, missing values left out per column.',
    },
    table(
      ['feature', 'correlation', 'p-value', 'rows used'],
      correlations.map((c) => [c.name, formatMetric(c.correlation), formatPValue(c.pValue), formatCount(c.n)]),
    ),
  ]);
}

function permutationSection(report: EvaluationReport): ReportSection | undefined {
  const models = having(report.models, 'permutationImportance');
  if (models.length === 0) return undefined;
  // Rows in the order of the selected model's importances (else the first model's), then any others.
  const lead = models.find((m) => m.name === report.selection.selected) ?? models[0];
  const features = lead.permutationImportance.features.map((f) => f.name);
  for (const m of models) for (const f of m.permutationImportance.features) if (!features.includes(f.name)) features.push(f.name);
  const rows = features.map((name) => [
    name,
    ...models.map((m) => {
      const f = m.permutationImportance.features.find((x) => x.name === name);
      return f ? `${formatMetric(f.meanDrop)} ± ${formatMetric(f.sdDrop)}` : 'n/a';
    }),
  ]);
  const splits = [...new Set(models.map((m) => m.permutationImportance.split))].join(', ');
  const repeats = [...new Set(models.map((m) => m.permutationImportance.repeats))].join(', ');
  const samples = [...new Set(models.flatMap((m) => (m.permutationImportance.sample ? [m.permutationImportance.sample] : [])).map((s) => `${formatCount(s.rows)} of its ${formatCount(s.of)} rows`))];
  const on = samples.length === 0 ? `the ${splits} split` : `a stratified sample of ${samples.join(', ')} of the ${splits} split`;
  return section('Permutation importance', [
    {
      kind: 'paragraph',
      text: `Drop in ROC AUC on ${on} when one input column is shuffled (mean ± sd over ${repeats} shuffles); larger means the model leans on it more.`,
    },
    table(['feature', ...models.map((m) => m.name)], rows),
  ]);
}

function modelCardSections(report: EvaluationReport): ReportSection[] {
  const card = report.modelCard;
  const selected = selectedModel(report);
  const split = lastSplit(report);
  const m = selected.metrics[split];
  const comparison = compareWithBaseline(m, report.baseline[split]);
  const ci = selected.intervals;
  const withCi = (value: number, interval?: { lower: number; upper: number }) =>
    interval && ci
      ? `${formatMetric(value)} (${formatPercent(ci.level)} interval ${formatMetric(interval.lower)} to ${formatMetric(interval.upper)})`
      : formatMetric(value);
  const metricsItems = [
    `Model: ${selected.name}${selected.description ? ` (${selected.description})` : ''}, selected by ${report.selection.chosenOn} ${SELECTION_LABEL[report.selection.metric]}.`,
    `On the ${split} split at threshold ${formatThreshold(m.threshold)}: precision ${formatMetric(m.precision)}, recall ${formatMetric(m.recall)}, ` +
      `F1 ${withCi(m.f1, ci && ci.split === split && ci.threshold === m.threshold ? ci.f1 : undefined)}.`,
    `ROC AUC ${withCi(m.rocAuc, ci && ci.split === split ? ci.rocAuc : undefined)}, PR AUC ${formatMetric(m.prAuc)}, ` +
      `log loss ${formatMetric(m.logLoss)}, Brier ${formatMetric(m.brier)}.`,
    `Against the always-purchase baseline: ${comparison.verdict}.`,
    ...chosenHyperparameters(selected),
  ];
  const sections = [
    section('Model card', []),
    section('Intended use', [{ kind: 'paragraph', text: card.intendedUse }], 3),
    section('Data', [{ kind: 'paragraph', text: card.data }], 3),
    section('Metrics', [{ kind: 'list', items: metricsItems }], 3),
    section('Limitations', [{ kind: 'list', items: card.limitations }], 3),
  ];
  if (card.outOfScope && card.outOfScope.length > 0) {
    sections.push(section('Out of scope', [{ kind: 'list', items: card.outOfScope }], 3));
  }
  return sections;
}
