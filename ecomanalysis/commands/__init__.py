"""Sub-commands of the ``ecomanalysis`` CLI, one module per area (see ecomanalysis.cli)."""
