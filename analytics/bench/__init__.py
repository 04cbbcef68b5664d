"""The national-scale benchmark: synthetic data on demand, timed dashboard refreshes, pandas side by side."""
