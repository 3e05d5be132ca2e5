-- (PostgreSQL only: its feed rows lose the index of `id`. On SQLite the id is the sequence and
-- the table's key, and stays as it is.)
SELECT 1;
