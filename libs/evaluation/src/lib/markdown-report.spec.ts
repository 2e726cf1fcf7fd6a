import { MODEL_NAMES, sampleReport } from '../test-fixtures/sample-report';
import { formatMetric, formatThreshold } from './number-format';
import { renderMarkdownReport } from './markdown-report';

describe('renderMarkdownReport', () => {
  const report = sampleReport();
  const md = renderMarkdownReport(report);

  it('has a metrics table per split with the baseline row first and every model', () => {
    for (const split of ['validation', 'test']) {
      const section = md.split(`## Metrics on the ${split} split`)[1].split('\n## ')[0];
      const rows = section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| model') && !l.startsWith('| :'));
      expect(rows).toHaveLength(1 + MODEL_NAMES.length);
      expect(rows[0]).toMatch(/^\| \*\*always purchase \(baseline\)\*\* \| 0\.0000 \|/);
      expect(rows[1]).toMatch(/^\| lr \|/);
      expect(rows[3]).toMatch(/^\| \*\*gbdt \(selected\)\*\* \|/);
      // Every row has the same 14 columns.
      for (const r of rows) expect(r.split(' | ')).toHaveLength(14);
    }
  });

  it('formats numbers one way: metrics 3 decimals, thresholds 4, counts grouped', () => {
    const gbdt = report.models[2].metrics.test;
    const row = md.split('\n').filter((l) => l.startsWith('| **gbdt (selected)** | ' + formatThreshold(gbdt.threshold)))[1];
    expect(row).toBe(
      `| **gbdt (selected)** | ${formatThreshold(gbdt.threshold)} | ${[gbdt.accuracy, gbdt.precision, gbdt.recall, gbdt.f1, gbdt.rocAuc, gbdt.prAuc, gbdt.logLoss, gbdt.brier]
        .map(formatMetric)
        .join(' | ')} | ${gbdt.tp} | ${gbdt.fp} | ${gbdt.tn} | ${gbdt.fn} |`,
    );
    expect(md).not.toMatch(/\d\.\d{5,}/); // no unformatted floats anywhere
  });

  it('says plainly whether the selected model beats the always-purchase baseline', () => {
    expect(md).toContain('On the test split, gbdt beats the always-purchase baseline on F1 (');
    expect(md).toContain('3 of 3 models beat the always-purchase baseline on test F1');
  });

  it('says so when no model beats it', () => {
    const r = sampleReport();
    for (const m of r.models) for (const s of r.splits) m.metrics[s] = { ...m.metrics[s], f1: 0.1 };
    const text = renderMarkdownReport(r);
    expect(text).toContain(`No model beats the always-purchase baseline on test F1 (${formatMetric(r.baseline.test.f1)}).`);
    expect(text).toContain('| **gbdt (selected)** | NO (');
  });

  it('has every section, the business impact in counts and the model card', () => {
    for (const heading of [
      '## Summary',
      '## Data',
      '## Against the always-purchase baseline (test)',
      '## Confidence intervals',
      '## Thresholds',
      '## Business impact (test)',
      '## Curves (test)',
      '## Calibration tables',
      '### gbdt (test, uniform bins)',
      '## Correlation of raw features with purchase',
      '## Permutation importance',
      '## Model card',
      '### Intended use',
      '### Metrics',
      '### Limitations',
      '### Out of scope',
    ]) {
      expect(md).toContain(`\n${heading}\n`);
    }
    const positives = report.dataset.splits.find((s) => s.name === 'test')!.positives;
    expect(md).toContain(`| **target everyone (baseline)** | everyone | 400 | ${positives} | ${400 - positives} | 0 |`);
    expect(md).toContain(`| target nobody | nobody | 0 | 0 | 0 | ${positives} | 0.00 |`);
    expect(md).toContain('- Trained on synthetic data.');
  });

  it('names the dataset spec and the target when the report carries them', () => {
    const report = sampleReport();
    const withSpec = { ...report, dataset: { ...report.dataset, spec: { name: 'online-shoppers', target: { column: 'Revenue', positive: 'TRUE', negative: 'FALSE' } } } };
    expect(renderMarkdownReport(withSpec)).toContain('Dataset spec "online-shoppers"; target: Revenue, positive "TRUE" (a purchase), negative "FALSE".');
    expect(renderMarkdownReport(report)).not.toContain('Dataset spec');
  });

  it('shows each model\'s calibration: method, how it was chosen, cross-fitted log losses, test ECE and log loss raw → calibrated', () => {
    const r = sampleReport();
    const bins = [{ lower: 0, upper: 0.1, count: 3, meanPredicted: 0.05, observedRate: 0.2 }];
    r.models[0].probabilityCalibration = {
      method: 'platt',
      setting: 'auto',
      fittedOn: 'validation',
      folds: 5,
      crossFittedLogLoss: { none: 0.61234, platt: 0.45, isotonic: 0.47 },
      split: 'test',
      before: { ece: 0.15, logLoss: 0.9, bins },
      after: { ece: 0.05, logLoss: 0.44 },
    };
    r.models[2].probabilityCalibration = { ...r.models[0].probabilityCalibration, method: 'none', setting: 'none', after: { ece: 0.15, logLoss: 0.9 } };
    const text = renderMarkdownReport(r);
    const section = text.split('\n## Probability calibration\n')[1].split('\n## ')[0];
    expect(section).toContain('each method fitted on all but one of 5 stratified folds of these and scored on the one left out');
    expect(section).toContain(
      '| model | calibration | chosen by | none (cross-fitted log loss) | platt (cross-fitted log loss) | isotonic (cross-fitted log loss) | ECE on test (raw → calibrated) | log loss on test (raw → calibrated) |',
    );
    expect(section).toContain('| lr | Platt (sigmoid) | lowest log loss on validation | 0.612 | 0.450 | 0.470 | 0.150 → 0.050 | 0.900 → 0.440 |');
    expect(section).toContain('| **gbdt (selected)** | none | given | 0.612 | 0.450 | 0.470 | 0.150 → 0.150 | 0.900 → 0.900 |');
    // The raw reliability table is shown beside the calibrated one only where a calibration was applied.
    const lr = text.split('\n### lr (test, uniform bins)\n')[1].split('\n### ')[0];
    expect(lr).toContain('Calibrated (Platt (sigmoid)), as served:');
    expect(lr).toContain('Raw, before calibration:\n\n| bin | rows | mean predicted | observed rate |\n| :--- | ---: | ---: | ---: |\n| 0.000-0.100 | 3 | 0.050 | 0.200 |');
    expect(text.split('\n### gbdt (test, uniform bins)\n')[1].split('\n### ')[0]).not.toContain('Raw, before calibration:');
    expect(md).not.toContain('Probability calibration');
  });

  it('says where selection was made, and shows the spread over folds when it was cross-validated', () => {
    expect(md).toContain('Selection, thresholds and calibration on the validation split; the models were fitted on the train split, and the test split was only scored.');
    expect(md).not.toContain('## Cross-validation');
    const r = sampleReport();
    r.selection = { ...r.selection, chosenOn: 'out-of-fold', crossValidation: { folds: 5, repeats: 2, rows: 425, byDefault: true, defaultBelowRows: 5000 } };
    r.splits = ['out-of-fold', 'test'];
    r.baseline = { 'out-of-fold': r.baseline.validation, test: r.baseline.test };
    for (const m of r.models) m.metrics = { 'out-of-fold': m.metrics.validation, test: m.metrics.test };
    r.models[2].crossValidation = { folds: 5, repeats: 2, metric: 'f1', selection: { mean: 0.9091, sd: 0.0162 }, rocAuc: { mean: 0.805, sd: 0.115 }, steps: 69 };
    const text = renderMarkdownReport(r);
    expect(text).toContain(`Selected model: gbdt, the best F1 on the out-of-fold predictions among 3 candidates`);
    expect(text).toContain(
      'Selection, thresholds and calibration on out-of-fold predictions: stratified 5-fold cross-validation (2 repeats) of the 425 rows of train + validation, the default below 5,000 rows.',
    );
    expect(text).toContain('\n## Metrics on the out-of-fold predictions\n');
    expect(text).toContain('| model | folds x repeats | F1 (mean ± sd) | ROC AUC (mean ± sd) | refitted to |');
    expect(text).toContain('| **gbdt (selected)** | 5 x 2 | 0.909 ± 0.016 | 0.805 ± 0.115 | 69 |');
  });

  it("lists each searched model's trials with their values, and the selected one's chosen values in the model card", () => {
    expect(md).not.toContain('## Hyperparameter search');
    expect(md).not.toContain('- Hyperparameters:');
    const r = sampleReport();
    r.models[1].tuning = {
      space: 'hidden layers one of 32, 64-32',
      folds: 3,
      repeats: 1,
      stepUnit: 'epochs',
      trials: [
        { hyperparameters: { hiddenLayers: [64, 32], dropout: 0.1 }, logLoss: 0.41, rocAuc: 0.81, steps: 150 },
        { hyperparameters: { hiddenLayers: [32], dropout: 0.2345 }, logLoss: 0.39, rocAuc: 0.82, steps: 1200 },
      ],
      best: 1,
    };
    r.models[2].tuning = {
      space: 'depth 3 to 16',
      folds: 3,
      repeats: 1,
      trials: [
        { hyperparameters: { maxDepth: 12, maxFeatures: 'sqrt' }, logLoss: 0.3, rocAuc: 0.9 },
        { hyperparameters: { maxDepth: 3, maxFeatures: 0.4797 }, logLoss: 0.31, rocAuc: 0.89 },
      ],
      best: 0,
    };
    const text = renderMarkdownReport(r);
    expect(text).toContain(
      'Seeded random search: the defaults and 1 random configurations, each cross-validated on the same 3 stratified folds x 1 of train + validation, ' +
        'early stopping on each held-out fold; the lowest out-of-fold log loss (of the raw probabilities) is chosen and trained with. Search space: hidden layers one of 32, 64-32.',
    );
    expect(text).toContain('| trial | hiddenLayers | dropout | epochs (mean stop) | out-of-fold log loss | out-of-fold ROC AUC |');
    expect(text).toContain('| defaults | 64-32 | 0.1 | 150 | 0.410 | 0.810 |');
    expect(text).toContain('| **1 (chosen)** | 32 | 0.2345 | 1,200 | 0.390 | 0.820 |');
    // A model that does not stop early: no steps column, no early stopping named.
    const rf = text.split('## Hyperparameter search (gbdt)')[1].split('\n## ')[0];
    expect(rf).toContain('folds x 1 of train + validation; the lowest');
    expect(rf).toContain('| trial | maxDepth | maxFeatures | out-of-fold log loss | out-of-fold ROC AUC |');
    expect(rf).toContain('| **defaults (chosen)** | 12 | sqrt | 0.300 | 0.900 |');
    // gbdt is the selected model here.
    expect(text).toContain(
      '- Hyperparameters: the defaults, the best of a seeded random search of 2 configurations (3-fold x 1 cross-validation, out-of-fold log loss 0.300): maxDepth 12, maxFeatures sqrt.',
    );
    r.models[2].tuning.best = 1;
    expect(renderMarkdownReport(r)).toContain(
      '- Hyperparameters: trial 1 of a seeded random search of 2 configurations (3-fold x 1 cross-validation, out-of-fold log loss 0.310 against 0.300 for the defaults): maxDepth 3, maxFeatures 0.4797.',
    );
  });

  it('is a pure function of the data', () => {
    expect(renderMarkdownReport(sampleReport())).toBe(md);
  });

  it('escapes model names so they cannot break a table or inject HTML', () => {
    const r = sampleReport(['lr', 'a|b', '<img src=x onerror=alert(1)>']);
    const text = renderMarkdownReport(r);
    expect(text).toContain('| a\\|b |');
    expect(text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(text).not.toContain('<img');
  });

  it('rejects inconsistent data with a message naming the gap', () => {
    const r = sampleReport();
    delete (r.models[1].metrics as Record<string, unknown>).test;
    expect(() => renderMarkdownReport(r)).toThrow('model "mlp" has no metrics for split "test"');
    const s = sampleReport();
    s.selection.selected = 'xgb';
    expect(() => renderMarkdownReport(s)).toThrow('the selected model "xgb" is not among the models (lr, mlp, gbdt)');
    const b = sampleReport();
    delete (b.baseline as Record<string, unknown>).validation;
    expect(() => renderMarkdownReport(b)).toThrow('the baseline has no metrics for split "validation"');
    expect(() => renderMarkdownReport({ ...sampleReport(), impactSplit: 'train' })).toThrow(
      'impactSplit "train" is not one of the splits (validation, test)',
    );
  });
});
