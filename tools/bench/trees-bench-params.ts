/** The parameters of `npm run bench -- trees`, on both sides (xgboost_peer.py spells them its way). */
export const TREES_BENCH_PARAMS = { nEstimators: 100, maxDepth: 6, learningRate: 0.1, maxBins: 255 } as const;
