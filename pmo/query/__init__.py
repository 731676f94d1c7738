"""The query runtime: from a store version to a typed DataFrame, in one package.

- catalog.py     the SQL files in queries/ and their headers (params, reads, cache policy)
- connection.py  one DuckDB connection per version: segments, settings tables, every view
- scope.py       row scope for roles limited to some portfolios or departments
- cache.py       summary tables and saved results beside the store, and their keys
- runtime.py     Runtime: strict parameters, per-project cuts, the in-memory result cache
"""

from pmo.query.catalog import PROJECT_FILTERS, QueryError, QueryInfo, info, run
from pmo.query import cache
from pmo.query.runtime import Runtime, connect, warm

__all__ = ["PROJECT_FILTERS", "QueryError", "QueryInfo", "Runtime", "connect", "info", "run", "warm"]
