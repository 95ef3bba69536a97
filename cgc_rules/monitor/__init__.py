"""Monitoring over the store: the GMR's action line 1 figures per region, municipality, project type and year,
charts, and the yearly evaluation report."""
