"""The repository's own tooling: generators of the files derived from schema/ (run them with
`python tools/manage.py build-standard`). Not part of the installed `opendata` package."""
