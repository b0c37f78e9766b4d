-- Inserts carry a deduplication token (lib/store/index.ts): a file import cuts its records into
-- chunks named by the file's checksum and the chunk's place in it, so a chunk stored before a
-- crash is not stored again when the import is run again (exactly once, whatever killed it).
-- Every other insert carries a token of its own and is never taken for a duplicate. The rollups
-- fed by materialized views keep the same window, so a duplicate is dropped there too.
ALTER TABLE {{db}}.flows MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE {{db}}.conversations_hourly MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE {{db}}.sources_hourly MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE {{db}}.conversations_daily MODIFY SETTING non_replicated_deduplication_window = 10000;
