"""Runs the black-box suite in several processes at once, one test class per process.

The suite mostly waits (on servers starting, mail arriving, workers ticking), so on 2 cores a
few classes side by side take a fraction of the sequential time. Each class still runs in its own
`python -m unittest` process with its own temp dirs, databases and ephemeral ports (harness.py),
so the classes share nothing. Longest classes start first (by their number of tests, or their
PARALLEL_WEIGHT attribute where one test is long); a class with PARALLEL_ALONE = True (one that
stops the shared PostgreSQL cluster) runs after the others, alone. Each failing class's output is
printed whole, and the summary counts every test.

Usage: python3 parallel.py [--jobs N] [unittest test names or patterns…]
The backend comes from COALITION_IT_BACKEND as for a plain unittest run.
"""
import argparse
import concurrent.futures
import os
import re
import subprocess
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


def test_classes(names):
    """(class id, weight) for every test class of the suite, or of `names`, heaviest first."""
    loader = unittest.TestLoader()
    suite = loader.loadTestsFromNames(names) if names else loader.discover(HERE, "test_*.py")
    counts = {}

    def walk(node):
        for item in node:
            if isinstance(item, unittest.TestSuite):
                walk(item)
            else:
                test_id = item.id()
                if test_id.startswith("unittest.loader."):  # A module that failed to import.
                    raise SystemExit(f"cannot load {test_id}: {item}")
                class_id = test_id.rsplit(".", 1)[0]
                weight = getattr(type(item), "PARALLEL_WEIGHT", 0)
                counts[class_id] = max(counts.get(class_id, 0) + 1, weight)
                if getattr(type(item), "PARALLEL_ALONE", False):
                    alone.add(class_id)

    alone = set()
    walk(suite)
    ordered = sorted(counts.items(), key=lambda entry: -entry[1])
    return [(c, w) for c, w in ordered if c not in alone], [c for c, _ in ordered if c in alone]


def run_class(class_id):
    started = time.monotonic()
    process = subprocess.run([sys.executable, "-m", "unittest", class_id], cwd=HERE,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return class_id, process.returncode, process.stdout, time.monotonic() - started


def summary_of(output):
    ran = re.search(r"^Ran (\d+) tests?", output, re.MULTILINE)
    skipped = re.search(r"skipped=(\d+)", output)
    return int(ran.group(1)) if ran else 0, int(skipped.group(1)) if skipped else 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("COALITION_IT_JOBS", "1")))
    parser.add_argument("names", nargs="*")
    options = parser.parse_args()
    sys.path.insert(0, HERE)
    classes, alone = test_classes(options.names)
    started = time.monotonic()
    failed, ran, skipped = [], 0, 0

    def report(class_id, status, output, seconds):
        nonlocal ran, skipped
        tests, skips = summary_of(output)
        ran += tests
        skipped += skips
        verdict = "ok" if status == 0 else "FAILED"
        print(f"{verdict:6} {class_id} ({tests} tests, {seconds:.1f} s)", flush=True)
        if status != 0:
            failed.append(class_id)
            print(output, flush=True)

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
        for result in pool.map(run_class, (c for c, _ in classes)):
            report(*result)
    # Classes that disturb what the others share (DatabaseOutage stops the PostgreSQL cluster)
    # run last, one at a time, with nothing beside them.
    for class_id in alone:
        report(*run_class(class_id))
    print(f"\nRan {ran} tests in {len(classes) + len(alone)} classes in {time.monotonic() - started:.1f} s "
          f"({options.jobs} at a time, {skipped} skipped)")
    if failed:
        print("FAILED: " + ", ".join(failed))
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
