"""The pure domain: states, rules, the projection of the log. Standard library only; `now` is an argument."""
