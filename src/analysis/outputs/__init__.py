"""What leaves the package: downloads, filtered subsets, the data dictionary, the contract's reference."""
