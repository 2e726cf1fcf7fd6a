"""scikit-learn side of `npm run bench -- tfjs-fit` (tools/bench/tfjs-fit.bench.ts).

Usage: python3 sklearn_peer.py DIR MODEL ROWS_TRAIN ROWS_TEST COLS PARAMS_JSON
  MODEL is `logreg` (LogisticRegression, lbfgs) or `mlp` (MLPClassifier, adam); PARAMS_JSON holds
  the estimator's keyword arguments, chosen by the bench.

Reads DIR/{train_x.f32,train_y.u8,test_x.f32} (row-major little-endian float32, 0/1 bytes) written
by the bench, fits, and writes DIR/sklearn_test_p.f32 (test probabilities, float32; none when ROWS_TEST is 0) and, for
logreg, DIR/sklearn_coef.f64 (coefficients then intercept, float64). Prints one JSON line of
timings and facts. The bench computes objectives and AUCs itself, with the same code for both sides.
"""
import json
import sys
import time
import warnings

import numpy as np
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier


def main() -> None:
    folder, model = sys.argv[1], sys.argv[2]
    n_train, n_test, cols = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    params = json.loads(sys.argv[6])
    x_train = np.fromfile(f"{folder}/train_x.f32", dtype="<f4").reshape(n_train, cols)
    y_train = np.fromfile(f"{folder}/train_y.u8", dtype=np.uint8)
    x_test = np.fromfile(f"{folder}/test_x.f32", dtype="<f4").reshape(n_test, cols)
    estimator = LogisticRegression(**params) if model == "logreg" else MLPClassifier(**params)
    # Timed like ours: from the float32 matrix in memory to a fitted model (any float64 copy included).
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        start, start_cpu = time.perf_counter(), time.process_time()
        estimator.fit(x_train, y_train)
        fit_seconds, fit_cpu_seconds = time.perf_counter() - start, time.process_time() - start_cpu
    if n_test > 0:
        estimator.predict_proba(x_test)[:, 1].astype("<f4").tofile(f"{folder}/sklearn_test_p.f32")
    facts = {
        "version": sklearn.__version__,
        "fit_seconds": fit_seconds,
        "fit_cpu_seconds": fit_cpu_seconds,
        "iterations": int(np.max(estimator.n_iter_)),
        "converged": not any(issubclass(w.category, ConvergenceWarning) for w in caught),
    }
    if model == "logreg":
        np.concatenate([estimator.coef_[0], estimator.intercept_]).astype("<f8").tofile(f"{folder}/sklearn_coef.f64")
    print(json.dumps(facts))


if __name__ == "__main__":
    main()
