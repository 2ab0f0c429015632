"""The toolkit's version, in a module of its own so that any layer can name it without
importing the package's public face (`opendata/__init__.py` imports package, facts and
validate, so importing it from below would be an import cycle)."""
__version__ = "0.1.0"
