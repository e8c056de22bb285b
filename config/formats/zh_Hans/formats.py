# The same formats as in English (config/formats/en): ISO dates, which Chinese readers use
# alike, so a page never mixes "2029年12月31日" with the ISO dates of forms and exports; money
# grouped by three with commas, as on Chinese invoices and statements.
from config.formats.en.formats import *  # noqa: F403
