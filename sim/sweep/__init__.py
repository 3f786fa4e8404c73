"""Batch sweeps: sweep files, designs, a resumable store, local and Dask execution, sensitivity analysis."""
