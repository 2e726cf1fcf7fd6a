"""Python side of the training-run bench (tools/bench/training-run.bench.ts).

Usage: /usr/bin/python3 python_pipeline_peer.py FILE [SEED]   (needs pandas, scikit-learn, xgboost)

The whole training job as a data team would write it on the generated sessions file: pandas
read_csv, a stratified 70/15/15 split, SimpleImputer (the spec's rules: median time, mean pages,
0 basket, constant categories) + MinMaxScaler + OneHotEncoder in a ColumnTransformer fitted on
train, XGBoost hist with 100 trees (depth 4, eta 0.1, early stopping on validation, all cores)
and LogisticRegression (lbfgs, C = 1), then the test ROC AUC of each. Prints one JSON line:
seconds per step, the test AUCs and the peak RSS (getrusage ru_maxrss) of this process.
"""
import json
import resource
import sys
import time

started = time.perf_counter()

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import xgboost as xgb  # noqa: E402
from sklearn.compose import ColumnTransformer  # noqa: E402
from sklearn.impute import SimpleImputer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402
from sklearn.preprocessing import MinMaxScaler, OneHotEncoder  # noqa: E402


def main() -> None:
    file = sys.argv[1]
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 42
    steps = {"import": time.perf_counter() - started}

    def step(name: str, since: float) -> float:
        now = time.perf_counter()
        steps[name] = now - since
        return now

    t = time.perf_counter()
    frame = pd.read_csv(file)
    t = step("read", t)

    y = (frame.pop("purchase") == 1).astype(np.uint8).to_numpy()
    x = frame.drop(columns=["customer_id"])
    x_train, x_rest, y_train, y_rest = train_test_split(x, y, test_size=0.3, stratify=y, random_state=seed)
    x_val, x_test, y_val, y_test = train_test_split(x_rest, y_rest, test_size=0.5, stratify=y_rest, random_state=seed)
    t = step("split", t)

    def numeric(strategy: str, **fill) -> Pipeline:
        return Pipeline([("impute", SimpleImputer(strategy=strategy, **fill)), ("scale", MinMaxScaler(clip=True))])

    def category(fill: str) -> Pipeline:
        imputer = SimpleImputer(strategy="constant", fill_value=fill)
        return Pipeline([("impute", imputer), ("encode", OneHotEncoder(handle_unknown="ignore", sparse_output=False))])

    columns = ColumnTransformer([
        ("time_spent", numeric("median"), ["time_spent"]),
        ("pages_viewed", numeric("mean"), ["pages_viewed"]),
        ("basket_value", numeric("constant", fill_value=0), ["basket_value"]),
        ("device_type", category("Unknown"), ["device_type"]),
        ("customer_type", category("New"), ["customer_type"]),
    ])
    m_train = columns.fit_transform(x_train).astype(np.float32)
    m_val = columns.transform(x_val).astype(np.float32)
    m_test = columns.transform(x_test).astype(np.float32)
    del frame, x, x_rest, x_train, x_val, x_test
    t = step("pipeline", t)

    booster = xgb.XGBClassifier(
        n_estimators=100, tree_method="hist", max_depth=4, learning_rate=0.1, subsample=0.8,
        colsample_bytree=0.8, early_stopping_rounds=30, eval_metric="logloss", random_state=seed, n_jobs=int(sys.argv[3]) if len(sys.argv) > 3 else None,
    )
    booster.fit(m_train, y_train, eval_set=[(m_val, y_val)], verbose=False)
    t = step("fit xgboost", t)
    auc_xgb = roc_auc_score(y_test, booster.predict_proba(m_test)[:, 1])
    t = step("score xgboost", t)

    lr = LogisticRegression(C=1.0, solver="lbfgs", max_iter=1000)
    lr.fit(m_train, y_train)
    t = step("fit lr", t)
    auc_lr = roc_auc_score(y_test, lr.predict_proba(m_test)[:, 1])
    t = step("score lr", t)

    print(json.dumps({
        "versions": {"pandas": pd.__version__, "xgboost": xgb.__version__},
        "rows": {"train": int(len(y_train)), "validation": int(len(y_val)), "test": int(len(y_test))},
        "seconds": steps,
        "wall_seconds": time.perf_counter() - started,
        "test_auc": {"xgboost": auc_xgb, "lr": auc_lr},
        # Linux reports ru_maxrss in KiB.
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


if __name__ == "__main__":
    main()
