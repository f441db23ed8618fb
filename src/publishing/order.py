"""The hooks' priorities, each named for what it must come before or after.

MkDocs runs the handlers of one event from the highest priority to the lowest
(0 unless ``@event_priority`` says otherwise), and at equal priority in the
order of mkdocs.yml's plugins, then its hooks. The hooks' effects depend on
that order: among themselves (typography before the description is taken, the
description before the notices join the page) and around other plugins,
whose numbers are cited from their sources (mkdocs_static_i18n/plugin.py,
material/plugins/search/plugin.py). tests/test_order.py checks the effects.
"""

# The other plugins' numbers ------------------------------------------------

# mkdocs-static-i18n's on_files (sorts the files by language and recreates each
# from its path) and on_post_build (builds the other languages, merges their
# search indexes, writes the sitemap).
I18N = -100
# Material's search plugin: its on_page_context indexes the page (no priority: 0).
MATERIAL_SEARCH = 0

# on_files ---------------------------------------------------------------

# hooks/messages.py: reads every page's bytes before the plugin or any hook does.
BEFORE_ANY_SOURCE_READ = 100
# hooks/outline.py, print_book.py, translation_status.py: add their pages in
# every language before mkdocs-static-i18n sorts the files by language.
BEFORE_I18N_SORTS_FILES = I18N + 150
# hooks/print_book.py, translation_status.py: set their pages' sources on the
# files mkdocs-static-i18n made anew.
AFTER_I18N_RECREATES_FILES = I18N - 100

# on_page_markdown -----------------------------------------------------------

# hooks/snippets.py: reads the page's includes while its lines are the source's
# (before hooks/lists.py, claims.py, line_counts.py at 0 add or move lines).
BEFORE_LINES_MOVE = 100
# hooks/verification.py: marks the examples once hooks/snippets.py dropped the
# missing includes, before the others read the page.
AFTER_INCLUDES_CHECKED = BEFORE_LINES_MOVE - 10

# on_page_content ------------------------------------------------------------

# hooks/typography.py: after the hooks that add to the content (0).
AFTER_CONTENT_ADDED = -40
# hooks/meta.py: the description is taken once typography set the French spaces.
AFTER_TYPOGRAPHY = AFTER_CONTENT_ADDED - 5
# hooks/translations.py: the English notices join the content once the
# description was taken from the page's own text.
AFTER_DESCRIPTION = AFTER_TYPOGRAPHY - 5

# on_page_context -------------------------------------------------------------

# hooks/search_speedup.py: lightens the content for Material's search, then restores it.
BEFORE_SEARCH_INDEXES = MATERIAL_SEARCH + 10
AFTER_SEARCH_INDEXES = MATERIAL_SEARCH - 10
# hooks/print_book.py: joins the pages once Material's search stripped their
# data-search attributes and hooks/search_speedup.py gave their content back.
AFTER_SEARCH_RESTORED = AFTER_SEARCH_INDEXES - 40

# on_post_build ---------------------------------------------------------------

# hooks/search.py: splits the index mkdocs-static-i18n merged from every language.
AFTER_I18N_MERGES_INDEX = I18N - 10
# hooks/sitemaps.py: once mkdocs-static-i18n built every language and the sitemap.
AFTER_I18N_BUILDS_ALL = I18N - 100
