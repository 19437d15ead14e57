-- The quality report of each import, as JSON, for the data-quality page.
ALTER TABLE imports ADD COLUMN report TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(report));
