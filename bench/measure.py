#!/usr/bin/env python3
"""measure.py CMD... — runs CMD once (stdout discarded) and prints 'seconds peak_rss_kib'."""
import resource
import subprocess
import sys
import time

t0 = time.perf_counter()
rc = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
dt = time.perf_counter() - t0
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"{dt:.4f} {rss} {rc}")
