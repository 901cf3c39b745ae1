"""cxsite: report sites for organisational culture and customer-experience assessments."""

__version__ = "0.1.0"
