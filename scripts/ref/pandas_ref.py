"""The reference a researcher would write instead of cabine (issue 18):
read the readings CSV, pivot to one column per meter, apply the
proportional key (SPEC §2) with the common PV as the only producer, and
sum each household's shared energy. Prints the time of each run and the
community's shared total (to check it against cabine's summary.json).
usage: python3 pandas_ref.py readings.csv [repetitions]"""
import sys, time
import pandas as pd

def once(path):
    df = pd.read_csv(path)
    wide = df.pivot(index="timestamp", columns="meter", values="kwh")
    s = wide.pop("pv")
    demand = wide.sum(axis=1)
    ratio = (s / demand).clip(upper=1.0).where(demand > 0, 0.0)
    shared = wide.mul(ratio, axis=0).sum()
    return shared.sum()

reps = int(sys.argv[2]) if len(sys.argv) > 2 else 3
for k in range(reps):
    t = time.perf_counter()
    total = once(sys.argv[1])
    print("pandas %.3f s shared_kwh %.3f" % (time.perf_counter() - t, total))
