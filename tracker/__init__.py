"""The commitment tracker: conditional agreements as state machines over a bitemporal log."""
