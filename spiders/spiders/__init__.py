"""One module per source; the module, its fixtures and its test share the spider's name."""
