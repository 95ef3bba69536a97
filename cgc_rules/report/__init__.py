"""Evaluation reports: one record of what was evaluated, rendered as table, JSON, HTML or PDF."""

from .build import Report, build_report

__all__ = ["Report", "build_report"]
