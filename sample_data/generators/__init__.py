"""One generator per tool around a shared story; `sample_data/generate.py` runs them in order.

- `story`: the fictional company (projects, portfolios, programs, people, status dates, the six
  status drops, monthly spend) and the seeded random streams.
- `helpers`: dates, money, GUIDs and the byte-stable CSV / xlsx writers every generator uses.
- one module per tool's export: `finance` (FP&A ledger, FX rates), `project_server` (ProjectData
  drops), `jira` (Cloud and Server CSVs), `hr` (Workday), `benchmarks` (BLS OEWS, salary reports).
"""
