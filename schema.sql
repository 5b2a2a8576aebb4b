-- dereg schema: the one source of the database layout.
--
-- Every statement is idempotent (IF NOT EXISTS): a new database runs this file once;
-- a migration changes tables in place, drops the views and triggers, and runs this file
-- again to recreate them. The schema version lives in PRAGMA user_version (dereg/db.py).
-- Reference data (regions and their aliases, currencies) is seeded by dereg/db.py from
-- the files the package ships, so that it has one source too.
--
-- CHECKs compare a date with date(x, '+0 days'), which turns 2016-02-31 into 2016-03-02
-- (plain date(x) lets it through on SQLite 3.40) and gives NULL for what is no date at all
-- (hence IS, not =). Enums are OR chains: an IN list costs SQLite 3.40 a temporary table
-- per row, 5x slower on a million-row import.

CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE IF NOT EXISTS currencies (
    code     TEXT PRIMARY KEY CHECK (length(code) = 3 AND code = upper(code)),
    exponent INTEGER NOT NULL CHECK (exponent BETWEEN 0 AND 4)
) STRICT;

CREATE TABLE IF NOT EXISTS regions (
    -- One identity through its renames (South Kazakhstan, then Turkistan); name is its first.
    -- It exists from valid_from to valid_to (NULL: before 2004, or still); region_names gives
    -- the name in force on a day. dereg/data/regions.csv seeds both.
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE CHECK (trim(name) <> ''),
    kind       TEXT NOT NULL CHECK (kind IN ('oblast', 'city')),
    valid_from TEXT CHECK (valid_from IS date(valid_from, '+0 days')),
    valid_to   TEXT CHECK (valid_to IS date(valid_to, '+0 days')),
    iso_code   TEXT
) STRICT;

CREATE TABLE IF NOT EXISTS region_names (
    region_id  INTEGER NOT NULL REFERENCES regions (id),
    name       TEXT NOT NULL CHECK (trim(name) <> ''),
    valid_from TEXT CHECK (valid_from IS date(valid_from, '+0 days')),
    valid_to   TEXT CHECK (valid_to IS date(valid_to, '+0 days')),
    iso_code   TEXT,
    UNIQUE (region_id, valid_from)
) STRICT;

-- Every spelling staff use for a region, its own name included, keyed by the folded form
-- (casefold, hyphens and runs of spaces read as one space): one lookup finds the region.
CREATE TABLE IF NOT EXISTS region_aliases (
    key       TEXT PRIMARY KEY,
    alias     TEXT NOT NULL,
    region_id INTEGER NOT NULL REFERENCES regions (id)
) STRICT;

-- The offices whose work this database holds: its own (meta 'office_id', named by
-- 'dereg init --office') and every office merged in ('dereg merge'). The id is random, made
-- once per database; the name is what people read.
CREATE TABLE IF NOT EXISTS offices (
    id   TEXT PRIMARY KEY CHECK (length(id) = 32),
    name TEXT NOT NULL CHECK (trim(name) <> '')
) STRICT;

CREATE TABLE IF NOT EXISTS elections (
    -- An election: its name, the day it was held (NULL: not known yet; `dereg check` lists
    -- it), its kind, and for those the package ships (dereg/data/elections.csv) their key
    -- there and the source of the day. key is the folded name; election_aliases holds every
    -- spelling.
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL CHECK (trim(name) <> ''),
    key        TEXT NOT NULL UNIQUE,
    voting_day TEXT CHECK (voting_day IS date(voting_day, '+0 days')),
    kind       TEXT CHECK (kind = 'mazhilis' OR kind = 'maslikhat' OR kind = 'president'
                       OR kind = 'akim_rural' OR kind = 'akim_district' OR kind = 'by_election'),
    shipped    TEXT UNIQUE,
    source     TEXT
) STRICT;

CREATE TABLE IF NOT EXISTS election_aliases (
    -- Every spelling of an election ("2016 maslikhat", "маслихат 2016"), keyed by its words'
    -- transliteration key in sorted order (text.election_key), so word order and alphabet do
    -- not matter: one lookup finds the election.
    key         TEXT PRIMARY KEY,
    alias       TEXT NOT NULL,
    election_id INTEGER NOT NULL REFERENCES elections (id) ON DELETE CASCADE
) STRICT;

CREATE TABLE IF NOT EXISTS districts (
    id          INTEGER PRIMARY KEY,
    election_id INTEGER NOT NULL REFERENCES elections (id),
    region_id   INTEGER NOT NULL REFERENCES regions (id),
    name        TEXT NOT NULL CHECK (trim(name) <> ''),
    key         TEXT NOT NULL,
    seats       INTEGER CHECK (seats >= 1),          -- NULL: not known yet
    candidates  INTEGER CHECK (candidates >= 0),     -- NULL: not known yet
    level       TEXT CHECK (level = 'mazhilis' OR level = 'oblast' OR level = 'city'
                        OR level = 'district'),
    -- How it elects (NULL: not known): one seat, several, or a party list, whose candidates
    -- are the list's names. Seats and candidates keep their meaning in each.
    constituency TEXT CHECK (constituency = 'single_mandate' OR constituency = 'multi_mandate'
                             OR constituency = 'party_list'),
    UNIQUE (election_id, region_id, key)
) STRICT;

CREATE TABLE IF NOT EXISTS cases (
    id            INTEGER PRIMARY KEY AUTOINCREMENT, -- never given again: a lawyer's notes name it
    district_id   INTEGER NOT NULL REFERENCES districts (id),
    candidate     TEXT NOT NULL CHECK (trim(candidate) <> ''),
    candidate_key TEXT NOT NULL,
    nominated_by  TEXT,
    decision      TEXT NOT NULL CHECK (decision = 'refused' OR decision = 'cancelled'),
    decided_on    TEXT NOT NULL CHECK (decided_on IS date(decided_on, '+0 days')),
    reason        TEXT,
    amount_minor  INTEGER CHECK (amount_minor >= 0), -- exact, in the currency's minor unit
    currency      TEXT NOT NULL DEFAULT 'KZT' REFERENCES currencies (code),
    notes         TEXT,
    search        TEXT NOT NULL DEFAULT '',          -- casefolded text for --search
    office_id     TEXT REFERENCES offices (id),      -- where first recorded; NULL: this office
    person_key    TEXT NOT NULL DEFAULT '',          -- text.person_key: one person in any alphabet
    UNIQUE (district_id, candidate_key)
) STRICT;

CREATE TABLE IF NOT EXISTS appeals (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id    INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    court      TEXT NOT NULL CHECK (trim(court) <> ''),
    instance   TEXT NOT NULL DEFAULT 'first'
               CHECK (instance = 'first' OR instance = 'appeal' OR instance = 'cassation'),
    filed_on   TEXT CHECK (filed_on IS date(filed_on, '+0 days')),
    outcome    TEXT NOT NULL DEFAULT 'pending'
               CHECK (outcome = 'pending' OR outcome = 'upheld' OR outcome = 'reinstated'
                      OR outcome = 'not_heard'),
    decided_on TEXT CHECK (decided_on IS date(decided_on, '+0 days')),
    notes      TEXT,
    UNIQUE (case_id, instance)
) STRICT;

-- Append-only: the triggers below refuse UPDATE and DELETE.
CREATE TABLE IF NOT EXISTS audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,        -- UTC, ISO 8601
    actor     TEXT NOT NULL,
    command   TEXT NOT NULL,        -- e.g. 'case add', 'import cases'
    entity    TEXT NOT NULL,        -- 'case', 'district', 'appeal', 'region', 'import'
    entity_id INTEGER,
    before    TEXT,                 -- JSON of the row before, NULL on insert
    after     TEXT,                 -- JSON of the row after, NULL on delete
    office_id TEXT REFERENCES offices (id), -- the office that made the change; NULL: this one
    origin_id INTEGER               -- its id in that office's log (NULL: this entry's own id)
) STRICT;

CREATE INDEX IF NOT EXISTS districts_region ON districts (region_id, election_id);
-- The summary views read these indexes alone, never the wide rows of cases and appeals:
-- a case's district, currency and amount; an appeal's case, instance and outcome.
CREATE INDEX IF NOT EXISTS cases_district ON cases (district_id, currency, amount_minor);
CREATE INDEX IF NOT EXISTS appeals_outcome ON appeals (case_id, instance, outcome);
CREATE INDEX IF NOT EXISTS audit_log_entity ON audit_log (entity, entity_id);
-- An entry merged in from another office is brought once: merging a file twice adds nothing.
CREATE UNIQUE INDEX IF NOT EXISTS audit_log_origin ON audit_log (office_id, origin_id);
-- Likely duplicates: one person's cases in an election, whatever the alphabet.
CREATE INDEX IF NOT EXISTS cases_person ON cases (person_key);

CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT raise(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT raise(ABORT, 'the audit log is append-only');
END;

-- INSERT OR REPLACE deletes the row it replaces without firing a delete trigger: refuse it.
CREATE TRIGGER IF NOT EXISTS audit_log_no_replace BEFORE INSERT ON audit_log
WHEN NEW.id > 0 AND EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id)
BEGIN
    SELECT raise(ABORT, 'the audit log is append-only');
END;

-- The name each region bore on each election's day (its first name when the day is not
-- known): what every listing, summary and report shows. A name is in force from valid_from
-- to valid_to, both included (regions.list_regions reads a day's map the same way).
CREATE VIEW IF NOT EXISTS election_regions AS
SELECT e.id AS election_id, r.id AS region_id, e.name AS election,
       coalesce((SELECT n.name FROM region_names n
                 WHERE n.region_id = r.id AND e.voting_day IS NOT NULL
                   AND e.voting_day BETWEEN coalesce(n.valid_from, '0000-00-00')
                                        AND coalesce(n.valid_to, '9999-12-31')), r.name) AS region
FROM elections e, regions r;

-- The appeal that gives its case its outcome: its latest, the highest instance, which no
-- higher instance followed (a case has one appeal per instance, UNIQUE above). The rule is
-- written here alone: case_outcome and district_removals read it. Read from appeals_outcome
-- alone, never the wide rows of appeals.
CREATE VIEW IF NOT EXISTS deciding_appeals AS
SELECT a.id, a.case_id, a.instance, a.outcome
FROM appeals a
WHERE NOT EXISTS (SELECT 1 FROM appeals later
                  WHERE later.case_id = a.case_id
                    AND (CASE later.instance WHEN 'first' THEN 1 WHEN 'appeal' THEN 2 ELSE 3 END)
                        > (CASE a.instance WHEN 'first' THEN 1 WHEN 'appeal' THEN 2 ELSE 3 END));

-- A case's outcome is that of its deciding appeal; not_filed when it has none.
CREATE VIEW IF NOT EXISTS case_outcome AS
SELECT c.id AS case_id, coalesce(da.outcome, 'not_filed') AS outcome
FROM cases c
LEFT JOIN deciding_appeals da ON da.case_id = c.id;

CREATE VIEW IF NOT EXISTS case_overview AS
SELECT c.id,
       er.election,
       er.region,
       d.name AS district,
       c.candidate,
       c.nominated_by,
       c.decision,
       c.decided_on,
       c.reason,
       CASE
           WHEN c.amount_minor IS NULL THEN NULL
           WHEN cur.exponent = 0 THEN printf('%d', c.amount_minor)
           ELSE printf('%d.%0' || cur.exponent || 'd',
                       c.amount_minor / (CASE cur.exponent WHEN 1 THEN 10 WHEN 2 THEN 100
                                                           WHEN 3 THEN 1000 ELSE 10000 END),
                       c.amount_minor % (CASE cur.exponent WHEN 1 THEN 10 WHEN 2 THEN 100
                                                           WHEN 3 THEN 1000 ELSE 10000 END))
       END AS discrepancy_amount,
       c.currency,
       o.outcome AS appeal_outcome,
       c.notes,
       c.amount_minor AS discrepancy_minor -- the amount as an exact number, to sort and compare
FROM cases c
JOIN districts d ON d.id = c.district_id
JOIN election_regions er ON er.election_id = d.election_id AND er.region_id = d.region_id
JOIN currencies cur ON cur.code = c.currency
JOIN case_outcome o ON o.case_id = c.id;

-- Per district: how many were removed, how many the courts restored, and the appeals.
-- One walk down cases_district and appeals_outcome, a row per appeal (hence DISTINCT); a
-- case is reinstated when a reinstating appeal of it is its deciding one (asked only of those).
CREATE VIEW IF NOT EXISTS district_removals AS
SELECT d.id AS district_id,
       d.election_id,
       d.region_id,
       d.seats,
       d.candidates,
       count(DISTINCT c.id) AS deregistered,
       count(CASE WHEN a.outcome = 'reinstated' AND EXISTS (
                 SELECT 1 FROM deciding_appeals da WHERE da.case_id = a.case_id AND da.instance = a.instance)
                  THEN 1 END) AS reinstated,
       count(a.id) AS appeals
FROM districts d
LEFT JOIN cases c ON c.district_id = d.id
LEFT JOIN appeals a ON a.case_id = c.id
GROUP BY d.id;

-- A district's own figures, each worked out here once: the removals net of reinstatements,
-- what remains, and whether it is left uncontested. The "known" columns count only a district
-- whose candidates are known, as the roll-ups and totals require.
CREATE VIEW IF NOT EXISTS district_figures AS
WITH x AS (
    SELECT dr.*, dr.candidates - (dr.deregistered - dr.reinstated) AS remaining
    FROM district_removals dr
)
SELECT x.district_id, x.election_id, x.region_id, x.seats, x.candidates, x.deregistered,
       x.reinstated, x.appeals, x.remaining,
       CASE WHEN x.candidates IS NOT NULL THEN x.deregistered - x.reinstated END AS removed_known,
       CASE WHEN x.candidates IS NOT NULL THEN x.seats END AS seats_known,
       CASE WHEN x.remaining IS NOT NULL AND x.seats IS NOT NULL
            THEN x.remaining <= x.seats END AS uncontested
FROM x;

-- The sums of district_figures at every level the summaries show, and the ratios of those
-- sums, taken here alone. A key left NULL means all: a district is keyed (election, region,
-- district) and its sums are its own figures; a region (election, region); an election
-- (election, NULL); the total rows of a summary are these or (NULL, region) and (NULL, NULL).
-- One GROUP BY over a copy of each district per level, as SQLite has no GROUPING SETS; a
-- reader that filters on the level makes SQLite group that level alone. `uncontested` is a
-- district's own 1 or 0, else how many of the districts are (NULL: none is known).
-- Ratios are rounded half up in integer arithmetic, so every reader gets the same figure:
-- n / d to k decimals is (n * 10^k * 2 + d) / (2 * d) / 10^k.
CREATE VIEW IF NOT EXISTS competition AS
WITH levels (level, by_election, by_region, by_district) AS (
    VALUES ('district', 1, 1, 1), ('region', 1, 1, 0), ('election', 1, 0, 0),
           ('region total', 0, 1, 0), ('total', 0, 0, 0)
), sums AS (
    SELECT l.level,
           CASE WHEN l.by_election THEN f.election_id END AS election_id,
           CASE WHEN l.by_region THEN f.region_id END AS region_id,
           CASE WHEN l.by_district THEN f.district_id END AS district_id,
           count(*) AS districts, sum(f.seats) AS seats, sum(f.candidates) AS candidates,
           sum(f.deregistered) AS deregistered, sum(f.reinstated) AS reinstated,
           sum(f.remaining) AS remaining, sum(f.removed_known) AS removed_known,
           sum(f.seats_known) AS seats_known, sum(f.uncontested) AS uncontested,
           sum(f.appeals) AS appeals
    FROM levels l, district_figures f
    GROUP BY l.level, 4, 2, 3
)
SELECT x.level, x.election_id, x.region_id, x.district_id,
       e.name AS election,
       -- across elections (a region's total row), the name it bears today
       coalesce(er.region, (SELECT n.name FROM region_names n WHERE n.region_id = r.id
                            AND n.valid_to IS NULL), r.name) AS region,
       d.name AS district, e.voting_day,
       x.districts, x.seats, x.candidates, x.deregistered, x.reinstated, x.remaining,
       (x.candidates * 200 + x.seats_known) / (2 * x.seats_known) / 100.0 AS per_seat_before,
       CASE WHEN x.remaining >= 0
            THEN (x.remaining * 200 + x.seats_known) / (2 * x.seats_known) / 100.0 END
           AS per_seat_after,
       CASE WHEN x.candidates > 0
            THEN (x.removed_known * 2000 + x.candidates) / (2 * x.candidates) / 10.0 END
           AS reduction_pct,
       x.uncontested,
       x.appeals
FROM sums x
LEFT JOIN elections e ON e.id = x.election_id
LEFT JOIN regions r ON r.id = x.region_id
LEFT JOIN election_regions er ON er.election_id = x.election_id AND er.region_id = x.region_id
LEFT JOIN districts d ON d.id = x.district_id;

CREATE VIEW IF NOT EXISTS district_competition AS
SELECT election, region, district, seats, candidates, deregistered, reinstated, remaining,
       per_seat_before, per_seat_after, reduction_pct, uncontested
FROM competition
WHERE level = 'district';

-- The median KZT discrepancy of the cases of a region in an election (level 'region') and of
-- an election (level 'election', region_id NULL); a half tiyn rounds up. Each level is a sort
-- of its own (window w) read from cases_district; the middle one, or the two middle ones
-- (lead), give the median; a reader that filters on the level (a
-- partition column) makes SQLite sort that level's cases alone.
CREATE VIEW IF NOT EXISTS median_kzt AS
WITH levels (level, by_region) AS (VALUES ('region', 1), ('election', 0)),
ranked AS (
    SELECT l.level, d.election_id, CASE WHEN l.by_region THEN d.region_id END AS region_id,
           c.amount_minor AS amount, lead(c.amount_minor) OVER w AS next,
           row_number() OVER w AS n, count(*) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
               AS total
    FROM levels l, cases c JOIN districts d ON d.id = c.district_id
    WHERE c.currency = 'KZT' AND c.amount_minor IS NOT NULL
    WINDOW w AS (PARTITION BY l.level, d.election_id, CASE WHEN l.by_region THEN d.region_id END
                 ORDER BY c.amount_minor)
)
SELECT level, election_id, region_id, median_minor,
       printf('%d.%02d', median_minor / 100, median_minor % 100) AS median_discrepancy_kzt
FROM (SELECT *, (amount + CASE WHEN total % 2 = 0 THEN next ELSE amount END + 1) / 2 AS median_minor
      FROM ranked
      WHERE n = (total + 1) / 2);

-- The region roll-up with its median, and the total rows a region summary ends with (which
-- have none); then the election roll-up likewise. The median's level is filtered in a
-- MATERIALIZED CTE, not in the join, so that SQLite sorts that level's cases alone.
CREATE VIEW IF NOT EXISTS region_rollup AS
WITH m AS MATERIALIZED (SELECT * FROM median_kzt WHERE level = 'region')
SELECT x.level, x.election_id, x.region_id, x.election, x.voting_day, x.region, x.districts, x.seats,
       x.candidates, x.deregistered, x.reinstated, x.remaining, x.reduction_pct,
       coalesce(x.uncontested, 0) AS uncontested_districts, x.appeals, m.median_discrepancy_kzt,
       m.median_minor AS median_discrepancy_tiyn
FROM competition x
LEFT JOIN m ON m.election_id = x.election_id AND m.region_id = x.region_id
WHERE x.level <> 'district';

CREATE VIEW IF NOT EXISTS region_competition AS
SELECT election, region, districts, seats, candidates, deregistered, reinstated, remaining,
       reduction_pct, uncontested_districts, appeals, median_discrepancy_kzt, median_discrepancy_tiyn
FROM region_rollup
WHERE level = 'region';

CREATE VIEW IF NOT EXISTS election_rollup AS
WITH m AS MATERIALIZED (SELECT * FROM median_kzt WHERE level = 'election')
SELECT x.level, x.election_id, x.region_id, x.election, x.voting_day, x.districts, x.seats, x.candidates,
       x.deregistered, x.reinstated, x.remaining, x.reduction_pct,
       coalesce(x.uncontested, 0) AS uncontested_districts, x.appeals, m.median_discrepancy_kzt,
       m.median_minor AS median_discrepancy_tiyn
FROM competition x
LEFT JOIN m ON m.election_id = x.election_id
WHERE x.level = 'election' OR x.level = 'total';

CREATE VIEW IF NOT EXISTS election_competition AS
SELECT election, districts, seats, candidates, deregistered, reinstated, remaining,
       reduction_pct, uncontested_districts, appeals, median_discrepancy_kzt, median_discrepancy_tiyn
FROM election_rollup
WHERE level = 'election';
