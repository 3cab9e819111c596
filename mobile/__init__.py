"""The Flet app officers carry: offline store, sync engine, screens."""
