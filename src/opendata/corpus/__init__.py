"""The corpus: many packages as one DuckDB database (and Parquet files) to query together.

    opendata.corpus.build(packages, db_path, *, parquet_dir=None, validate=True) -> BuildSummary
    opendata.corpus.connect(db_path, read_only=True) -> duckdb connection
    opendata.corpus.query(db_path, sql) -> QueryResult; format_result(result, fmt) -> text

`db` builds the database and `views` defines its documented views (packages, tables, facts,
key_figures, findings, execution: site/docs/guide/corpus.md); `query` runs SQL on it and formats results.
"""
from .db import BuildSummary, build, connect, package_digest
from .query import QueryResult, format_result, query
from .views import VIEWS

__all__ = ["build", "connect", "BuildSummary", "package_digest", "query", "QueryResult", "format_result", "VIEWS"]
