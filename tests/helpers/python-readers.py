"""Load CSVs with the default settings of each installed reader; print their float64 bits per reader as JSON.

Usage: python3 python-readers.py FILE...; prints {"missing": [...], "files": [{"numpy": [...], ...}, ...]}.
Readers that are not installed are listed under "missing".
"""
import json
import sys

missing = []


def bits(a):
    import numpy as np

    return [format(int(x), "016x") for x in np.ascontiguousarray(a, dtype="<f8").ravel().view("<u8")]


import numpy as np

try:
    import pandas as pd
except ImportError:
    pd = None
    missing.append("pandas")
try:
    import polars as pl
except ImportError:
    pl = None
    missing.append("polars")


def load(path):
    out = {"numpy": bits(np.loadtxt(path, delimiter=",", ndmin=2))}
    if pd is not None:
        df = pd.read_csv(path, header=None, float_precision="round_trip")
        out["pandas"] = bits(df.to_numpy(dtype="float64"))
        out["pandas_dtypes"] = sorted({str(t) for t in df.dtypes})
    if pl is not None:
        df = pl.read_csv(path, has_header=False)
        out["polars"] = bits(df.to_numpy())
        out["polars_dtypes"] = sorted({str(t) for t in df.dtypes})
    return out


print(json.dumps({"missing": missing, "files": [load(p) for p in sys.argv[1:]]}))
