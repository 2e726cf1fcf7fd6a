"""XGBoost side of `npm run bench -- trees` (tools/bench/trees.bench.ts).

Usage: python3 xgboost_peer.py DIR ROWS_TRAIN ROWS_TEST COLS NTHREAD (any Python that imports xgboost)

Reads DIR/{train_x.f32,train_y.u8,test_x.f32,test_y.u8} (row-major little-endian float32 with NaN
for missing, 0/1 bytes) written by the bench, trains XGBoost with the bench's parameters on NTHREAD
threads (and predicts on as many), writes the test probabilities to DIR/xgboost_test_p.f32 and
prints one JSON line of timings. The bench computes both models' AUC itself, with the same code.
"""
import json
import sys
import time

import numpy as np
import xgboost as xgb


def main() -> None:
    folder, n_train, n_test, cols, nthread = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    x_train = np.fromfile(f"{folder}/train_x.f32", dtype="<f4").reshape(n_train, cols)
    y_train = np.fromfile(f"{folder}/train_y.u8", dtype=np.uint8).astype(np.float32)
    x_test = np.fromfile(f"{folder}/test_x.f32", dtype="<f4").reshape(n_test, cols)
    params = {
        "objective": "binary:logistic",
        "tree_method": "hist",
        "nthread": nthread,
        "max_depth": 6,
        "eta": 0.1,
        "max_bin": 255,
        # The same base score as ours: the training prior (XGBoost 1.7 would start from 0.5).
        "base_score": float(y_train.mean()),
    }
    # Timed like ours: from the float matrix in memory to a fitted model (binning included); CPU
    # time is the process's, every thread's.
    start, start_cpu = time.perf_counter(), time.process_time()
    dtrain = xgb.DMatrix(x_train, label=y_train, missing=np.nan, nthread=nthread)
    booster = xgb.train(params, dtrain, num_boost_round=100)
    train_seconds, train_cpu_seconds = time.perf_counter() - start, time.process_time() - start_cpu

    # inplace_predict: DMatrix.predict would serve repeats from XGBoost's prediction cache.
    times = []
    for _ in range(3):
        start = time.perf_counter()
        p = booster.inplace_predict(x_test)
        times.append(time.perf_counter() - start)
    p.astype("<f4").tofile(f"{folder}/xgboost_test_p.f32")
    print(json.dumps({
        "version": xgb.__version__,
        "train_seconds": train_seconds,
        "train_cpu_seconds": train_cpu_seconds,
        "predict_seconds": sorted(times)[1],
    }))


if __name__ == "__main__":
    main()
