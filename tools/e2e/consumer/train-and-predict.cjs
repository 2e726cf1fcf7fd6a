// A team that imports the libraries, outside this workspace: plain Node, the packed @purchase/*
// packages from npm, no path aliases and no TypeScript configuration of the workspace.
//   node train-and-predict.cjs <sessions.csv> <spec.json> <models dir>
const path = require('node:path');
const { readFile } = require('node:fs/promises');
const { loadSpec, readDataset } = require('@purchase/preprocessing');
const { FeaturePipeline } = require('@purchase/features');
const { GradientBoostedTrees } = require('@purchase/models');
const { sha256 } = require('@purchase/core');
const { publishBundle, PurchasePredictor } = require('@purchase/inference');

async function main() {
  const [csv, specFile, modelsDir] = process.argv.slice(2);
  const spec = await loadSpec(specFile);
  const data = await readDataset(csv, spec);
  const pipeline = FeaturePipeline.fit(spec, data.records);
  const X = pipeline.transform(data.records);
  const trees = new GradientBoostedTrees({ nEstimators: 40, maxDepth: 3, seed: 1 });
  await trees.fit(X, data.labels, { featureNames: [...X.columnNames] });
  const published = await publishBundle(modelsDir, {
    data: { file: path.basename(csv), sha256: sha256(await readFile(csv)), rows: data.records.length },
    spec,
    seed: 1,
    pipeline: pipeline.toJSON(),
    candidates: { gbdt: trees },
    selected: { candidate: 'gbdt', threshold: 0.5, thresholdRule: 'fixed', metrics: {} },
    metrics: {},
    reportMarkdown: '# consumer bundle\n',
    reportHtml: '<html><body>consumer bundle</body></html>',
  });
  const predictor = await PurchasePredictor.load(published.dir);
  const predictions = predictor.predictMany(data.records.slice(0, 5));
  predictor.dispose();
  console.log(JSON.stringify({ rows: data.records.length, rejected: data.rejected.length, version: published.version, predictions }));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
