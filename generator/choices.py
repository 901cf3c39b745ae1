"""The names the command line offers and the core accepts, in one module that imports nothing.

The parser (:mod:`cxsite.cli_parser`) needs these lists for ``choices`` and
help text; the modules that act on them (importers, engines, exports, schema)
are heavy (NumPy, the loaders). Kept here, each list has one owner and
``cxsite --help`` loads none of the core.
"""

# Survey tools whose exports cxsite import recognises (importers.detect).
SURVEY_TOOLS = ("google-forms", "microsoft-forms", "qualtrics", "surveymonkey", "limesurvey", "typeform")
# A plain table of one header row, named by its container (importers.tables.Table.container).
GENERIC_TABLES = ("csv", "xlsx")
GENERIC = "generic"  # --from generic: a plain table, CSV, TSV or XLSX alike, named by its container then
# What builds a site (cxsite.engines): mkdocs through the plugin, the others from cxsite render's folder.
ENGINES = ("mkdocs", "properdocs", "zensical")
# What cxsite export writes (cxsite.exports), and whose wording.
EXPORT_FORMATS = ("surveyjs", "qualtrics-txt", "csv-template")
EXPORT_AUDIENCES = ("staff", "customers")  # an assessor answers no fielded survey
# The file formats cxsite schema describes (cxsite.scaffold).
SCHEMA_KINDS = ("questionnaire", "engagement", "ratings", "actions", "benchmark")
# The languages a questionnaire may be translated into: cxsite.model.LANGUAGES without English, the
# questionnaires' own language (tests/test_translations.py checks the two agree).
TRANSLATABLE = ("de", "es", "fr")
