"""`make bench`: loading, `status` and late re-projection, each against a baseline from the same run."""
