"""Synthetic data generator and benchmark runner (results in BENCHMARKS.md).

``python -m benchmarks.generate --entities 5000 --out big.json`` writes a dataset;
``python -m benchmarks.run [--quick]`` measures our operations against same-run baselines.
"""
