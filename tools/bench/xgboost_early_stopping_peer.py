"""XGBoost side of `npm run bench -- tuning` (tools/bench/tuning.bench.ts).

Usage: python3 xgboost_early_stopping_peer.py DIR ROWS_TRAIN ROWS_VALIDATION ROWS_TEST COLS (any Python that imports xgboost)

Reads DIR/{train,validation,test}_{x.f32,y.u8} (row-major little-endian float32, 0/1 bytes) written
by the bench: the same split and features our models see. Trains XGBoost with its defaults (hist)
on train, early stopping on validation log loss (30 rounds, at most 2,000), writes the test
probabilities of the best iteration to DIR/xgboost_test_p.f32 and prints one JSON line. The bench
computes every AUC itself, with the same code.
"""
import json
import sys

import numpy as np
import xgboost as xgb


def read(folder: str, name: str, rows: int, cols: int):
    x = np.fromfile(f"{folder}/{name}_x.f32", dtype="<f4").reshape(rows, cols)
    y = np.fromfile(f"{folder}/{name}_y.u8", dtype=np.uint8).astype(np.float32)
    return x, y


def main() -> None:
    folder = sys.argv[1]
    n_train, n_validation, n_test, cols = (int(a) for a in sys.argv[2:6])
    x_train, y_train = read(folder, "train", n_train, cols)
    x_validation, y_validation = read(folder, "validation", n_validation, cols)
    x_test, _ = read(folder, "test", n_test, cols)
    dtrain = xgb.DMatrix(x_train, label=y_train, missing=np.nan)
    dvalidation = xgb.DMatrix(x_validation, label=y_validation, missing=np.nan)
    params = {"objective": "binary:logistic", "tree_method": "hist", "eval_metric": "logloss", "seed": 0}
    booster = xgb.train(params, dtrain, num_boost_round=2000, evals=[(dvalidation, "validation")], early_stopping_rounds=30, verbose_eval=False)
    p = booster.predict(xgb.DMatrix(x_test, missing=np.nan), iteration_range=(0, booster.best_iteration + 1))
    p.astype("<f4").tofile(f"{folder}/xgboost_test_p.f32")
    print(json.dumps({"version": xgb.__version__, "trees": booster.best_iteration + 1}))


if __name__ == "__main__":
    main()
