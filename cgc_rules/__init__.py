"""cgc-rules: explainable rules and tender documents for Circulaire Grondstoffencorridors."""

__version__ = "0.1.0"
