"""The demo organisation (seed_demo) and the synthetic ones of `make bench`: the top of the
site layer, for development machines only. It may import every app; nothing imports it."""
